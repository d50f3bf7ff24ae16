import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { htmlspecialchars, renderAuthForm, renderLoginInitiationForm } from './lti-forms';

const captured = (name: string) => readFileSync(join(__dirname, '../fixtures', name), 'utf8');

describe(renderLoginInitiationForm.name, () => {
  it('renders byte for byte the login initiation form Moodle 5.0 sent', () => {
    const sut = renderLoginInitiationForm('http://127.0.0.1:8099/lti/login', {
      iss: 'http://127.0.0.1:8088',
      target_link_uri: 'http://127.0.0.1:8099/lti/launch',
      login_hint: '2',
      lti_message_hint: JSON.stringify({ cmid: 3, launchid: 'ltilaunch1_252550933' }),
      client_id: 'Gyg39EMMRRzRyuO',
      lti_deployment_id: '1',
    });
    expect(sut).toBe(captured('moodle-login-initiation-form.html'));
  });
});

describe(renderAuthForm.name, () => {
  it('renders byte for byte the id_token form post Moodle 5.0 sent', () => {
    const html = captured('moodle-auth-form-post.html');
    const idToken = /name="id_token" value="([^"]+)"/.exec(html)![1];
    const sut = renderAuthForm('http://127.0.0.1:8099/lti/launch', [
      ['id_token', idToken],
      ['state', '70b51a767bc422430a0473b809f31e92'],
    ]);
    expect(sut).toBe(html);
  });

  it('escapes values as PHP htmlspecialchars does', () => {
    expect(htmlspecialchars(`a&b"c'd<e>`)).toBe('a&amp;b&quot;c&#039;d&lt;e&gt;');
    expect(renderAuthForm('https://t.example/x?a=1&b=2', [['state', '"><script>']])).toContain(
      '<form action="https://t.example/x?a=1&amp;b=2"',
    );
  });
});
