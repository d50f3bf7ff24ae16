import { Inject, Injectable, Optional } from '@nestjs/common';
import { createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey } from 'jose';
import { ErrorCode, FerryError } from '@ferry/errors';

export interface PlatformKeySetOptions {
  /** Minimum time between two fetches caused by an unknown kid. */
  cooldownMs: number;
  /** Keys are refetched when older than this, even when every kid is known. */
  cacheMaxAgeMs: number;
  timeoutMs: number;
}

export const PLATFORM_KEY_SET_OPTIONS = Symbol('PLATFORM_KEY_SET_OPTIONS');

export const DEFAULT_PLATFORM_KEY_SET_OPTIONS: PlatformKeySetOptions = {
  cooldownMs: 30_000,
  cacheMaxAgeMs: 10 * 60_000,
  timeoutMs: 5_000,
};

/**
 * The platforms' public keys (Moodle's /mod/lti/certs.php), one jose remote key set per JWKS URL.
 *
 * jose fetches the set on first use, keeps it for `cacheMaxAge`, and on a kid it does not know
 * fetches once more unless the last fetch is younger than `cooldownDuration`. That cooldown is the
 * rate limit: a stream of tokens with made-up kids costs Moodle at most one request per cooldown. The
 * flip side: a key Moodle rotated in is picked up by the first launch after the cooldown.
 */
@Injectable()
export class PlatformKeysService {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();
  private readonly options: PlatformKeySetOptions;

  constructor(@Optional() @Inject(PLATFORM_KEY_SET_OPTIONS) options?: PlatformKeySetOptions) {
    this.options = options ?? DEFAULT_PLATFORM_KEY_SET_OPTIONS;
  }

  /** A key resolver for jwtVerify; unreachable or broken JWKS → `platform_jwks_unavailable`. */
  keySetFor(jwksUrl: string): JWTVerifyGetKey {
    let keySet = this.keySets.get(jwksUrl);
    if (!keySet) {
      const remote = createRemoteJWKSet(new URL(jwksUrl), {
        cooldownDuration: this.options.cooldownMs,
        cacheMaxAge: this.options.cacheMaxAgeMs,
        timeoutDuration: this.options.timeoutMs,
      });
      keySet = async (header, token) => {
        try {
          return await remote(header, token);
        } catch (error) {
          if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
            throw error;
          }
          throw new FerryError(
            ErrorCode.PlatformJwksUnavailable,
            'Ferry could not load the platform’s public keys to check this launch.',
            { jwksUrl, reason: error instanceof Error ? error.message : String(error) },
            `Check that the platform's public keyset URL (${jwksUrl}) is reachable from Ferry and answers a JSON Web Key Set.`,
          );
        }
      };
      this.keySets.set(jwksUrl, keySet);
    }
    return keySet;
  }
}
