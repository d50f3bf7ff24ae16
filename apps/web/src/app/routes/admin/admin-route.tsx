import type { ReactNode } from 'react';
import { AdminLayout } from '@/components/layout/admin-layout';
import { PageMessage } from '@/components/page-message';
import { QueryBoundary } from '@/components/query-boundary';
import { SectionBoundary } from '@/components/section-boundary';
import { primaryRole } from '@/features/home/primary-role';
import { useSession } from '@/features/session/api/get-session';
import { SessionError } from '@/features/session/components/session-error';
import { useLocale, useT } from '@/lib/i18n/i18n';
import type { SessionView } from '@/types/api';

/** An admin console page other than the home: only for admins, inside the console's shell. */
export function AdminRoute({ children }: { children: (session: SessionView) => ReactNode }) {
  return (
    <QueryBoundary errorFallback={SessionError}>
      <AdminSession>{children}</AdminSession>
    </QueryBoundary>
  );
}

function AdminSession({ children }: { children: (session: SessionView) => ReactNode }) {
  const t = useT();
  const session = useSession();
  useLocale(session.user.locale);
  if (primaryRole(session.user.roles) !== 'admin') {
    return (
      <PageMessage heading={t('admin.only.heading')}>
        <p>{t('admin.only.body')}</p>
      </PageMessage>
    );
  }
  return (
    <AdminLayout session={session}>
      <SectionBoundary>{children(session)}</SectionBoundary>
    </AdminLayout>
  );
}
