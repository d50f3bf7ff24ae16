export { AuthGuard } from './auth/auth.guard';
export { AUTH_POLICY, Authenticated, CurrentPrincipal } from './auth/authenticated.decorator';
export type { AuthPolicy } from './auth/authenticated.decorator';
export type { OperatorPrincipal, Principal, UserPrincipal } from './auth/principal';
export { SessionTokenService } from './auth/session-token.service';
export type { IssuedSessionToken } from './auth/session-token.service';
export { IdentityHttpModule } from './identity-http.module';
export { IdentityModule } from './identity.module';
export { Launch } from './launches/launch.entity';
export { LtiClaim, mapLaunchClaims } from './launches/launch-claims';
export type {
  AgsEndpointClaim,
  BasicOutcomeClaim,
  ContextClaim,
  DeepLinkingSettingsClaim,
  LaunchClaims,
  LaunchPresentationClaim,
  LaunchUserClaims,
  NrpsServiceClaim,
  ResourceLinkClaim,
  ToolPlatformClaim,
} from './launches/launch-claims';
export { launchCodeKey } from './launches/launch-codes';
export { LaunchRecorder } from './launches/launch-recorder.service';
export type { LaunchToRecord, RecordedLaunch } from './launches/launch-recorder.service';
export { mapLtiRoles } from './roles';
export type { FerryRole } from './roles';
export { User } from './users/user.entity';
