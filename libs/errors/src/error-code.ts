/**
 * Every machine-readable error code Ferry answers with. Domains throw FerryError subclasses with one
 * of these; `httpStatusFor` maps each to a status, and fails to compile when a code is left unmapped.
 */
export enum ErrorCode {
  // General
  ValidationFailed = 'validation_failed',
  BadRequest = 'bad_request',
  NotFound = 'not_found',
  Unauthenticated = 'unauthenticated',
  SessionExpired = 'session_expired',
  Forbidden = 'forbidden',
  RateLimited = 'rate_limited',
  InternalError = 'internal_error',
  ServiceUnavailable = 'service_unavailable',

  // Platforms
  PlatformExists = 'platform_exists',
  DeploymentExists = 'deployment_exists',
  InsecurePlatformUrl = 'insecure_platform_url',

  // LTI login and launch
  UnknownPlatform = 'unknown_platform',
  PlatformInactive = 'platform_inactive',
  LoginInvalid = 'login_invalid',
  LaunchInvalid = 'launch_invalid',
  PlatformError = 'platform_error',
  StateInvalid = 'state_invalid',
  StateExpired = 'state_expired',
  StateCookieMismatch = 'state_cookie_mismatch',
  TokenMalformed = 'token_malformed',
  KidMissing = 'kid_missing',
  KidUnknown = 'kid_unknown',
  AlgorithmNotAllowed = 'algorithm_not_allowed',
  SignatureInvalid = 'signature_invalid',
  PlatformJwksUnavailable = 'platform_jwks_unavailable',
  IssuerMismatch = 'issuer_mismatch',
  AudienceMismatch = 'audience_mismatch',
  AuthorizedPartyMismatch = 'authorized_party_mismatch',
  TokenExpired = 'token_expired',
  TokenNotYetValid = 'token_not_yet_valid',
  IssuedAtInvalid = 'issued_at_invalid',
  NonceMissing = 'nonce_missing',
  NonceMismatch = 'nonce_mismatch',
  NonceReused = 'nonce_reused',
  DeploymentMissing = 'deployment_missing',
  UnknownDeployment = 'unknown_deployment',
  DeploymentInactive = 'deployment_inactive',
  MessageTypeMissing = 'message_type_missing',
  MessageTypeUnsupported = 'message_type_unsupported',
  VersionMissing = 'version_missing',
  VersionUnsupported = 'version_unsupported',
  SubjectMissing = 'subject_missing',
  RolesMissing = 'roles_missing',
  TargetLinkUriInvalid = 'target_link_uri_invalid',
  ResourceLinkMissing = 'resource_link_missing',
  DeepLinkingSettingsMissing = 'deep_linking_settings_missing',
  ClaimInvalid = 'claim_invalid',

  // LTI Dynamic Registration
  RegistrationInvalid = 'registration_invalid',
  RegistrationDisabled = 'registration_disabled',
  RegistrationFailed = 'registration_failed',

  // Identity
  LaunchCodeInvalid = 'launch_code_invalid',

  // Moodle web services and file downloads
  MoodleTokenInvalid = 'moodle_token_invalid',
  MoodleAccessDenied = 'moodle_access_denied',
  CourseNotFound = 'course_not_found',
  MoodleWsDisabled = 'moodle_ws_disabled',
  MoodleMaintenance = 'moodle_maintenance',
  MoodleFunctionMissing = 'moodle_function_missing',
  MoodleUnreachable = 'moodle_unreachable',
  MoodleError = 'moodle_error',
  ForeignFileUrl = 'foreign_file_url',

  // Moodle connection: per-platform settings and per-admin tokens
  MoodleNotConfigured = 'moodle_not_configured',
  MoodleNotConnected = 'moodle_not_connected',
  TokenUserMismatch = 'token_user_mismatch',
  MoodleLoginFailed = 'moodle_login_failed',
  MoodleServiceUnavailable = 'moodle_service_unavailable',
  OauthEndpointInvalid = 'oauth_endpoint_invalid',
  OauthClientRejected = 'oauth_client_rejected',
  OauthTicketInvalid = 'oauth_ticket_invalid',
  OauthStateInvalid = 'oauth_state_invalid',
  OauthAccessDenied = 'oauth_access_denied',
  OauthGrantFailed = 'oauth_grant_failed',

  // Transfers
  TransferNotFound = 'transfer_not_found',
  TransferNotCancellable = 'transfer_not_cancellable',
  ContainerNotAllowed = 'container_not_allowed',
  BlobExists = 'blob_exists',
  SizeMismatch = 'size_mismatch',
  StorageUnavailable = 'storage_unavailable',
}

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.ValidationFailed:
    case ErrorCode.BadRequest:
    case ErrorCode.InsecurePlatformUrl:
    case ErrorCode.UnknownPlatform:
    case ErrorCode.LoginInvalid:
    case ErrorCode.LaunchInvalid:
    case ErrorCode.PlatformError:
    case ErrorCode.StateInvalid:
    case ErrorCode.StateExpired:
    case ErrorCode.StateCookieMismatch:
    case ErrorCode.TokenMalformed:
    case ErrorCode.KidMissing:
    case ErrorCode.KidUnknown:
    case ErrorCode.AlgorithmNotAllowed:
    case ErrorCode.SignatureInvalid:
    case ErrorCode.IssuerMismatch:
    case ErrorCode.AudienceMismatch:
    case ErrorCode.AuthorizedPartyMismatch:
    case ErrorCode.TokenExpired:
    case ErrorCode.TokenNotYetValid:
    case ErrorCode.IssuedAtInvalid:
    case ErrorCode.NonceMissing:
    case ErrorCode.NonceMismatch:
    case ErrorCode.NonceReused:
    case ErrorCode.DeploymentMissing:
    case ErrorCode.MessageTypeMissing:
    case ErrorCode.MessageTypeUnsupported:
    case ErrorCode.VersionMissing:
    case ErrorCode.VersionUnsupported:
    case ErrorCode.SubjectMissing:
    case ErrorCode.RolesMissing:
    case ErrorCode.TargetLinkUriInvalid:
    case ErrorCode.ResourceLinkMissing:
    case ErrorCode.DeepLinkingSettingsMissing:
    case ErrorCode.ClaimInvalid:
    case ErrorCode.RegistrationInvalid:
    case ErrorCode.LaunchCodeInvalid:
    case ErrorCode.ForeignFileUrl:
    case ErrorCode.OauthTicketInvalid:
    case ErrorCode.OauthStateInvalid:
      return 400;
    case ErrorCode.Unauthenticated:
    case ErrorCode.SessionExpired:
      return 401;
    case ErrorCode.Forbidden:
    case ErrorCode.RegistrationDisabled:
    case ErrorCode.PlatformInactive:
    case ErrorCode.UnknownDeployment:
    case ErrorCode.DeploymentInactive:
    case ErrorCode.MoodleAccessDenied:
    case ErrorCode.MoodleFunctionMissing:
    case ErrorCode.OauthAccessDenied:
    case ErrorCode.ContainerNotAllowed:
      return 403;
    case ErrorCode.NotFound:
    case ErrorCode.CourseNotFound:
    case ErrorCode.TransferNotFound:
      return 404;
    case ErrorCode.PlatformExists:
    case ErrorCode.DeploymentExists:
    // 409, not 401: the caller's Ferry session is fine; their Moodle connection needs attention.
    case ErrorCode.MoodleTokenInvalid:
    case ErrorCode.MoodleNotConfigured:
    case ErrorCode.MoodleNotConnected:
    case ErrorCode.TransferNotCancellable:
    case ErrorCode.BlobExists:
      return 409;
    case ErrorCode.TokenUserMismatch:
    case ErrorCode.MoodleLoginFailed:
    case ErrorCode.MoodleServiceUnavailable:
    case ErrorCode.OauthEndpointInvalid:
    case ErrorCode.OauthClientRejected:
    case ErrorCode.SizeMismatch:
      return 422;
    case ErrorCode.RateLimited:
      return 429;
    case ErrorCode.InternalError:
      return 500;
    case ErrorCode.PlatformJwksUnavailable:
    case ErrorCode.RegistrationFailed:
    case ErrorCode.MoodleWsDisabled:
    case ErrorCode.MoodleUnreachable:
    case ErrorCode.MoodleError:
    case ErrorCode.OauthGrantFailed:
      return 502;
    case ErrorCode.ServiceUnavailable:
    case ErrorCode.MoodleMaintenance:
    case ErrorCode.StorageUnavailable:
      return 503;
    default: {
      const unmapped: never = code;
      throw new Error(`No HTTP status for error code ${String(unmapped)}`);
    }
  }
}
