import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLtiTestApp, type LtiTestApp } from '../testing';

const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

interface FakeMoodle {
  url: string;
  registrations: Array<{ authorization: string | undefined; body: Record<string, unknown> }>;
  /** Moodle versions that wrote the platform configuration key with a trailing space. */
  trailingSpaceKey: boolean;
  /** Serve a configuration whose issuer is another site. */
  foreignIssuer: boolean;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}

/**
 * Moodle's two Dynamic Registration endpoints, as mod/lti/openid-configuration.php and
 * openid-registration.php answer: the registration needs a Bearer registration token, checks the
 * required fields, and answers the tool configuration with the new type id as deployment_id.
 */
async function startFakeMoodle(): Promise<FakeMoodle> {
  let typeId = 6;
  const fake: Omit<FakeMoodle, 'url' | 'close'> = { registrations: [], trailingSpaceKey: false, foreignIssuer: false };
  const server: Server = createServer(async (request, response) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (request.url === '/mod/lti/openid-configuration.php') {
      const platformKey = `https://purl.imsglobal.org/spec/lti-platform-configuration${fake.trailingSpaceKey ? ' ' : ''}`;
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.end(
        JSON.stringify({
          issuer: fake.foreignIssuer ? 'https://elsewhere.example' : base,
          token_endpoint: `${base}/mod/lti/token.php`,
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
          jwks_uri: `${base}/mod/lti/certs.php`,
          authorization_endpoint: `${base}/mod/lti/auth.php`,
          registration_endpoint: `${base}/mod/lti/openid-registration.php`,
          scopes_supported: ['openid'],
          response_types_supported: ['id_token'],
          id_token_signing_alg_values_supported: ['RS256'],
          [platformKey]: { product_family_code: 'moodle', version: '5.0', messages_supported: ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] },
        }),
      );
      return;
    }
    if (request.url === '/mod/lti/openid-registration.php' && request.method === 'POST') {
      const authorization = request.headers.authorization;
      const body = JSON.parse(await readBody(request)) as Record<string, unknown>;
      fake.registrations.push({ authorization, body });
      if (!authorization?.startsWith('Bearer ')) {
        response.statusCode = 401;
        response.end('missing_registration_token');
        return;
      }
      if (body.token_endpoint_auth_method !== 'private_key_jwt' || !Array.isArray(body.redirect_uris)) {
        response.statusCode = 400;
        response.end('invalid_token_endpoint_auth_method');
        return;
      }
      typeId += 1;
      const tool = body[TOOL_CONFIGURATION] as Record<string, unknown>;
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.end(
        JSON.stringify({
          client_id: authorization.slice(7, 22),
          response_types: ['id_token'],
          jwks_uri: body.jwks_uri,
          initiate_login_uri: body.initiate_login_uri,
          redirect_uris: body.redirect_uris,
          token_endpoint_auth_method: 'private_key_jwt',
          client_name: body.client_name,
          [TOOL_CONFIGURATION]: { deployment_id: String(typeId), target_link_uri: tool.target_link_uri, domain: tool.domain, claims: ['sub', 'iss'] },
        }),
      );
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

describe('LTI Dynamic Registration (/lti/register)', () => {
  let ferry: LtiTestApp;
  let moodle: FakeMoodle;

  beforeAll(async () => {
    ferry = await startLtiTestApp({ LTI_DYNAMIC_REGISTRATION: 'open' });
  });
  afterAll(async () => {
    await ferry.close();
  });
  afterEach(async () => {
    await moodle?.close();
  });

  function registerUrl(query: Record<string, string>): string {
    return `${ferry.url}/lti/register?${new URLSearchParams(query)}`;
  }

  it('registers the platform from its OpenID configuration and shows the result framable by that platform', async () => {
    moodle = await startFakeMoodle();
    const token = `regtoken${randomUUID().replaceAll('-', '')}`;
    const response = await fetch(
      registerUrl({ openid_configuration: `${moodle.url}/mod/lti/openid-configuration.php`, registration_token: token }),
      { headers: { accept: 'text/html' } },
    );
    const page = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${moodle.url}`);
    expect(page).toContain('Ferry is now registered');
    expect(page).toContain('org.imsglobal.lti.close');

    const [registration] = moodle.registrations;
    expect(registration.authorization).toBe(`Bearer ${token}`);
    expect(registration.body).toMatchObject({
      initiate_login_uri: `${ferry.url}/lti/login`,
      redirect_uris: [`${ferry.url}/lti/launch`],
      jwks_uri: `${ferry.url}/.well-known/jwks.json`,
      token_endpoint_auth_method: 'private_key_jwt',
      response_types: ['id_token'],
    });

    const platform = await ferry.platforms.findByIssuerAndClientId(moodle.url, token.slice(0, 15));
    expect(platform).toMatchObject({
      status: 'active',
      authLoginUrl: `${moodle.url}/mod/lti/auth.php`,
      accessTokenUrl: `${moodle.url}/mod/lti/token.php`,
      jwksUrl: `${moodle.url}/mod/lti/certs.php`,
    });
    expect(platform!.deployments.map((deployment) => deployment.deploymentId)).toEqual(['7']);
  });

  it('reads the platform configuration key even with the trailing space some Moodle versions write', async () => {
    moodle = await startFakeMoodle();
    moodle.trailingSpaceKey = true;
    const response = await fetch(
      registerUrl({ openid_configuration: `${moodle.url}/mod/lti/openid-configuration.php`, registration_token: `t${randomUUID()}` }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Moodle at 127.0.0.1');
  });

  it('refuses a configuration whose issuer is another site, and registers nothing', async () => {
    moodle = await startFakeMoodle();
    moodle.foreignIssuer = true;
    const before = (await ferry.platforms.list()).length;
    const response = await fetch(registerUrl({ openid_configuration: `${moodle.url}/mod/lti/openid-configuration.php`, registration_token: 'x' }), {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('registration_invalid');
    expect(moodle.registrations).toHaveLength(0);
    expect(await ferry.platforms.list()).toHaveLength(before);
  });

  it('reports the platform refusing the registration as registration_failed', async () => {
    moodle = await startFakeMoodle();
    const response = await fetch(registerUrl({ openid_configuration: `${moodle.url}/mod/lti/openid-configuration.php` }), {
      headers: { accept: 'application/json' },
    });
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(502);
    expect(body.error.code).toBe('registration_failed');
    expect(body.error.message).toContain('missing_registration_token');
  });

  it('answers registration_invalid without an openid_configuration URL', async () => {
    moodle = await startFakeMoodle();
    const response = await fetch(registerUrl({}), { headers: { accept: 'application/json' } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('registration_invalid');
  });
});

describe('LTI Dynamic Registration policies', () => {
  let moodle: FakeMoodle;
  afterEach(async () => {
    await moodle?.close();
  });

  it('approval: the platform is recorded inactive until an operator activates it', async () => {
    const ferry = await startLtiTestApp({ LTI_DYNAMIC_REGISTRATION: 'approval' });
    try {
      moodle = await startFakeMoodle();
      const token = `approval${randomUUID().replaceAll('-', '')}`;
      const response = await fetch(
        `${ferry.url}/lti/register?${new URLSearchParams({ openid_configuration: `${moodle.url}/mod/lti/openid-configuration.php`, registration_token: token })}`,
      );
      expect(await response.text()).toContain('must activate');
      const platform = await ferry.platforms.findByIssuerAndClientId(moodle.url, token.slice(0, 15));
      expect(platform?.status).toBe('inactive');
    } finally {
      await ferry.close();
    }
  });

  it('off: refuses with registration_disabled and never calls the platform', async () => {
    const ferry = await startLtiTestApp({ LTI_DYNAMIC_REGISTRATION: 'off' });
    try {
      moodle = await startFakeMoodle();
      const response = await fetch(
        `${ferry.url}/lti/register?${new URLSearchParams({ openid_configuration: `${moodle.url}/mod/lti/openid-configuration.php`, registration_token: 't' })}`,
        { headers: { accept: 'application/json' } },
      );
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('registration_disabled');
      expect(moodle.registrations).toHaveLength(0);
    } finally {
      await ferry.close();
    }
  });
});
