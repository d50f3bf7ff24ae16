import type { FieldError } from '@/components/form-field';
import { isApiError } from '@/lib/api-client';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import type { ConnectionMethod, MoodleSettings, OauthProvider, SaveMoodleSettings } from './types';

/** The setup form's values, as typed. */
export interface SettingsDraft {
  moodleUrl: string;
  method: ConnectionMethod;
  provider: OauthProvider;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  scope: string;
  clientId: string;
  /** Blank keeps the stored secret when there is one. */
  clientSecret: string;
  service: string;
}

export type SettingsField = keyof SettingsDraft;
/** Parts checked together by Moodle: the OAuth endpoints, and the client id with its secret. */
export type SettingsGroup = 'endpoints' | 'client';

export type SettingsErrors = Partial<Record<SettingsField | SettingsGroup, FieldError>>;

export const defaultService = 'moodle_mobile_app';
const endpointFields = ['authorizeUrl', 'tokenUrl', 'revokeUrl', 'scope'] as const;

export function initialDraft(settings: MoodleSettings): SettingsDraft {
  const { oauth, suggestions } = settings;
  const provider = oauth?.provider ?? 'local_oauthmcp';
  const suggested = provider === 'custom' ? undefined : suggestions.providers[provider];
  return {
    moodleUrl: settings.moodleUrl ?? suggestions.moodleUrl,
    method: settings.method ?? 'oauth',
    provider,
    authorizeUrl: oauth?.authorizeUrl ?? suggested?.authorizeUrl ?? '',
    tokenUrl: oauth?.tokenUrl ?? suggested?.tokenUrl ?? '',
    revokeUrl: (oauth ? oauth.revokeUrl : suggested?.revokeUrl) ?? '',
    scope: oauth?.scope ?? suggested?.scope ?? '',
    clientId: oauth?.clientId ?? '',
    clientSecret: '',
    service: settings.service ?? defaultService,
  };
}

/** Choosing a provider fills in its usual endpoints; "custom" keeps what is there to edit. */
export function withProvider(draft: SettingsDraft, provider: OauthProvider, settings: MoodleSettings): SettingsDraft {
  const suggested = provider === 'custom' ? undefined : settings.suggestions.providers[provider];
  if (!suggested) return { ...draft, provider };
  return {
    ...draft,
    provider,
    authorizeUrl: suggested.authorizeUrl,
    tokenUrl: suggested.tokenUrl,
    revokeUrl: suggested.revokeUrl ?? '',
    scope: suggested.scope,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** What the form can tell before asking Ferry; Ferry checks again and Moodle has the last word. */
export function validateDraft(draft: SettingsDraft, secretStored: boolean): SettingsErrors {
  const errors: SettingsErrors = {};
  if (!draft.moodleUrl.trim()) errors.moodleUrl = { key: 'setup.error.required' };
  else if (!isHttpUrl(draft.moodleUrl.trim())) errors.moodleUrl = { key: 'setup.error.url' };

  if (draft.method === 'oauth') {
    for (const field of ['authorizeUrl', 'tokenUrl', 'revokeUrl'] as const) {
      const value = draft[field].trim();
      const required = draft.provider === 'custom' && field !== 'revokeUrl';
      if (!value && required) errors[field] = { key: 'setup.error.required' };
      else if (value && !isHttpUrl(value)) errors[field] = { key: 'setup.error.url' };
    }
    if (!draft.clientId.trim()) errors.clientId = { key: 'setup.error.required' };
    if (!draft.clientSecret && !secretStored) errors.clientSecret = { key: 'setup.error.required' };
  }
  if (draft.method === 'credentials' && !draft.service.trim()) errors.service = { key: 'setup.error.required' };
  return errors;
}

export function toSaveRequest(draft: SettingsDraft): SaveMoodleSettings {
  const request: SaveMoodleSettings = { moodleUrl: draft.moodleUrl.trim(), method: draft.method };
  if (draft.method === 'credentials') request.service = draft.service.trim();
  if (draft.method === 'oauth') {
    const oauth: NonNullable<SaveMoodleSettings['oauth']> = { provider: draft.provider, clientId: draft.clientId.trim() };
    if (draft.clientSecret) oauth.clientSecret = draft.clientSecret;
    // A blank endpoint is left out, so Ferry reads it from the provider's discovery metadata.
    for (const field of endpointFields) {
      const value = draft[field].trim();
      if (value) oauth[field] = value;
    }
    request.oauth = oauth;
  }
  return request;
}

const fieldNames = new Set<string>([
  'moodleUrl', 'method', 'provider', 'authorizeUrl', 'tokenUrl', 'revokeUrl', 'scope', 'clientId', 'clientSecret', 'service',
]);

/** `oauth.clientId` (the request's shape) → `clientId` (the form's). */
function toField(path: string): SettingsField | null {
  const name = path.startsWith('oauth.') ? path.slice('oauth.'.length) : path;
  return fieldNames.has(name) ? (name as SettingsField) : null;
}

const partOfCode: Record<string, { target: SettingsField | SettingsGroup; key: PlainMessageKey }> = {
  moodle_unreachable: { target: 'moodleUrl', key: 'setup.error.unreachable' },
  moodle_ws_disabled: { target: 'moodleUrl', key: 'setup.error.wsDisabled' },
  moodle_maintenance: { target: 'moodleUrl', key: 'setup.error.maintenance' },
  insecure_platform_url: { target: 'moodleUrl', key: 'setup.error.insecureUrl' },
  oauth_endpoint_invalid: { target: 'endpoints', key: 'setup.error.endpointInvalid' },
  oauth_client_rejected: { target: 'client', key: 'setup.error.clientRejected' },
  moodle_service_unavailable: { target: 'service', key: 'setup.error.serviceUnavailable' },
};

/**
 * Where a refused save goes in the form: a 400's per-field messages next to their fields, a
 * failed live check (422) next to the part that failed. Null when no field is to blame.
 */
export function errorsFromApi(error: unknown): SettingsErrors | null {
  if (!isApiError(error)) return null;
  const details = (error.details ?? {}) as { fields?: Record<string, string[]>; part?: unknown };
  if (error.code === 'validation_failed' && details.fields) {
    const errors: SettingsErrors = {};
    for (const [path, messages] of Object.entries(details.fields)) {
      const field = toField(path);
      if (field) errors[field] = { text: messages.join(' ') };
    }
    return Object.keys(errors).length ? errors : null;
  }
  const mapped = partOfCode[error.code];
  if (!mapped) return null;
  // An endpoint Moodle named is more precise than the group of endpoints.
  const namedPart = typeof details.part === 'string' ? toField(details.part) : null;
  const target = mapped.target === 'endpoints' && namedPart && (endpointFields as readonly string[]).includes(namedPart)
    ? namedPart
    : mapped.target;
  return { [target]: { key: mapped.key } };
}
