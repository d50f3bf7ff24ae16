import { ErrorCode, FerryError } from '@ferry/errors';

/** A failure talking to Moodle; `details` keeps Moodle's own errorcode and exception class when there is one. */
export class MoodleWsError extends FerryError {}

/** Moodle's error body: `{exception, errorcode, message}` from the REST server, `{error, errorcode}` from pluginfile.php. */
export interface MoodleErrorBody {
  exception?: string;
  errorcode: string;
  message?: string;
  error?: string;
  debuginfo?: string | null;
}

export interface MoodleErrorDetails {
  moodleErrorcode: string;
  moodleException: string | null;
  wsfunction?: string;
}

export function isMoodleErrorBody(value: unknown): value is MoodleErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as MoodleErrorBody).errorcode === 'string' &&
    ('exception' in value || 'error' in value)
  );
}

const TOKEN_INVALID = new Set(['invalidtoken', 'invalidtimedtoken', 'invalidtokensession']);
const ACCESS_DENIED = new Set([
  'accessexception',
  'nopermissions',
  'requireloginerror',
  'restrictedcontextexception',
  'errorcoursecontextnotvalid',
]);
const RECORD_MISSING = new Set(['invalidrecord', 'invalidrecordunknown']);
const COURSE_FUNCTIONS = new Set([
  'core_course_get_contents',
  'core_course_get_courses_by_field',
  'core_course_search_courses',
]);

/**
 * Maps a Moodle error body to a Ferry error. Moodle's errorcodes as thrown in webservice/lib.php and
 * lib/setuplib.php: an unknown token is `moodle_exception` `invalidtoken`; an expired one, a function
 * missing from the token's service and most other refusals are all `webservice_access_exception`
 * `accessexception` ("Access control exception"), told apart only by `debuginfo`, which Moodle sends
 * only with debugging on. So a bare `accessexception` stays `moodle_access_denied`; the connection
 * check finds missing functions reliably from site info (see `missingFunctions`).
 */
export function moodleErrorToFerryError(body: MoodleErrorBody, wsfunction?: string): MoodleWsError {
  const errorcode = body.errorcode;
  const moodleMessage = body.message ?? body.error ?? '';
  const said = `${moodleMessage} ${body.debuginfo ?? ''}`;
  const details: MoodleErrorDetails = { moodleErrorcode: errorcode, moodleException: body.exception ?? null };
  if (wsfunction) details.wsfunction = wsfunction;

  const isAccessException = errorcode === 'accessexception' || body.exception === 'webservice_access_exception';
  if (TOKEN_INVALID.has(errorcode) || (isAccessException && /invalid (session based )?token/i.test(said))) {
    return new MoodleWsError(
      ErrorCode.MoodleTokenInvalid,
      'Moodle no longer accepts your connection token.',
      details,
      'Reconnect Ferry to Moodle; a Moodle admin can check the token under Site administration > Server > Web services > Manage tokens.',
    );
  }
  if (errorcode === 'sitemaintenance') {
    return new MoodleWsError(
      ErrorCode.MoodleMaintenance,
      'Moodle is in maintenance mode.',
      details,
      'Try again when Moodle is back.',
    );
  }
  const namesFunction = /access to the function/i.test(said) || (!!wsfunction && said.includes(wsfunction));
  if (errorcode === 'servicenotavailable' || (isAccessException && namesFunction)) {
    const what = wsfunction ?? 'the web service function Ferry needs';
    return new MoodleWsError(
      ErrorCode.MoodleFunctionMissing,
      `Moodle's web service for this token does not allow ${what}.`,
      details,
      `Add ${what} to the external service behind the token (Site administration > Server > Web services > External services).`,
    );
  }
  if (
    ACCESS_DENIED.has(errorcode) ||
    body.exception === 'require_login_exception' ||
    body.exception === 'required_capability_exception'
  ) {
    return new MoodleWsError(
      ErrorCode.MoodleAccessDenied,
      'Moodle refused access with your account.',
      details,
      'Check that your Moodle account may see this course and that the token’s service allows this call.',
    );
  }
  const isCourseCall = !!wsfunction && COURSE_FUNCTIONS.has(wsfunction);
  if (isCourseCall && (RECORD_MISSING.has(errorcode) || body.exception === 'dml_missing_record_exception')) {
    return new MoodleWsError(ErrorCode.CourseNotFound, 'Moodle has no such course.', details);
  }
  if (errorcode === 'filenotfound') {
    return new MoodleWsError(ErrorCode.NotFound, 'Moodle has no such file any more.', details);
  }
  return new MoodleWsError(ErrorCode.MoodleError, `Moodle answered with an error: ${moodleMessage || errorcode}`, details);
}

export function moodleWsDisabledError(httpStatus: number): MoodleWsError {
  return new MoodleWsError(
    ErrorCode.MoodleWsDisabled,
    'Web services or the REST protocol are turned off on this Moodle.',
    { httpStatus },
    'A Moodle admin enables them under Site administration > Advanced features (Enable web services) ' +
      'and Server > Web services > Manage protocols (REST).',
  );
}

export function moodleUnreachableError(reason: string, details: Record<string, unknown> = {}): MoodleWsError {
  return new MoodleWsError(
    ErrorCode.MoodleUnreachable,
    `Ferry could not reach Moodle: ${reason}.`,
    details,
    'Check that the Moodle URL is right and that Moodle is up.',
  );
}

export function foreignFileUrlError(fileOrigin: string, moodleOrigin: string): MoodleWsError {
  return new MoodleWsError(
    ErrorCode.ForeignFileUrl,
    'This file is not on the Moodle site, so Ferry will not send your token there.',
    { fileOrigin, moodleOrigin },
  );
}
