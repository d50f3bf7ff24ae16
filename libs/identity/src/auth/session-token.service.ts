import { Injectable } from '@nestjs/common';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { FerryConfig } from '@ferry/config';
import { SecretBox } from '@ferry/crypto';
import { AuthError, ErrorCode } from '@ferry/errors';
import type { FerryRole } from '../roles';
import type { UserPrincipal } from './principal';

const AUDIENCE = 'ferry-session';

export interface IssuedSessionToken {
  token: string;
  expiresAt: Date;
}

/**
 * Ferry's own short-lived session tokens for the SPA (`Authorization: Bearer`), signed with a key
 * derived from Ferry's encryption key — never a platform's. They replace cookies, which a
 * third-party iframe cannot rely on.
 */
@Injectable()
export class SessionTokenService {
  private readonly key: Uint8Array;

  constructor(
    private readonly config: FerryConfig,
    secretBox: SecretBox,
  ) {
    this.key = secretBox.deriveKey('session-token');
  }

  async issue(principal: Omit<UserPrincipal, 'kind' | 'expiresAt'>): Promise<IssuedSessionToken> {
    const issuedAt = Math.floor(Date.now() / 1000);
    const expiresAt = new Date((issuedAt + this.config.session.ttlSeconds) * 1000);
    const token = await new SignJWT({ pid: principal.platformId, lid: principal.launchId, roles: principal.roles })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.userId)
      .setIssuer(this.config.publicUrl)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  async verify(token: string): Promise<UserPrincipal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.config.publicUrl,
        audience: AUDIENCE,
      });
      return {
        kind: 'user',
        userId: payload.sub as string,
        platformId: payload.pid as string,
        launchId: payload.lid as string,
        roles: payload.roles as FerryRole[],
        expiresAt: new Date((payload.exp as number) * 1000),
      };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) {
        throw new AuthError(ErrorCode.SessionExpired, 'Your Ferry session has expired. Launch Ferry again from Moodle.');
      }
      throw new AuthError(ErrorCode.Unauthenticated, 'The session token is not valid. Launch Ferry again from Moodle.');
    }
  }
}
