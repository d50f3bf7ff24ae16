import { randomBytes } from 'node:crypto';
import { Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { FerryConfig } from '@ferry/config';
import { FerryError, httpStatusFor } from '@ferry/errors';
import { Authenticated, CurrentPrincipal, type Principal } from '@ferry/identity';
import { ownerOf, PLATFORM_ADMIN } from '../connections/moodle-connection.controller';
import { MoodleOauthFlowService, OAUTH_BINDING_COOKIE, OAUTH_STATE_TTL_SECONDS } from './moodle-oauth-flow.service';
import { oauthOutcomePageCsp, renderOauthOutcomePage, type OauthOutcome } from './oauth-outcome-page';

/**
 * The OAuth popup's three steps. `start` is called by the SPA with its bearer token; `authorize` and
 * `callback` are top-level pages in the popup, which is why the popup's browser binding is a
 * first-party cookie (SameSite=Lax reaches the callback on Moodle's redirect back).
 */
@Controller('api/moodle-oauth')
export class MoodleOauthController {
  constructor(
    private readonly flow: MoodleOauthFlowService,
    private readonly config: FerryConfig,
  ) {}

  @Post('start')
  @HttpCode(HttpStatus.OK)
  @Authenticated(PLATFORM_ADMIN)
  start(@CurrentPrincipal() principal: Principal): Promise<{ url: string }> {
    return this.flow.start(ownerOf(principal));
  }

  @Get('authorize')
  async authorize(@Query('ticket') ticket: string | undefined, @Res() response: Response): Promise<void> {
    try {
      const { redirectTo, binding } = await this.flow.authorize(typeof ticket === 'string' ? ticket : '');
      response.cookie(OAUTH_BINDING_COOKIE, binding, { ...this.bindingCookie, maxAge: OAUTH_STATE_TTL_SECONDS * 1000 });
      response.set('Cache-Control', 'no-store').redirect(302, redirectTo);
    } catch (error) {
      this.sendOutcome(response, error);
    }
  }

  @Get('callback')
  async callback(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response): Promise<void> {
    const params = Object.fromEntries(Object.entries(query).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    const binding = (request.cookies as Record<string, string> | undefined)?.[OAUTH_BINDING_COOKIE];
    response.clearCookie(OAUTH_BINDING_COOKIE, this.bindingCookie);
    try {
      await this.flow.complete(params, binding);
      this.sendOutcome(response, null);
    } catch (error) {
      this.sendOutcome(response, error);
    }
  }

  private get bindingCookie(): CookieOptions {
    return { httpOnly: true, secure: this.config.publicUrl.startsWith('https:'), sameSite: 'lax', path: '/api/moodle-oauth' };
  }

  /** Both popup pages end here, so whatever happened reaches the SPA as a message, not a stray JSON body. */
  private sendOutcome(response: Response, error: unknown): void {
    if (error !== null && !(error instanceof FerryError)) throw error;
    const outcome: OauthOutcome = error
      ? { type: 'ferry:moodle-oauth', ok: false, error: { code: error.code, message: error.message } }
      : { type: 'ferry:moodle-oauth', ok: true };
    const nonce = randomBytes(16).toString('base64');
    response
      .status(error ? (error.status ?? httpStatusFor(error.code)) : 200)
      .setHeader('Content-Security-Policy', oauthOutcomePageCsp(nonce))
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(renderOauthOutcomePage(outcome, this.config.publicOrigin, nonce));
  }
}
