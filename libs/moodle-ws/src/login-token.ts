import { ErrorCode } from '@ferry/errors';
import { networkErrorCode } from './moodle-file-stream';
import { moodleUnreachableError, moodleWsDisabledError, MoodleWsError } from './moodle-ws.errors';

export interface MoodleLogin {
  username: string;
  /** Sent once to Moodle and forgotten: never stored, never logged. */
  password: string;
  /** The external service whose token Moodle hands out, e.g. `moodle_mobile_app`. */
  service: string;
}

/** What login/token.php says when it refuses: `{ error, errorcode, ... }` with HTTP 200. */
interface LoginTokenError {
  error?: string;
  errorcode: string;
}

function isLoginTokenError(value: unknown): value is LoginTokenError {
  return typeof value === 'object' && value !== null && typeof (value as LoginTokenError).errorcode === 'string';
}

function loginTokenError(body: LoginTokenError): MoodleWsError {
  const details = { moodleErrorcode: body.errorcode };
  switch (body.errorcode) {
    case 'invalidlogin':
      return new MoodleWsError(ErrorCode.MoodleLoginFailed, 'Moodle did not accept that username and password.', details);
    case 'servicenotavailable':
      return new MoodleWsError(
        ErrorCode.MoodleServiceUnavailable,
        'Moodle does not hand out tokens of the configured web service to this account.',
        details,
        'A Moodle admin enables the mobile web service (Site administration > Mobile app > Mobile settings) or adds the account to the service.',
      );
    case 'enablewsdescription':
      return moodleWsDisabledError(200);
    case 'sitemaintenance':
      return new MoodleWsError(ErrorCode.MoodleMaintenance, 'Moodle is in maintenance mode.', details, 'Try again when Moodle is back.');
    default:
      return new MoodleWsError(ErrorCode.MoodleError, `Moodle refused the sign-in: ${body.error ?? body.errorcode}`, details);
  }
}

/**
 * Trades a username and password at Moodle's login/token.php for that user's token of a service.
 * The password goes in the POST body (never a URL Moodle would log), redirects are not followed so
 * it cannot be re-posted elsewhere, and errors never carry it.
 */
export async function requestLoginToken(moodleUrl: string, login: MoodleLogin, timeoutMs = 15_000): Promise<string> {
  const base = new URL(moodleUrl);
  const endpoint = `${base.origin}${base.pathname.replace(/\/+$/, '')}/login/token.php`;
  let status: number;
  let text: string;
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ username: login.username, password: login.password, service: login.service }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw moodleUnreachableError('the connection to login/token.php failed', { cause: networkErrorCode(error) });
  }
  if (status >= 300 && status < 400) throw moodleUnreachableError('Moodle redirected login/token.php; use the URL it redirects to', { httpStatus: status });
  if (status >= 500) throw moodleUnreachableError('Moodle answered with a server error', { httpStatus: status });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw moodleUnreachableError('login/token.php did not answer with JSON', { httpStatus: status });
  }
  if (isLoginTokenError(body)) throw loginTokenError(body);
  const token = (body as { token?: unknown }).token;
  if (typeof token !== 'string' || token === '') throw moodleUnreachableError('login/token.php answered without a token', { httpStatus: status });
  return token;
}
