import { QueryBoundary } from '@/components/query-boundary';
import { Home } from '@/features/home/components/home';
import { useSession } from '@/features/session/api/get-session';
import { SessionError } from '@/features/session/components/session-error';
import { useLocale } from '@/lib/i18n/i18n';

/** `/app/launch#code=…` after a resource link launch, and the same page after a reload. */
export function HomeRoute() {
  return (
    <QueryBoundary errorFallback={SessionError}>
      <SessionHome />
    </QueryBoundary>
  );
}

function SessionHome() {
  const session = useSession();
  useLocale(session.user.locale);
  return <Home session={session} />;
}
