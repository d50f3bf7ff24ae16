import { PageMessage } from '@/components/page-message';
import { useT } from '@/lib/i18n/i18n';

export function NotFoundRoute() {
  const t = useT();
  return (
    <PageMessage heading={t('notFound.heading')}>
      <p>{t('notFound.body')}</p>
    </PageMessage>
  );
}
