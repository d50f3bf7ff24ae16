import { useT } from '@/lib/i18n/i18n';
import { courseName } from '@/lib/session-display';
import type { SessionView } from '@/types/api';

/** The course and the activity this launch came from, or a word that there is no course. */
export function CourseSummary({ session }: { session: SessionView }) {
  const t = useT();
  const course = courseName(session.context);
  if (!course) return <p>{t('home.noCourse')}</p>;
  return (
    <dl className="facts">
      <div>
        <dt>{t('home.course')}</dt>
        <dd>{course}</dd>
      </div>
      <div>
        <dt>{t('home.activity')}</dt>
        <dd>{session.resourceLink?.title || t('value.untitledActivity')}</dd>
      </div>
    </dl>
  );
}
