import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { configuredSettings, moodleSettings } from '@/testing/moodle-fixtures';
import { errorsFromApi, initialDraft, toSaveRequest, validateDraft, withProvider } from './settings-draft';

describe(initialDraft.name, () => {
  it('starts a new setup from the suggestions, and an edit from the saved settings without the secret', () => {
    expect(initialDraft(moodleSettings())).toMatchObject({
      moodleUrl: 'https://moodle.example.edu',
      method: 'oauth',
      provider: 'local_oauthmcp',
      tokenUrl: 'https://moodle.example.edu/local/oauthmcp/token.php',
      service: 'moodle_mobile_app',
    });
    expect(initialDraft(configuredSettings())).toMatchObject({ clientId: 'ferry', clientSecret: '' });
  });
});

describe(withProvider.name, () => {
  it('keeps hand-edited endpoints when switching to a custom provider', () => {
    const draft = { ...initialDraft(moodleSettings()), tokenUrl: 'https://moodle.example.edu/own/token.php' };

    expect(withProvider(draft, 'custom', moodleSettings()).tokenUrl).toBe('https://moodle.example.edu/own/token.php');
  });
});

describe(validateDraft.name, () => {
  it('needs a secret only when none is stored, and endpoints only for a custom provider', () => {
    const draft = { ...initialDraft(moodleSettings()), clientId: 'ferry', authorizeUrl: '', tokenUrl: '' };

    expect(validateDraft(draft, true)).toEqual({});
    expect(Object.keys(validateDraft(draft, false))).toEqual(['clientSecret']);
    expect(Object.keys(validateDraft({ ...draft, provider: 'custom' }, true)).sort()).toEqual(['authorizeUrl', 'tokenUrl']);
    expect(validateDraft({ ...draft, revokeUrl: 'ftp://x' }, true)).toEqual({ revokeUrl: { key: 'setup.error.url' } });
  });
});

describe(toSaveRequest.name, () => {
  it('leaves out a blank secret (keep the stored one) and blank endpoints (read from discovery)', () => {
    const draft = { ...initialDraft(configuredSettings()), revokeUrl: ' ' };

    expect(toSaveRequest(draft).oauth).toEqual({
      provider: 'local_oauthmcp',
      clientId: 'ferry',
      authorizeUrl: 'https://moodle.example.edu/local/oauthmcp/authorize.php',
      tokenUrl: 'https://moodle.example.edu/local/oauthmcp/token.php',
      scope: 'webservice',
    });
  });

  it('sends the service only for credentials, and no OAuth client for other methods', () => {
    const draft = { ...initialDraft(moodleSettings()), method: 'credentials' as const };

    expect(toSaveRequest(draft)).toEqual({ moodleUrl: 'https://moodle.example.edu', method: 'credentials', service: 'moodle_mobile_app' });
  });
});

describe(errorsFromApi.name, () => {
  it('maps the failing part of a live check to its field or group', () => {
    expect(errorsFromApi(new ApiError(502, 'moodle_ws_disabled', 'x'))).toEqual({ moodleUrl: { key: 'setup.error.wsDisabled' } });
    expect(errorsFromApi(new ApiError(422, 'oauth_endpoint_invalid', 'x', { part: 'discovery' }))).toEqual({
      endpoints: { key: 'setup.error.endpointInvalid' },
    });
    expect(errorsFromApi(new ApiError(422, 'oauth_client_rejected', 'x'))).toEqual({ client: { key: 'setup.error.clientRejected' } });
    expect(errorsFromApi(new ApiError(500, 'internal_error', 'x'))).toBeNull();
  });
});
