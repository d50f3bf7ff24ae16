import { timingSafeEqual } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { FerryConfig } from '@ferry/config';
import { AuthError, ErrorCode, NotFoundError } from '@ferry/errors';
import { AUTH_POLICY, type AuthPolicy } from './authenticated.decorator';
import type { Principal } from './principal';
import { SessionTokenService } from './session-token.service';

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: FerryConfig,
    private readonly sessionTokens: SessionTokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy =
      this.reflector.getAllAndOverride<AuthPolicy>(AUTH_POLICY, [context.getHandler(), context.getClass()]) ?? {};
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.authenticate(request);
    this.authorize(principal, policy, request);
    request.principal = principal;
    return true;
  }

  private async authenticate(request: Request): Promise<Principal> {
    const header = request.headers.authorization ?? '';
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new AuthError(ErrorCode.Unauthenticated, 'This request needs an Authorization: Bearer token.');
    }
    const operatorToken = this.config.operator.token;
    if (operatorToken && sameSecret(token, operatorToken)) return { kind: 'operator' };
    return this.sessionTokens.verify(token);
  }

  private authorize(principal: Principal, policy: AuthPolicy, request: Request): void {
    if (principal.kind === 'operator') {
      if (!policy.operator) throw new AuthError(ErrorCode.Forbidden, 'The operator token cannot be used here.');
      return;
    }
    if (policy.roles && !policy.roles.some((role) => principal.roles.includes(role))) {
      throw new AuthError(ErrorCode.Forbidden, 'Your role in this course does not allow this.');
    }
    if (policy.platformParam) {
      const platformId = request.params[policy.platformParam];
      if (platformId !== principal.platformId) throw new NotFoundError('The platform');
    }
  }
}
