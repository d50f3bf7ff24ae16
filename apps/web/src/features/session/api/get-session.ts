import { queryOptions, useSuspenseQuery } from '@tanstack/react-query';
import { ApiError, isApiError } from '@/lib/api-client';
import { takeLaunchCode } from '@/lib/launch-code';
import { clearSessionToken, readSessionToken, saveSessionToken } from '@/lib/session-token';
import type { SessionView } from '@/types/api';
import { createSession } from './create-session';
import { getMe } from './get-me';
import { sessionKeys } from './session-keys';

/**
 * The current session: from a fresh launch's one-time code when the URL carries one, otherwise
 * from the token this iframe stored before a reload, otherwise none (401 `unauthenticated`).
 *
 * The code is exchanged inside this query rather than by a mutation fired from an effect: the
 * query cache runs it once however many times components mount (StrictMode mounts twice), and
 * a refetch later finds the code already taken and asks /api/me instead. Posting a code twice
 * would fail, since a code works once.
 */
export async function getSession(): Promise<SessionView> {
  const code = takeLaunchCode();
  if (code) {
    const { token, ...session } = await createSession(code);
    saveSessionToken(token);
    return session;
  }
  if (!readSessionToken()) {
    throw new ApiError(401, 'unauthenticated', 'No session token in this window.');
  }
  try {
    return await getMe();
  } catch (error) {
    if (isApiError(error, 'unauthenticated', 'session_expired')) clearSessionToken();
    throw error;
  }
}

export const sessionQueryOptions = () =>
  queryOptions({
    queryKey: sessionKeys.current(),
    queryFn: getSession,
    // A launch does not change during its session; and a retry could only re-post a spent code.
    staleTime: Infinity,
    retry: false,
  });

export function useSession() {
  return useSuspenseQuery(sessionQueryOptions()).data;
}
