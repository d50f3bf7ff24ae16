import type { ErrorFallbackProps } from '@/components/errors/error-boundary';
import { ErrorMessage } from '@/components/errors/error-message';
import { PageMessage } from '@/components/page-message';
import { isApiError } from '@/lib/api-client';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import { useT } from '@/lib/i18n/i18n';

/** Why the session is gone, by the API's error code; only a new launch from Moodle can fix these. */
const launchAgainReasons = new Map<string, PlainMessageKey>([
  ['launch_code_invalid', 'session.launchAgain.codeInvalid'],
  ['session_expired', 'session.launchAgain.expired'],
  ['unauthenticated', 'session.launchAgain.missing'],
]);

/**
 * The error fallback of any section that needs a session: "open the activity again" when the
 * session is missing, expired or the launch code was refused; the generic message otherwise.
 */
export function SessionError(props: ErrorFallbackProps) {
  const t = useT();
  const reason = isApiError(props.error) ? launchAgainReasons.get(props.error.code) : undefined;
  if (!reason) return <ErrorMessage {...props} />;
  return (
    <PageMessage heading={t('session.launchAgain.heading')}>
      <p>{t(reason)}</p>
      <p>{t('session.launchAgain.action')}</p>
    </PageMessage>
  );
}
