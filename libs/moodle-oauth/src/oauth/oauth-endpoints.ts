import * as oauth from 'openid-client';
import type { OauthProvider } from '../settings/platform-moodle-settings.entity';

/** Where a Moodle OAuth2 provider plugin answers, and the scope Ferry asks for. */
export interface OauthEndpoints {
  /** The authorization server's issuer (RFC 8414); Moodle's site URL for the plugins Ferry knows. */
  issuer: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string | null;
  scope: string;
}

export interface OauthClient {
  clientId: string;
  clientSecret: string;
}

/** Seconds any one request to Moodle's OAuth endpoints may take. */
export const OAUTH_TIMEOUT_SECONDS = 15;

export type ProviderPreset = Omit<OauthEndpoints, 'issuer'> & { metadataUrl: string | null };

/** RFC 8414 section 3: the well-known segment goes between the host and the issuer's path. */
export function authorizationServerMetadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}/.well-known/oauth-authorization-server${path}`;
}

/**
 * The usual endpoints of the Moodle OAuth2 provider plugins Ferry documents, for a site URL.
 * local_oauthmcp publishes RFC 8414 metadata; local_oauth2 (Moodle 4.5+) does not and has no revocation.
 */
export function providerPresets(moodleUrl: string): Record<Exclude<OauthProvider, 'custom'>, ProviderPreset> {
  const base = moodleUrl.replace(/\/+$/, '');
  return {
    local_oauthmcp: {
      authorizeUrl: `${base}/local/oauthmcp/authorize.php`,
      tokenUrl: `${base}/local/oauthmcp/token.php`,
      revokeUrl: `${base}/local/oauthmcp/revoke.php`,
      scope: 'webservice',
      metadataUrl: authorizationServerMetadataUrl(base),
    },
    local_oauth2: {
      authorizeUrl: `${base}/local/oauth2/login.php`,
      tokenUrl: `${base}/local/oauth2/token.php`,
      revokeUrl: null,
      scope: '',
      metadataUrl: null,
    },
  };
}

/** An openid-client configuration for one platform's Moodle OAuth client (client_secret_post). */
export function oauthConfiguration(endpoints: OauthEndpoints, client: OauthClient, allowHttp: boolean): oauth.Configuration {
  const config = new oauth.Configuration(
    {
      issuer: endpoints.issuer,
      authorization_endpoint: endpoints.authorizeUrl,
      token_endpoint: endpoints.tokenUrl,
      ...(endpoints.revokeUrl ? { revocation_endpoint: endpoints.revokeUrl } : {}),
    },
    client.clientId,
    undefined,
    oauth.ClientSecretPost(client.clientSecret),
  );
  config.timeout = OAUTH_TIMEOUT_SECONDS;
  if (allowHttp) oauth.allowInsecureRequests(config);
  return config;
}

/** Reads the provider's RFC 8414 metadata; null when Moodle publishes none. */
export async function discoverEndpoints(moodleUrl: string, client: OauthClient, allowHttp: boolean): Promise<Omit<OauthEndpoints, 'scope'> | null> {
  try {
    const config = await oauth.discovery(new URL(moodleUrl), client.clientId, undefined, oauth.ClientSecretPost(client.clientSecret), {
      algorithm: 'oauth2',
      timeout: OAUTH_TIMEOUT_SECONDS,
      ...(allowHttp ? { execute: [oauth.allowInsecureRequests] } : {}),
    });
    const metadata = config.serverMetadata();
    if (!metadata.authorization_endpoint || !metadata.token_endpoint) return null;
    return {
      issuer: metadata.issuer,
      authorizeUrl: metadata.authorization_endpoint,
      tokenUrl: metadata.token_endpoint,
      revokeUrl: metadata.revocation_endpoint ?? null,
    };
  } catch {
    return null;
  }
}

/** The OAuth error code (RFC 6749 section 5.2) of a failed grant, or null when the server did not answer like an OAuth server. */
export function oauthErrorCode(error: unknown): string | null {
  if (error instanceof oauth.ResponseBodyError) return error.error;
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    // A 401 with a challenge is how RFC 6749 section 5.2 answers a client that failed to authenticate.
    const named = error.cause.map((challenge) => challenge.parameters.error).find(Boolean);
    return named ?? (error.status === 401 ? 'invalid_client' : null);
  }
  return null;
}
