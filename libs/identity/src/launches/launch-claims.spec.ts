import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FerryError } from '@ferry/errors';
import { LtiClaim, mapLaunchClaims, type LaunchClaims } from './launch-claims';

// Real Moodle 5.0 captures (decoded id_tokens).
const FIXTURES = join(__dirname, 'fixtures');

function fixturePayload(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.decoded.json`), 'utf8')).payload;
}

/** Where each payload claim must reappear in LaunchClaims. */
const claimLocations: Record<string, (claims: LaunchClaims) => unknown> = {
  iss: (c) => c.issuer,
  aud: (c) => c.audience,
  azp: (c) => c.authorizedParty,
  iat: (c) => c.issuedAt,
  exp: (c) => c.expiresAt,
  nbf: (c) => c.notBefore,
  nonce: (c) => c.nonce,
  sub: (c) => c.user.sub,
  name: (c) => c.user.name,
  given_name: (c) => c.user.givenName,
  family_name: (c) => c.user.familyName,
  middle_name: (c) => c.user.middleName,
  email: (c) => c.user.email,
  picture: (c) => c.user.picture,
  locale: (c) => c.user.locale,
  [LtiClaim.MessageType]: (c) => c.messageType,
  [LtiClaim.Version]: (c) => c.version,
  [LtiClaim.DeploymentId]: (c) => c.deploymentId,
  [LtiClaim.TargetLinkUri]: (c) => c.targetLinkUri,
  [LtiClaim.Roles]: (c) => c.roles,
  [LtiClaim.RoleScopeMentor]: (c) => c.roleScopeMentor,
  [LtiClaim.Context]: (c) => c.context,
  [LtiClaim.ResourceLink]: (c) => c.resourceLink,
  [LtiClaim.LaunchPresentation]: (c) => c.launchPresentation,
  [LtiClaim.ToolPlatform]: (c) => c.toolPlatform,
  [LtiClaim.Custom]: (c) => c.custom,
  [LtiClaim.Lis]: (c) => c.lis,
  [LtiClaim.Ext]: (c) => c.ext,
  [LtiClaim.AgsEndpoint]: (c) => c.agsEndpoint,
  [LtiClaim.NrpsService]: (c) => c.nrpsService,
  [LtiClaim.DeepLinkingSettings]: (c) => c.deepLinkingSettings,
  [LtiClaim.BasicOutcome]: (c) => c.basicOutcome,
};

function expectNothingLost(payload: Record<string, unknown>, claims: LaunchClaims) {
  for (const [key, value] of Object.entries(payload)) {
    const locate = claimLocations[key] ?? ((c: LaunchClaims) => c.otherClaims[key]);
    expect(locate(claims), key).toEqual(value);
  }
}

function claimInvalid(payload: Record<string, unknown>): string | undefined {
  try {
    mapLaunchClaims(payload);
  } catch (error) {
    if (error instanceof FerryError) return `${error.code}:${(error.details as { claim: string }).claim}`;
    throw error;
  }
  return undefined;
}

describe(mapLaunchClaims.name, () => {
  for (const fixture of ['launch-resource-link-admin', 'launch-resource-link-learner', 'launch-deep-linking']) {
    it(`keeps every claim of the Moodle capture ${fixture}`, () => {
      const payload = fixturePayload(fixture);
      const sut = mapLaunchClaims(payload);
      expectNothingLost(payload, sut);
      expect(sut.otherClaims).toEqual({});
    });
  }

  it('types what Ferry reads from a resource link launch', () => {
    const sut = mapLaunchClaims(fixturePayload('launch-resource-link-admin'));
    expect(sut).toMatchObject({
      messageType: 'LtiResourceLinkRequest',
      deploymentId: '1',
      context: { id: '2', label: 'TRANSFER101', title: 'Transfer 101', type: ['CourseSection'] },
      resourceLink: { id: '1', title: 'LTI Transfer activity', description: 'Test lti 1' },
      user: { sub: '2', name: 'Admin User', email: 'admin@example.com', username: 'admin', locale: null },
      locale: 'en',
      deepLinkingSettings: null,
    });
    expect(sut.agsEndpoint?.lineitem).toContain('/lineitem?type_id=1');
    expect(sut.nrpsService?.context_memberships_url).toContain('/memberships');
    expect(sut.basicOutcome?.lis_outcome_service_url).toContain('/mod/lti/service.php');
  });

  it('reads deep linking settings', () => {
    const sut = mapLaunchClaims(fixturePayload('launch-deep-linking'));
    expect(sut.deepLinkingSettings).toMatchObject({ accept_types: ['ltiResourceLink'], accept_multiple: true });
    expect(sut.deepLinkingSettings?.deep_link_return_url).toContain('/mod/lti/contentitem_return.php');
    expect(sut.resourceLink).toBeNull();
  });

  it('keeps unknown claims and unknown members of known claims', () => {
    const payload = {
      ...fixturePayload('launch-resource-link-learner'),
      'https://purl.imsglobal.org/spec/lti/claim/lti1p1': { user_id: '3' },
      'https://example.com/vendor': [1, 2],
      [LtiClaim.Context]: { id: '2', extra: { nested: true } },
    };
    const sut = mapLaunchClaims(payload);
    expectNothingLost(payload, sut);
    expect(Object.keys(sut.otherClaims).sort()).toEqual([
      'https://example.com/vendor',
      'https://purl.imsglobal.org/spec/lti/claim/lti1p1',
    ]);
  });

  it('falls back to the OIDC locale claim, and accepts a launch with no personal data', () => {
    const payload = fixturePayload('launch-resource-link-learner');
    for (const key of ['name', 'given_name', 'family_name', 'email', LtiClaim.Ext, LtiClaim.LaunchPresentation]) {
      delete payload[key];
    }
    payload.locale = 'de';
    const sut = mapLaunchClaims(payload);
    expect(sut.user).toEqual({
      sub: '3',
      name: null,
      givenName: null,
      familyName: null,
      middleName: null,
      email: null,
      picture: null,
      locale: 'de',
      username: null,
    });
    expect(sut.locale).toBe('de');
  });

  it('refuses claims of the wrong type with claim_invalid', () => {
    const base = fixturePayload('launch-resource-link-admin');
    expect(claimInvalid({ ...base, [LtiClaim.Context]: 'course 2' })).toBe(`claim_invalid:${LtiClaim.Context}`);
    expect(claimInvalid({ ...base, [LtiClaim.Context]: { label: 'no id' } })).toBe(`claim_invalid:${LtiClaim.Context}#id`);
    expect(claimInvalid({ ...base, [LtiClaim.ResourceLink]: { id: 7 } })).toBe(`claim_invalid:${LtiClaim.ResourceLink}#id`);
    expect(claimInvalid({ ...base, [LtiClaim.Roles]: ['Learner', 3] })).toBe(`claim_invalid:${LtiClaim.Roles}`);
    expect(claimInvalid({ ...base, [LtiClaim.Custom]: ['a'] })).toBe(`claim_invalid:${LtiClaim.Custom}`);
    expect(claimInvalid({ ...base, email: false })).toBe('claim_invalid:email');
    expect(claimInvalid({ ...base, aud: [] })).toBe('claim_invalid:aud');
    expect(claimInvalid({ ...base, [LtiClaim.DeploymentId]: 1 })).toBe(`claim_invalid:${LtiClaim.DeploymentId}`);
    expect(claimInvalid(base)).toBeUndefined();
  });
});
