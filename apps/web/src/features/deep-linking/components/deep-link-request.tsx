import { AppShell } from '@/components/layout/app-shell';
import { useT } from '@/lib/i18n/i18n';
import { courseName } from '@/lib/session-display';
import type { SessionView } from '@/types/api';

/** The landing page of a deep linking request: who asked, and for which course. */
export function DeepLinkRequest({ session }: { session: SessionView }) {
  const t = useT();
  const course = courseName(session.context);
  return (
    <AppShell userName={session.user.name} courseName={course} platformName={session.platform.name}>
      <h1>{t('deepLink.heading')}</h1>
      <p>{course ? t('deepLink.intro', { course }) : t('deepLink.noCourse')}</p>
      <dl className="facts">
        <div>
          <dt>{t('deepLink.user')}</dt>
          <dd>{session.user.name ?? t('value.unnamedUser')}</dd>
        </div>
      </dl>
    </AppShell>
  );
}
