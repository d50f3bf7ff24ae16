import type { ReactNode } from 'react';
import { useT } from '@/lib/i18n/i18n';

interface AppShellProps {
  userName: string | null;
  courseName: string | null;
  platformName: string;
  /** A `<nav>` for sections that have one (the admin console). */
  navigation?: ReactNode;
  children: ReactNode;
}

/** Every signed-in page: who and where you are, then the page itself. */
export function AppShell({ userName, courseName, platformName, navigation, children }: AppShellProps) {
  const t = useT();
  return (
    <>
      <header className="app-header">
        <p className="app-header__brand">{t('app.name')}</p>
        <dl className="app-header__facts">
          <div>
            <dt>{t('header.user')}</dt>
            <dd>{userName ?? t('value.unnamedUser')}</dd>
          </div>
          <div>
            <dt>{t('header.course')}</dt>
            <dd>{courseName ?? t('value.noCourse')}</dd>
          </div>
          <div>
            <dt>{t('header.platform')}</dt>
            <dd>{platformName}</dd>
          </div>
        </dl>
      </header>
      {navigation}
      <main className="page">{children}</main>
    </>
  );
}
