import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MOBILE_SERVICE, SERVICE_FUNCTIONS, type MoodleSite } from './moodle-site';
import type { EmulatorOauthClient } from './moodle.types';

export const OAUTH_SCOPE = 'webservice';
const CODE_TTL_MS = 10 * 60 * 1000;
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export type OauthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope';

export class OauthError extends Error {
  constructor(
    readonly code: OauthErrorCode,
    readonly description: string,
  ) {
    super(description);
  }
}

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  userId: string;
  codeChallenge: string;
  scope: string;
}

interface IssuedCode extends AuthorizationRequest {
  expiresAt: number;
  used: boolean;
  /** The token family the code was redeemed into, so a replayed code can revoke it. */
  family?: string;
}

interface RefreshTokenRecord {
  clientId: string;
  userId: string;
  scope: string;
  family: string;
  /** Rotated: presenting it again means it leaked, so the whole family goes. */
  used: boolean;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/**
 * The OAuth 2 authorization server of the `local_oauthmcp` stand-in: authorization codes bound to
 * PKCE S256, rotating refresh tokens in families, RFC 7009 revocation. Access tokens are web service
 * tokens of the site (valid as `wstoken` and as pluginfile `token`).
 */
export class OauthProvider {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly grantLog: Array<'authorization_code' | 'refresh_token'> = [];
  /** Which client each token family was issued to. */
  private readonly familyClients = new Map<string, string>();

  constructor(private readonly site: MoodleSite) {}

  grants(grantType?: 'authorization_code' | 'refresh_token'): number {
    return grantType ? this.grantLog.filter((grant) => grant === grantType).length : this.grantLog.length;
  }

  findClient(clientId: string | undefined): EmulatorOauthClient | undefined {
    return this.site.oauthClients.find((client) => client.clientId === clientId);
  }

  /** Client secret check in constant time. */
  authenticateClient(clientId: string | undefined, clientSecret: string | undefined): EmulatorOauthClient {
    const client = this.findClient(clientId);
    const digest = (value: string) => createHash('sha256').update(value).digest();
    if (!client || clientSecret === undefined || !timingSafeEqual(digest(client.clientSecret), digest(clientSecret))) {
      throw new OauthError('invalid_client', 'Client authentication failed');
    }
    return client;
  }

  issueCode(request: AuthorizationRequest): string {
    const code = randomBytes(20).toString('hex');
    this.codes.set(code, { ...request, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return code;
  }

  redeemCode(client: EmulatorOauthClient, form: Record<string, string | undefined>): TokenResponse {
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = form;
    if (!code || !redirectUri || !verifier) throw new OauthError('invalid_request', 'code, redirect_uri and code_verifier are required');
    const issued = this.codes.get(code);
    if (!issued || issued.clientId !== client.clientId || issued.expiresAt <= Date.now()) {
      throw new OauthError('invalid_grant', 'The authorization code is invalid or expired');
    }
    if (issued.used) {
      // RFC 6749 4.1.2: a code used twice revokes what it was exchanged for.
      if (issued.family) this.revokeFamily(issued.family);
      throw new OauthError('invalid_grant', 'The authorization code has already been used');
    }
    issued.used = true;
    if (issued.redirectUri !== redirectUri) throw new OauthError('invalid_grant', 'redirect_uri does not match the authorization request');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!VERIFIER.test(verifier) || challenge !== issued.codeChallenge) {
      throw new OauthError('invalid_grant', 'The code_verifier does not match the code_challenge');
    }
    issued.family = randomBytes(8).toString('hex');
    this.grantLog.push('authorization_code');
    return this.issueTokens(client.clientId, issued.userId, issued.scope, issued.family);
  }

  refresh(client: EmulatorOauthClient, form: Record<string, string | undefined>): TokenResponse {
    const presented = form.refresh_token;
    if (!presented) throw new OauthError('invalid_request', 'refresh_token is required');
    const record = this.refreshTokens.get(presented);
    if (!record || record.clientId !== client.clientId) throw new OauthError('invalid_grant', 'The refresh token is invalid');
    if (record.used) {
      this.revokeFamily(record.family);
      throw new OauthError('invalid_grant', 'The refresh token has already been used; its token family is revoked');
    }
    const scope = form.scope ?? record.scope;
    if (!scope.split(' ').every((requested) => record.scope.split(' ').includes(requested))) {
      throw new OauthError('invalid_scope', 'The requested scope exceeds the granted scope');
    }
    record.used = true;
    this.grantLog.push('refresh_token');
    return this.issueTokens(client.clientId, record.userId, scope, record.family);
  }

  /** RFC 7009: an unknown token, or one of another client, is not an error. */
  revoke(client: EmulatorOauthClient, token: string): void {
    const refresh = this.refreshTokens.get(token);
    if (refresh && refresh.clientId === client.clientId) {
      this.revokeFamily(refresh.family);
      return;
    }
    const access = this.site.tokens.get(token);
    if (access?.kind === 'oauth' && access.family && this.familyClients.get(access.family) === client.clientId) this.site.tokens.delete(token);
  }

  /** Every OAuth token of the user (or everyone), refresh tokens included. */
  revokeUser(userId: string | undefined): void {
    for (const [token, record] of this.refreshTokens) if (userId === undefined || record.userId === userId) this.refreshTokens.delete(token);
  }

  expireAccessTokens(): void {
    const now = Date.now();
    for (const token of this.site.tokens.values()) if (token.kind === 'oauth') token.expiresAt = Math.min(token.expiresAt ?? now, now);
  }

  private issueTokens(clientId: string, userId: string, scope: string, family: string): TokenResponse {
    const accessToken = randomBytes(16).toString('hex');
    const refreshToken = randomBytes(32).toString('hex');
    const ttl = this.site.accessTokenTtlSeconds;
    this.site.tokens.set(accessToken, {
      token: accessToken,
      userId,
      service: MOBILE_SERVICE,
      functions: [...SERVICE_FUNCTIONS],
      kind: 'oauth',
      expiresAt: Date.now() + ttl * 1000,
      family,
    });
    this.refreshTokens.set(refreshToken, { clientId, userId, scope, family, used: false });
    this.familyClients.set(family, clientId);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ttl, refresh_token: refreshToken, scope };
  }

  private revokeFamily(family: string): void {
    for (const [token, record] of this.refreshTokens) if (record.family === family) this.refreshTokens.delete(token);
    for (const [token, record] of this.site.tokens) if (record.family === family) this.site.tokens.delete(token);
  }
}
