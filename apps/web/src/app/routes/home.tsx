import { lazy } from 'react';
import { QueryBoundary } from '@/components/query-boundary';
import { InstructorHome } from '@/features/home/components/instructor-home';
import { LearnerHome } from '@/features/home/components/learner-home';
import { primaryRole } from '@/features/home/primary-role';
import { useSession } from '@/features/session/api/get-session';
import { SessionError } from '@/features/session/components/session-error';
import { useLocale } from '@/lib/i18n/i18n';

// Learners and instructors never download the admin console (Moodle files, transfers).
const AdminHome = lazy(() => import('./admin/admin-home').then((module) => ({ default: module.AdminHome })));

/** `/app/launch#code=…` after a resource link launch, and the same page after a reload. */
export function HomeRoute() {
  return (
    <QueryBoundary errorFallback={SessionError}>
      <SessionHome />
    </QueryBoundary>
  );
}

/** Each person sees the home of the most privileged role they hold. */
function SessionHome() {
  const session = useSession();
  useLocale(session.user.locale);
  switch (primaryRole(session.user.roles)) {
    case 'admin':
      return <AdminHome session={session} />;
    case 'instructor':
      return <InstructorHome session={session} />;
    case 'learner':
      return <LearnerHome session={session} />;
  }
}
