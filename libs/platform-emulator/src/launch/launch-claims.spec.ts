import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACTIVITIES, DEFAULT_COURSE, DEFAULT_USERS } from '../emulator-settings';
import { buildLaunchClaims, type LaunchClaimsContext } from './launch-claims';

// Real Moodle 5.0 captures: decoded id_tokens from http://127.0.0.1:8088 to a tool at :8099.
function captured(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(__dirname, '../fixtures', `${name}.decoded.json`), 'utf8')).payload;
}

const SITE = 'http://127.0.0.1:8088';
const user = (username: string) => DEFAULT_USERS.find((candidate) => candidate.username === username)!;

function context(overrides: Partial<LaunchClaimsContext>): LaunchClaimsContext {
  return {
    siteUrl: SITE,
    issuer: SITE,
    clientId: 'Gyg39EMMRRzRyuO',
    course: DEFAULT_COURSE,
    user: user('admin'),
    nonce: 'n-1',
    messageType: 'LtiResourceLinkRequest',
    deploymentId: '1',
    targetLinkUri: 'http://127.0.0.1:8099/lti/launch',
    activity: { ...DEFAULT_ACTIVITIES[0], launchContainer: 'window' },
    sesskey: 'AbCdEfGhIj',
    outcomeSecret: 'secret',
    ...overrides,
  };
}

/** Replaces the values that differ on every launch (nonce, times, sesskeys, launch ids, hashes, site guid). */
function normalised(claims: Record<string, unknown>): unknown {
  const json = JSON.stringify(claims)
    .replace(/sesskey=[A-Za-z0-9]{10}/g, 'sesskey=SESSKEY')
    .replace(/\\"launchid\\":\d+/g, '\\"launchid\\":LAUNCHID')
    .replace(/\\"hash\\":\\"[0-9a-f]{64}\\"/g, '\\"hash\\":\\"HASH\\"');
  const parsed = JSON.parse(json) as Record<string, Record<string, unknown>>;
  const platform = parsed['https://purl.imsglobal.org/spec/lti/claim/tool_platform'];
  return { ...parsed, nonce: 'NONCE', iat: 0, exp: 0, 'https://purl.imsglobal.org/spec/lti/claim/tool_platform': { ...platform, guid: 'GUID' } };
}

describe(buildLaunchClaims.name, () => {
  it('builds the admin resource link launch exactly as captured, claim order included', () => {
    const sut = buildLaunchClaims(context({ user: user('admin') }));
    expect(normalised(sut)).toEqual(normalised(captured('launch-resource-link-admin')));
    expect(Object.keys(sut)).toEqual(Object.keys(captured('launch-resource-link-admin')));
  });

  it('builds the learner resource link launch exactly as captured', () => {
    const sut = buildLaunchClaims(context({ user: user('student1') }));
    expect(normalised(sut)).toEqual(normalised(captured('launch-resource-link-learner')));
  });

  it('builds the deep linking request exactly as captured: no resource link, outcome or line item', () => {
    const sut = buildLaunchClaims(
      context({ messageType: 'LtiDeepLinkingRequest', activity: undefined, deepLinking: { title: 'Picked', text: 'desc' } }),
    );
    expect(normalised(sut)).toEqual(normalised(captured('launch-deep-linking')));
    expect(Object.keys(sut)).toEqual(Object.keys(captured('launch-deep-linking')));
  });

  it('gives an instructor the membership Instructor role only', () => {
    const sut = buildLaunchClaims(context({ user: user('teacher1') }));
    expect(sut['https://purl.imsglobal.org/spec/lti/claim/roles']).toEqual(['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor']);
  });

  it('targets the iframe for an embedded activity, with Moodle\'s embed launch container', () => {
    const sut = buildLaunchClaims(context({ activity: DEFAULT_ACTIVITIES[0] }));
    expect(sut['https://purl.imsglobal.org/spec/lti/claim/launch_presentation']).toEqual({
      locale: 'en',
      document_target: 'iframe',
      return_url: `${SITE}/mod/lti/return.php?course=2&launch_container=3&instanceid=1&sesskey=AbCdEfGhIj`,
    });
  });

  it('expires 60 seconds after issue and signs the outcome sourcedid with the secret', () => {
    const sut = buildLaunchClaims(context({ now: new Date('2026-11-22T12:00:00Z') }));
    expect(sut.iat).toBe(Date.parse('2026-11-22T12:00:00Z') / 1000);
    expect(sut.exp).toBe((sut.iat as number) + 60);
    const outcome = sut['https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome'] as { lis_result_sourcedid: string };
    const other = buildLaunchClaims(context({ outcomeSecret: 'other' }));
    const otherOutcome = other['https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome'] as { lis_result_sourcedid: string };
    expect(JSON.parse(outcome.lis_result_sourcedid).hash).not.toBe(JSON.parse(otherOutcome.lis_result_sourcedid).hash);
  });

  it('leaves out the line item and basic outcome for an activity that takes no grades', () => {
    const sut = buildLaunchClaims(context({ activity: { ...DEFAULT_ACTIVITIES[0], lineItem: false } }));
    expect(sut).not.toHaveProperty(['https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome']);
    expect(sut['https://purl.imsglobal.org/spec/lti-ags/claim/endpoint']).not.toHaveProperty('lineitem');
  });
});
