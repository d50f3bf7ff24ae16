import { AppShell } from '@/components/layout/app-shell';
import { useT } from '@/lib/i18n/i18n';
import { courseName } from '@/lib/session-display';
import type { SessionView } from '@/types/api';
import { CourseSummary } from './course-summary';

export function InstructorHome({ session }: { session: SessionView }) {
  const t = useT();
  const name = session.user.name ?? t('value.unnamedUser');
  return (
    <AppShell userName={session.user.name} courseName={courseName(session.context)} platformName={session.platform.name}>
      <h1>{t('home.instructor.heading', { name })}</h1>
      <CourseSummary session={session} />
    </AppShell>
  );
}
