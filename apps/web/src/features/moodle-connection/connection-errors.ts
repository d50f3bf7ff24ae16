import { isApiError } from '@/lib/api-client';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import type { Translate } from '@/lib/i18n/catalogue';

/** Why connecting failed, for the codes an admin can do something about. */
const reasons: Record<string, PlainMessageKey> = {
  token_user_mismatch: 'connect.error.tokenUserMismatch',
  moodle_token_invalid: 'connect.error.tokenInvalid',
  moodle_login_failed: 'connect.error.loginFailed',
  moodle_service_unavailable: 'connect.error.serviceUnavailable',
  oauth_access_denied: 'connect.error.accessDenied',
  oauth_state_invalid: 'connect.error.stateInvalid',
  oauth_ticket_invalid: 'connect.error.stateInvalid',
  oauth_grant_failed: 'connect.error.grantFailed',
  moodle_unreachable: 'moodleError.unreachable',
  moodle_maintenance: 'moodleError.maintenance',
  moodle_ws_disabled: 'moodleError.wsDisabled',
};

/** The failure in the admin's language when Ferry knows the code, else Ferry's own message. */
export function connectionErrorText(t: Translate, error: unknown): string {
  if (isApiError(error)) {
    const reason = reasons[error.code];
    return reason ? t(reason) : error.message;
  }
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    const reason = reasons[error.code];
    if (reason) return t(reason);
    if ('message' in error && typeof error.message === 'string') return error.message;
  }
  return t('error.body');
}
