import { isApiError } from './api-client';
import type { PlainMessageKey } from './i18n/catalogue';

/**
 * A call found the admin's Moodle connection gone: the token was revoked or expired and could not
 * be refreshed, or there is none. Only connecting again helps.
 */
export function isMoodleConnectionLost(error: unknown): boolean {
  return isApiError(error, 'moodle_token_invalid', 'moodle_not_connected') && error.status === 409;
}

/** What went wrong between Ferry and Moodle, in words an admin can act on. */
const moodleProblems: Record<string, PlainMessageKey> = {
  moodle_unreachable: 'moodleError.unreachable',
  moodle_maintenance: 'moodleError.maintenance',
  moodle_ws_disabled: 'moodleError.wsDisabled',
  moodle_error: 'moodleError.other',
  moodle_access_denied: 'moodleError.accessDenied',
  moodle_function_missing: 'moodleError.functionMissing',
  moodle_not_configured: 'moodleError.notConfigured',
  course_not_found: 'moodleError.courseNotFound',
};

export function moodleProblem(error: unknown): PlainMessageKey | null {
  return isApiError(error) ? (moodleProblems[error.code] ?? null) : null;
}
