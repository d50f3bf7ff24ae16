import type { Response } from 'express';

/**
 * How scripts that define AJAX_SCRIPT (login/token.php, webservice/pluginfile.php) report an
 * exception: core_renderer_ajax::fatal_error's JSON, with HTTP 200 unless the script set a status.
 */
export function sendAjaxError(response: Response, errorcode: string, message: string, status = 200): void {
  response
    .status(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: message, errorcode, stacktrace: null, debuginfo: null, reproductionlink: null }));
}

export const AJAX_MESSAGES = {
  invalidtoken: 'Invalid token - token not found',
  accessexception: 'Access control exception',
  sitemaintenance: 'The site is undergoing maintenance and is currently not available',
  filenotfound: 'Sorry, the requested file could not be found',
  requireloginerror: 'Course or activity not accessible. (Not enrolled)',
  invalidlogin: 'Invalid login, please try again',
  servicenotavailable: "Web service is not available (it doesn't exist or might be disabled)",
  enablewsdescription: 'Web services must be enabled in Advanced features.',
  missingparam: (name: string) => `A required parameter (${name}) was missing`,
};
