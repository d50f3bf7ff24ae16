import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFerryStack, type FerryStack } from './support/ferry-stack';

describe('the api as production builds it', () => {
  let stack: FerryStack;

  beforeAll(async () => {
    stack = await startFerryStack();
  });
  afterAll(() => stack?.stop());

  it('reports health of the database, Redis and storage', async () => {
    const response = await fetch(`${stack.publicUrl}/healthz`);
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({
      ok: true,
      checks: { database: 'up', redis: 'up', storage: 'up' },
    });
  });

  it('may be framed by registered platforms only, and never sends X-Frame-Options', async () => {
    const response = await fetch(`${stack.publicUrl}/app/launch`);
    const csp = response.headers.get('content-security-policy') ?? '';
    const frameAncestors = csp.split(';').find((directive) => directive.trim().startsWith('frame-ancestors')) ?? '';
    expect(frameAncestors).toContain(new URL(stack.platform.issuer).origin);
    expect(frameAncestors).not.toContain('*');
    expect(response.headers.get('x-frame-options')).toBeNull();
  });

  it('serves the SPA at /app and its client-side routes', async () => {
    for (const path of ['/app/', '/app/launch', '/app/deep-link']) {
      const response = await fetch(`${stack.publicUrl}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      await expect(response.text()).resolves.toContain('/app/assets/');
    }
  });

  it('answers unknown routes with the contract error shape', async () => {
    const response = await fetch(`${stack.publicUrl}/api/nothing-here`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(404);
    await expect(response.json()).resolves.toMatchObject({ error: { code: 'not_found' } });
  });

  it('publishes Ferry’s public keys', async () => {
    const response = await fetch(`${stack.publicUrl}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(key.kid).toBeTruthy();
      expect(key).not.toHaveProperty('d');
    }
  });
});
