import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DEMO_PASSWORD } from '../emulator-settings';
import { renderLoginPage } from '../pages/moodle-pages';
import { PlatformEmulator } from '../platform-emulator';
import { currentSession } from './current-session';
import { SESSION_COOKIE } from './moodle-sessions';

type LoginFields = Partial<Record<'username' | 'password' | 'wantsurl', string>>;

/**
 * Moodle's login and logout. One emulator shortcut: GET /login/index.php?username=…&password=…
 * logs in too (real Moodle only accepts the POST), so a test or a browser can start logged in.
 */
@Controller()
export class MoodleLoginController {
  constructor(private readonly emulator: PlatformEmulator) {}

  @Get()
  home(@Res() response: Response): void {
    response.redirect(303, this.coursePath());
  }

  @Get('login/index.php')
  loginPage(@Query() query: LoginFields, @Res() response: Response): void {
    if (query.username !== undefined) {
      this.login(query, response);
      return;
    }
    response.type('html').send(renderLoginPage(this.emulator.settings.users, query.wantsurl ?? '', false));
  }

  @Post('login/index.php')
  login(@Body() fields: LoginFields, @Res() response: Response): void {
    const user = this.emulator.settings.users.find((candidate) => candidate.username === fields.username?.trim().toLowerCase());
    if (!user || fields.password !== DEMO_PASSWORD) {
      response.status(200).type('html').send(renderLoginPage(this.emulator.settings.users, fields.wantsurl ?? '', true));
      return;
    }
    const session = this.emulator.sessions.start(user.id);
    response.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'lax', path: '/' });
    response.redirect(303, this.safeWantsUrl(fields.wantsurl));
  }

  @Get('login/logout.php')
  logout(@Query('sesskey') sesskey: string | undefined, @Req() request: Request, @Res() response: Response): void {
    const session = currentSession(request, this.emulator);
    if (session && session.sesskey === sesskey) {
      this.emulator.sessions.end(session.id);
      response.clearCookie(SESSION_COOKIE, { path: '/' });
    }
    response.redirect(303, '/login/index.php');
  }

  private coursePath(): string {
    return `/course/view.php?id=${this.emulator.course.id}`;
  }

  /** Only paths on this site: never an open redirect. */
  private safeWantsUrl(wantsUrl: string | undefined): string {
    if (!wantsUrl) return this.coursePath();
    if (wantsUrl.startsWith(`${this.emulator.url}/`)) return wantsUrl.slice(this.emulator.url.length);
    return wantsUrl.startsWith('/') && !wantsUrl.startsWith('//') ? wantsUrl : this.coursePath();
  }
}
