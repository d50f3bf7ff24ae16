/** Shapes of the Moodle connection API (CONTRACT.md and the moodle-oauth lib's HTTP interface). */

export type ConnectionMethod = 'oauth' | 'wstoken' | 'credentials';
export type OauthProvider = 'local_oauthmcp' | 'local_oauth2' | 'custom';

/** `GET /api/moodle-connection`: the calling admin's own connection. */
export interface MoodleConnection {
  configured: boolean;
  method: ConnectionMethod | null;
  moodleUrl: string | null;
  connected: boolean;
  moodleUser: { id: number; username: string; fullname: string } | null;
  /** Web service functions Ferry needs that the token's service lacks, by name. */
  missingFunctions: string[];
  /** The stored token stopped working and could not be refreshed. */
  needsReconnect: boolean;
  /** How this admin may connect: the platform's configured method, and 'wstoken' always. */
  methods: ConnectionMethod[];
}

export interface ProviderEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string | null;
  scope: string;
  metadataUrl?: string | null;
}

/** `GET /api/platform/moodle-settings`; the client secret is write-only, so only whether one is stored. */
export interface MoodleSettings {
  configured: boolean;
  moodleUrl: string | null;
  method: ConnectionMethod | null;
  service: string | null;
  oauth: {
    provider: OauthProvider;
    clientId: string;
    clientSecretSet: boolean;
    authorizeUrl: string;
    tokenUrl: string;
    revokeUrl: string | null;
    scope: string;
  } | null;
  suggestions: {
    /** The platform's issuer, which is Moodle's site URL. */
    moodleUrl: string;
    providers: Partial<Record<Exclude<OauthProvider, 'custom'>, ProviderEndpoints>>;
  };
}

/** `PUT /api/platform/moodle-settings`. */
export interface SaveMoodleSettings {
  moodleUrl: string;
  method: ConnectionMethod;
  service?: string;
  oauth?: {
    provider?: OauthProvider;
    clientId: string;
    /** Omitted to keep the stored secret. */
    clientSecret?: string;
    authorizeUrl?: string;
    tokenUrl?: string;
    revokeUrl?: string;
    scope?: string;
  };
}

/** What the OAuth callback page posts to its opener. */
export type OauthOutcomeMessage =
  | { type: 'ferry:moodle-oauth'; ok: true }
  | { type: 'ferry:moodle-oauth'; ok: false; error: { code: string; message: string } };
