import { describe, expect, it } from 'vitest';
import { oauthOutcomePageCsp, renderOauthOutcomePage } from './oauth-outcome-page';

describe('the OAuth popup outcome page', () => {
  it('posts the outcome to Ferry’s own origin only, from a nonce script', () => {
    const page = renderOauthOutcomePage({ type: 'ferry:moodle-oauth', ok: true }, 'https://ferry.example.edu', 'n0nce');
    expect(page).toContain('"spaOrigin":"https://ferry.example.edu"');
    expect(page).toContain('postMessage(data.outcome, data.spaOrigin)');
    expect(page).not.toMatch(/postMessage\([^)]*'\*'/);
    expect(page.match(/<script nonce="n0nce"/g)).toHaveLength(2);
    expect(oauthOutcomePageCsp('n0nce')).toContain("script-src 'nonce-n0nce'");
    expect(oauthOutcomePageCsp('n0nce')).toContain("frame-ancestors 'none'");
  });

  it('cannot be broken out of by a message from Moodle', () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const page = renderOauthOutcomePage({ type: 'ferry:moodle-oauth', ok: false, error: { code: 'oauth_grant_failed', message: hostile } }, 'https://ferry.example.edu', 'n');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).not.toContain('</script><script>');
    const json = /id="outcome"[^>]*>([^<]*)<\/script>/.exec(page)![1];
    expect(JSON.parse(json).outcome.error.message).toBe(hostile);
  });
});
