import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** Moodle's LTI_ACCESS_TOKEN_LIFE. */
export const ACCESS_TOKEN_LIFE_SECONDS = 3600;

export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

interface IssuedToken {
  scopes: string[];
  expiresAt: number;
}

/** Service access tokens issued at token.php (Moodle's lti_access_tokens): 32 hex characters, one hour. */
@Injectable()
export class AccessTokens {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly seenAssertionIds = new Set<string>();

  issue(scopes: string[]): string {
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, { scopes, expiresAt: Date.now() + ACCESS_TOKEN_LIFE_SECONDS * 1000 });
    return token;
  }

  /** True when the Authorization header carries a live token granted `scope`. */
  allows(authorization: string | undefined, scope: string): boolean {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const issued = token ? this.tokens.get(token) : undefined;
    return !!issued && issued.expiresAt > Date.now() && issued.scopes.includes(scope);
  }

  /** Records a client assertion's jti; false when it was used before. */
  firstUseOf(jti: string): boolean {
    if (this.seenAssertionIds.has(jti)) return false;
    this.seenAssertionIds.add(jti);
    return true;
  }
}
