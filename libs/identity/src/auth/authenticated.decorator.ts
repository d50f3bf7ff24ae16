import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import type { FerryRole } from '../roles';
import { AuthGuard } from './auth.guard';
import type { Principal } from './principal';

export const AUTH_POLICY = 'ferry:auth-policy';

export interface AuthPolicy {
  /** The operator (OPERATOR_TOKEN) may call this route. */
  operator?: boolean;
  /** A session user needs at least one of these roles. Omitted: any session user. Empty: no session user. */
  roles?: FerryRole[];
  /**
   * Name of the route parameter holding a platform id. A session user may only reach their own
   * platform; anything else answers 404 so ids of other platforms are not even confirmed.
   */
  platformParam?: string;
}

/** Requires a bearer token (operator or Ferry session) that satisfies the policy. */
export function Authenticated(policy: AuthPolicy = {}) {
  return applyDecorators(SetMetadata(AUTH_POLICY, policy), UseGuards(AuthGuard));
}

/** The principal the AuthGuard put on the request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest().principal,
);
