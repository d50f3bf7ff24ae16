import { isApiError } from '@/lib/api-client';
import type { PlainMessageKey, Translate } from '@/lib/i18n/catalogue';
import { moodleProblem } from '@/lib/moodle-errors';

/** Why a transfer request or action failed, for the codes an admin can do something about. */
const reasons: Record<string, PlainMessageKey> = {
  transfer_not_found: 'transfers.error.notFound',
  transfer_not_cancellable: 'transfers.error.notCancellable',
  storage_unavailable: 'transfers.error.storageUnavailable',
  container_not_allowed: 'transfers.form.error.containerNotAllowed',
  network_error: 'transfers.error.network',
};

/** The failure in the admin's language when Ferry knows the code, else Ferry's own message. */
export function transferErrorText(t: Translate, error: unknown): string {
  const problem = moodleProblem(error);
  if (problem) return t(problem);
  if (isApiError(error)) {
    const reason = reasons[error.code];
    return reason ? t(reason) : error.message;
  }
  return t('transfers.error.unknown');
}
