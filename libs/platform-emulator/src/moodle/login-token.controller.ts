import { All, Controller, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DEMO_PASSWORD } from '../emulator-settings';
import { PlatformEmulator } from '../platform-emulator';
import { AJAX_MESSAGES, sendAjaxError } from './moodle-errors';
import { MOBILE_SERVICE } from './moodle-site';

type Fields = Record<string, string | undefined>;

/**
 * Moodle's login/token.php: trades a username and password for the user's token of a service. For
 * 'moodle_mobile_app' Moodle creates the token on first use and hands back the same one after;
 * other services need a token an admin created (createToken). privatetoken is only sent over HTTPS.
 */
@Controller('login')
export class LoginTokenController {
  constructor(private readonly emulator: PlatformEmulator) {}

  @All('token.php')
  token(@Req() request: Request, @Res() response: Response): void {
    const { site } = this.emulator.moodle;
    response.set('Access-Control-Allow-Origin', '*');
    const fields = { ...(request.query as Fields), ...((request.body ?? {}) as Fields) };
    for (const name of ['username', 'password', 'service'] as const) {
      if (fields[name] === undefined) return sendAjaxError(response, 'missingparam', AJAX_MESSAGES.missingparam(name));
    }
    if (site.currentFault?.kind === 'ws_disabled') return sendAjaxError(response, 'enablewsdescription', AJAX_MESSAGES.enablewsdescription);
    if (site.currentFault?.kind === 'maintenance') return sendAjaxError(response, 'sitemaintenance', AJAX_MESSAGES.sitemaintenance);

    const username = fields.username!.trim().toLowerCase();
    const user = site.findUser(username);
    if (!user || user.username !== username || fields.password !== DEMO_PASSWORD) {
      return sendAjaxError(response, 'invalidlogin', AJAX_MESSAGES.invalidlogin);
    }
    const service = fields.service!;
    const existing = [...site.tokens.values()].find((token) => token.kind === 'ws' && token.userId === user.id && token.service === service);
    const mobileAvailable = service === MOBILE_SERVICE && site.mobileServiceEnabled;
    if (!mobileAvailable && !(existing && service !== MOBILE_SERVICE)) {
      return sendAjaxError(response, 'servicenotavailable', AJAX_MESSAGES.servicenotavailable);
    }
    const token = existing?.token ?? site.createToken(user.username, { service });
    response.status(200).type('application/json; charset=utf-8').send(JSON.stringify({ token, privatetoken: null }));
  }
}
