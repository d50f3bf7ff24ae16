import { useId } from 'react';
import { Link } from 'wouter';
import { AppShell } from '@/components/layout/app-shell';
import { paths } from '@/config/paths';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import { useT } from '@/lib/i18n/i18n';
import { courseName } from '@/lib/session-display';
import type { FerryRole, SessionView } from '@/types/api';

const roleNames: Record<FerryRole, PlainMessageKey> = {
  admin: 'role.admin',
  instructor: 'role.instructor',
  learner: 'role.learner',
};

/** The admin console's shell. Its navigation lists only sections that exist. */
export function AdminConsole({ session }: { session: SessionView }) {
  const t = useT();
  const overviewHeading = useId();
  const { user, platform, context, resourceLink } = session;
  const course = courseName(context);

  const navigation = (
    <nav className="console-nav" aria-label={t('admin.nav.label')}>
      <ul>
        <li>
          <Link href={paths.home} aria-current="page">
            {t('admin.nav.overview')}
          </Link>
        </li>
      </ul>
    </nav>
  );

  return (
    <AppShell userName={user.name} courseName={course} platformName={platform.name} navigation={navigation}>
      <h1>{t('admin.heading')}</h1>
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
    </AppShell>
  );
}
