import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { FerryConfig } from '@ferry/config';
import { InjectRedis, takeOnce } from '@ferry/redis';

/** What /lti/login remembers for /lti/launch, under the OIDC state. */
export interface LoginState {
  platformId: string;
  nonce: string;
  targetLinkUri: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

// The Redis entry outlives the state's validity a little, so a late launch hears "expired" rather
// than "unknown".
const EXPIRED_STATE_GRACE_SECONDS = 300;

export const ltiRedisKeys = {
  state: (state: string) => `ferry:lti:state:${state}`,
  nonce: (platformId: string, nonce: string) => `ferry:lti:nonce:${platformId}:${nonce}`,
};

/** Name of the cookie binding one login's state to the browser; one per state, so tabs don't clash. */
export const STATE_COOKIE_PREFIX = 'ferry_lti_state_';
export function stateCookieName(state: string): string {
  return `${STATE_COOKIE_PREFIX}${state.slice(0, 16)}`;
}

/** One-time OIDC login state and the nonce replay set, in Redis so any replica can finish a launch. */
@Injectable()
export class LtiStateStore {
  constructor(
    @InjectRedis() private readonly redis: Redis,
    private readonly config: FerryConfig,
  ) {}

  async saveState(state: string, value: LoginState): Promise<void> {
    const ttl = this.config.lti.stateTtlSeconds + EXPIRED_STATE_GRACE_SECONDS;
    await this.redis.set(ltiRedisKeys.state(state), JSON.stringify(value), 'EX', ttl);
  }

  /** Reads and deletes the state: of two launches racing with the same state, one gets it. */
  async takeState(state: string): Promise<LoginState | null> {
    const raw = await takeOnce(this.redis, ltiRedisKeys.state(state));
    return raw ? (JSON.parse(raw) as LoginState) : null;
  }

  isExpired(value: LoginState, now = Date.now()): boolean {
    return now - value.createdAt > this.config.lti.stateTtlSeconds * 1000;
  }

  /** Marks a nonce used; false when it already was. Kept at least as long as the token is valid. */
  async markNonceUsed(platformId: string, nonce: string, ttlSeconds: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    const set = await this.redis.set(ltiRedisKeys.nonce(platformId, nonce), '1', 'EX', ttl, 'NX');
    return set === 'OK';
  }
}
