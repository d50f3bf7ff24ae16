import { describe, expect, it } from 'vitest';
import { isSameMoodleUser } from '../connections/moodle-connections.service';
import { authorizationServerMetadataUrl, providerPresets } from './oauth-endpoints';

describe('OAuth provider endpoints', () => {
  it('puts RFC 8414’s well-known segment between the host and a Moodle in a subdirectory', () => {
    expect(authorizationServerMetadataUrl('https://moodle.example.edu')).toBe('https://moodle.example.edu/.well-known/oauth-authorization-server');
    expect(authorizationServerMetadataUrl('https://example.edu/moodle/')).toBe('https://example.edu/.well-known/oauth-authorization-server/moodle');
  });

  it('knows the plugins’ usual paths under the site URL', () => {
    const presets = providerPresets('https://example.edu/moodle/');
    expect(presets.local_oauthmcp).toMatchObject({ tokenUrl: 'https://example.edu/moodle/local/oauthmcp/token.php', scope: 'webservice' });
    expect(presets.local_oauth2).toMatchObject({ authorizeUrl: 'https://example.edu/moodle/local/oauth2/login.php', revokeUrl: null });
  });
});

describe('whose token it is', () => {
  it('compares Moodle user ids when the LTI sub is one (Moodle), usernames otherwise', () => {
    expect(isSameMoodleUser({ sub: '2', username: null }, { userid: 2, username: 'admin' })).toBe(true);
    expect(isSameMoodleUser({ sub: '2', username: 'admin' }, { userid: 4, username: 'admin' })).toBe(false);
    expect(isSameMoodleUser({ sub: 'a-uuid', username: 'Admin' }, { userid: 2, username: 'admin' })).toBe(true);
    expect(isSameMoodleUser({ sub: 'a-uuid', username: null }, { userid: 2, username: 'admin' })).toBe(false);
  });
});
