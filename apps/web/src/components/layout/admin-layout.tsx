import type { ReactNode } from 'react';
import { Link, useLocation } from 'wouter';
import { paths } from '@/config/paths';
import type { PlainMessageKey } from '@/lib/i18n/catalogue';
import { useT } from '@/lib/i18n/i18n';
import { courseName } from '@/lib/session-display';
import type { SessionView } from '@/types/api';
import { AppShell } from './app-shell';

const sections: Array<{ href: string; label: PlainMessageKey; also?: string[] }> = [
  { href: paths.home, label: 'admin.nav.files', also: ['/'] },
  { href: paths.admin.moodle, label: 'admin.nav.moodle' },
  { href: paths.admin.overview, label: 'admin.nav.overview' },
];

/** The admin console's shell: who and where, the console's sections, then the section itself. */
export function AdminLayout({ session, children }: { session: SessionView; children: ReactNode }) {
  const t = useT();
  const [location] = useLocation();

  const navigation = (
    <nav className="console-nav" aria-label={t('admin.nav.label')}>
      <ul>
        {sections.map(({ href, label, also }) => {
          const current = location === href || Boolean(also?.includes(location));
          return (
            <li key={href}>
              <Link href={href} aria-current={current ? 'page' : undefined}>
                {t(label)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );

  return (
    <AppShell
      userName={session.user.name}
      courseName={courseName(session.context)}
      platformName={session.platform.name}
      navigation={navigation}
    >
      <h1>{t('admin.heading')}</h1>
      {children}
    </AppShell>
  );
}
