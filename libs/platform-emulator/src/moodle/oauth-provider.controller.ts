import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import escapeHtml from 'escape-html';
import { SITE } from '../emulator-settings';
import { renderErrorPage, renderPage } from '../pages/moodle-pages';
import { PlatformEmulator } from '../platform-emulator';
import type { EmulatorUser } from '../platform-emulator.types';
import { currentSession } from '../sessions/current-session';
import { OAUTH_SCOPE, OauthError } from './oauth-provider';

type Fields = Record<string, string | undefined>;

const AUTHORIZE_FIELDS = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

/**
 * The `local_oauthmcp` plugin's OAuth 2 endpoints: RFC 8414 metadata, authorize (Moodle login
 * session + consent page), token (authorization_code with PKCE S256, refresh_token with rotation)
 * and RFC 7009 revocation. Errors follow RFC 6749 section 5.2.
 */
@Controller()
export class OauthProviderController {
  constructor(private readonly emulator: PlatformEmulator) {}

  @Get('.well-known/oauth-authorization-server')
  metadata(@Res() response: Response): void {
    const { oauth } = this.emulator.moodle.urls;
    response.json({
      issuer: oauth.issuer,
      authorization_endpoint: oauth.authorizeUrl,
      token_endpoint: oauth.tokenUrl,
      revocation_endpoint: oauth.revokeUrl,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: [OAUTH_SCOPE],
    });
  }

  @Get('local/oauthmcp/authorize.php')
  authorizePage(@Req() request: Request, @Res() response: Response): void {
    const fields = request.query as Fields;
    const user = this.checkAuthorizeRequest(fields, request, response);
    if (!user) return;
    const session = currentSession(request, this.emulator)!;
    const client = fields.client_id!;
    const hidden = AUTHORIZE_FIELDS.filter((name) => fields[name] !== undefined)
      .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(fields[name]!)}">`)
      .join('\n  ');
    const body = `<div class="card" id="oauth-consent">
<h1>Authorise ${escapeHtml(client)}</h1>
<p><strong>${escapeHtml(client)}</strong> asks to use ${escapeHtml(SITE.fullName)} web services as
<strong>${escapeHtml(`${user.firstname} ${user.lastname}`)}</strong> (scope: ${escapeHtml(fields.scope ?? OAUTH_SCOPE)}).</p>
<form method="post" action="/local/oauthmcp/authorize.php">
  ${hidden}
  <input type="hidden" name="sesskey" value="${escapeHtml(session.sesskey)}">
  <button class="btn" type="submit" name="decision" value="allow" id="oauth-allow">Allow</button>
  <button class="btn btn-secondary" type="submit" name="decision" value="deny" id="oauth-deny">Deny</button>
</form>
</div>`;
    response.type('html').send(renderPage(`${SITE.fullName}: Authorise ${client}`, body, user, session.sesskey));
  }

  @Post('local/oauthmcp/authorize.php')
  authorizeDecision(@Req() request: Request, @Res() response: Response): void {
    const fields = (request.body ?? {}) as Fields;
    const user = this.checkAuthorizeRequest(fields, request, response);
    if (!user) return;
    const session = currentSession(request, this.emulator)!;
    if (fields.sesskey !== session.sesskey) {
      response.status(400).type('html').send(renderErrorPage('Incorrect sesskey submitted, form not accepted!'));
      return;
    }
    if (fields.decision !== 'allow') {
      this.redirectBack(response, fields, { error: 'access_denied', error_description: 'The user denied the request' });
      return;
    }
    const code = this.emulator.moodle.oauth.issueCode({
      clientId: fields.client_id!,
      redirectUri: fields.redirect_uri!,
      userId: user.id,
      codeChallenge: fields.code_challenge!,
      scope: fields.scope ?? OAUTH_SCOPE,
    });
    this.redirectBack(response, fields, { code });
  }

  @Post('local/oauthmcp/token.php')
  token(@Req() request: Request, @Res() response: Response): void {
    this.answer(response, () => {
      const { client, form } = this.authenticate(request);
      const { oauth } = this.emulator.moodle;
      switch (form.grant_type) {
        case undefined:
          throw new OauthError('invalid_request', 'grant_type is required');
        case 'authorization_code':
          return oauth.redeemCode(client, form);
        case 'refresh_token':
          return oauth.refresh(client, form);
        default:
          throw new OauthError('unsupported_grant_type', `grant_type ${form.grant_type} is not supported`);
      }
    });
  }

  @Post('local/oauthmcp/revoke.php')
  revoke(@Req() request: Request, @Res() response: Response): void {
    this.answer(response, () => {
      const { client, form } = this.authenticate(request);
      if (!form.token) throw new OauthError('invalid_request', 'token is required');
      this.emulator.moodle.oauth.revoke(client, form.token);
      return undefined;
    });
  }

  /**
   * Checks an authorize request. Without a known client and an exactly registered redirect_uri the
   * error is shown here and nothing is redirected; other errors go back to the client (RFC 6749 4.1.2.1).
   * Without a Moodle session the login page comes first and returns here.
   */
  private checkAuthorizeRequest(fields: Fields, request: Request, response: Response): EmulatorUser | undefined {
    const client = this.emulator.moodle.oauth.findClient(fields.client_id);
    if (!client) {
      response.status(400).type('html').send(renderErrorPage('Invalid OAuth client', 'invalid_client: unknown client_id'));
      return undefined;
    }
    if (!fields.redirect_uri || !client.redirectUris.includes(fields.redirect_uri)) {
      response.status(400).type('html').send(renderErrorPage('Invalid redirect URI', 'invalid_request: redirect_uri is not registered for this client'));
      return undefined;
    }
    const session = currentSession(request, this.emulator);
    if (!session) {
      const back = `/local/oauthmcp/authorize.php?${new URLSearchParams(
        AUTHORIZE_FIELDS.filter((name) => fields[name] !== undefined).map((name): [string, string] => [name, fields[name]!]),
      )}`;
      response.redirect(303, `/login/index.php?wantsurl=${encodeURIComponent(back)}`);
      return undefined;
    }
    let error: { error: string; error_description: string } | undefined;
    if (fields.response_type !== 'code') {
      error = { error: 'unsupported_response_type', error_description: 'response_type must be code' };
    } else if (!fields.code_challenge) {
      error = { error: 'invalid_request', error_description: 'PKCE is required: code_challenge is missing' };
    } else if (fields.code_challenge_method !== 'S256') {
      error = { error: 'invalid_request', error_description: 'code_challenge_method must be S256' };
    } else if (fields.scope !== undefined && !fields.scope.split(' ').every((scope) => scope === OAUTH_SCOPE)) {
      error = { error: 'invalid_scope', error_description: `the only scope is ${OAUTH_SCOPE}` };
    }
    if (error) {
      this.redirectBack(response, fields, error);
      return undefined;
    }
    return this.emulator.findUser(session.userId);
  }

  private redirectBack(response: Response, fields: Fields, result: Record<string, string>): void {
    const target = new URL(fields.redirect_uri!);
    for (const [name, value] of Object.entries(result)) target.searchParams.set(name, value);
    if (fields.state !== undefined) target.searchParams.set('state', fields.state);
    response.redirect(302, target.toString());
  }

  /** client_secret_basic (form-encoded id and secret, RFC 6749 2.3.1) or client_secret_post, never both. */
  private authenticate(request: Request) {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim();
    if (contentType !== 'application/x-www-form-urlencoded') {
      throw new OauthError('invalid_request', 'the request body must be application/x-www-form-urlencoded');
    }
    const form = { ...((request.body ?? {}) as Fields) };
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const { oauth } = this.emulator.moodle;
    if (basic) {
      if (form.client_secret !== undefined) throw new OauthError('invalid_request', 'use one client authentication method');
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new OauthError('invalid_client', 'Client authentication failed');
      const formDecode = (value: string) => {
        try {
          return decodeURIComponent(value.replace(/\+/g, ' '));
        } catch {
          throw new OauthError('invalid_client', 'Client authentication failed');
        }
      };
      const clientId = formDecode(decoded.slice(0, colon));
      if (form.client_id !== undefined && form.client_id !== clientId) throw new OauthError('invalid_client', 'Client authentication failed');
      return { client: oauth.authenticateClient(clientId, formDecode(decoded.slice(colon + 1))), form };
    }
    return { client: oauth.authenticateClient(form.client_id, form.client_secret), form };
  }

  private answer(response: Response, handle: () => unknown): void {
    response.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    try {
      const body = handle();
      if (body === undefined) response.status(200).end();
      else response.status(200).json(body);
    } catch (error) {
      if (!(error instanceof OauthError)) throw error;
      if (error.code === 'invalid_client') response.set('WWW-Authenticate', `Basic realm="${SITE.fullName}"`);
      response.status(error.code === 'invalid_client' ? 401 : 400).json({ error: error.code, error_description: error.description });
    }
  }
}
