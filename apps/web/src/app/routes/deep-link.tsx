import { QueryBoundary } from '@/components/query-boundary';
import { DeepLinkRequest } from '@/features/deep-linking/components/deep-link-request';
import { useSession } from '@/features/session/api/get-session';
import { SessionError } from '@/features/session/components/session-error';
import { useLocale } from '@/lib/i18n/i18n';

/** `/app/deep-link#code=…`: Moodle asks for content to place in a course. */
export function DeepLinkRoute() {
  return (
    <QueryBoundary errorFallback={SessionError}>
      <SessionDeepLink />
    </QueryBoundary>
  );
}

function SessionDeepLink() {
  const session = useSession();
  useLocale(session.user.locale);
  return <DeepLinkRequest session={session} />;
}
