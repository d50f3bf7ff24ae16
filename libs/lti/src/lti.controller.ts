import { randomBytes } from 'node:crypto';
import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { LtiLaunchService } from './launch/lti-launch.service';
import type { LaunchForm } from './launch/launch-validator';
import { OidcLoginService, parseLoginInitiation } from './login/oidc-login.service';
import { DynamicRegistrationService } from './registration/dynamic-registration.service';
import { registrationPageCsp, renderRegistrationPage } from './registration/registration-page';

// The state cookie must reach /lti/launch inside Moodle's iframe, a third-party context: SameSite=None
// (which needs Secure) and Partitioned (CHIPS), so browsers that partition third-party cookies keep it.
const STATE_COOKIE: CookieOptions = { httpOnly: true, secure: true, sameSite: 'none', partitioned: true, path: '/lti' };

// Plain objects, not DTO classes: Moodle may add parameters the validation pipe would refuse, and
// a bad parameter must answer login_invalid / launch_invalid, not validation_failed.
@Controller('lti')
export class LtiController {
  constructor(
    private readonly login: OidcLoginService,
    private readonly launches: LtiLaunchService,
    private readonly registration: DynamicRegistrationService,
  ) {}

  @Get('login')
  loginByGet(@Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    return this.startLogin(query, response);
  }

  @Post('login')
  loginByPost(@Body() body: Record<string, unknown>, @Res() response: Response): Promise<void> {
    return this.startLogin(body ?? {}, response);
  }

  @Post('launch')
  async launch(@Body() body: LaunchForm, @Req() request: Request, @Res() response: Response): Promise<void> {
    const launch = await this.launches.completeLaunch(body ?? {}, request.cookies ?? {});
    response
      .clearCookie(launch.stateCookieName, STATE_COOKIE)
      .set('Cache-Control', 'no-store')
      .redirect(303, launch.redirectUrl);
  }

  /** LTI Dynamic Registration: Moodle's "Add tool" by URL opens this in a modal iframe. */
  @Get('register')
  async register(@Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    // Set before any work, so an error page is shown inside the platform's modal too.
    const nonce = randomBytes(16).toString('base64');
    response
      .setHeader('Content-Security-Policy', registrationPageCsp(nonce, this.registration.platformOriginOf(query.openid_configuration)))
      .set('Cache-Control', 'no-store');
    const registered = await this.registration.register({
      openidConfiguration: typeof query.openid_configuration === 'string' ? query.openid_configuration : '',
      registrationToken: typeof query.registration_token === 'string' && query.registration_token !== '' ? query.registration_token : undefined,
    });
    response.type('html').send(renderRegistrationPage(registered, nonce));
  }

  private async startLogin(params: Record<string, unknown>, response: Response): Promise<void> {
    const { url, stateCookie } = await this.login.startLogin(parseLoginInitiation(params));
    response
      .cookie(stateCookie.name, stateCookie.value, { ...STATE_COOKIE, maxAge: stateCookie.maxAgeSeconds * 1000 })
      .set('Cache-Control', 'no-store')
      .redirect(302, url);
  }
}
