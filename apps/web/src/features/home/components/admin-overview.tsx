import { useId } from 'react';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import { useT } from '@/lib/i18n/i18n';
import { courseName } from '@/lib/session-display';
import type { FerryRole, SessionView } from '@/types/api';

const roleNames: Record<FerryRole, PlainMessageKey> = {
  admin: 'role.admin',
  instructor: 'role.instructor',
  learner: 'role.learner',
};

/** The admin console's overview: who launched, from which platform and course. */
export function AdminOverview({ session }: { session: SessionView }) {
  const t = useT();
  const overviewHeading = useId();
  const { user, platform, context, resourceLink } = session;
  const course = courseName(context);

  return (
    <section aria-labelledby={overviewHeading}>
      <h2 id={overviewHeading}>{t('admin.overview.heading')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('admin.overview.name')}</dt>
          <dd>{user.name ?? t('value.unnamedUser')}</dd>
        </div>
        <div>
          <dt>{t('admin.overview.email')}</dt>
          <dd>{user.email ?? t('value.notProvided')}</dd>
        </div>
        <div>
          <dt>{t('admin.overview.roles')}</dt>
          <dd>{user.roles.filter((role) => role in roleNames).map((role) => t(roleNames[role])).join(', ')}</dd>
        </div>
        <div>
          <dt>{t('admin.overview.platform')}</dt>
          <dd>{platform.name}</dd>
        </div>
        <div>
          <dt>{t('admin.overview.issuer')}</dt>
          <dd>{platform.issuer}</dd>
        </div>
        <div>
          <dt>{t('admin.overview.course')}</dt>
          <dd>{course ? [context?.title, context?.label].filter(Boolean).join(' · ') : t('home.noCourse')}</dd>
        </div>
        {resourceLink && (
          <div>
            <dt>{t('admin.overview.activity')}</dt>
            <dd>{resourceLink.title || t('value.untitledActivity')}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
