import { isApiError } from '@/lib/api-client';
import { useT } from '@/lib/i18n/i18n';
import { PageMessage } from '../page-message';
import type { ErrorFallbackProps } from './error-boundary';

/** The fallback for anything a section did not expect: what failed, its code, and a retry. */
export function ErrorMessage({ error, reset }: ErrorFallbackProps) {
  const t = useT();
  return (
    <PageMessage heading={t('error.heading')}>
      <p>{t('error.body')}</p>
      {isApiError(error) && <p className="muted">{t('error.code', { code: error.code })}</p>}
      <button type="button" className="button" onClick={reset}>
        {t('error.retry')}
      </button>
    </PageMessage>
  );
}
