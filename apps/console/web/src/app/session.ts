// The session (server state): null when signed out. Setting it also sets the CSRF token the clients send.
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { atLeast, consoleApi, type Role, type Session } from '../api/console';
import { setCsrfToken } from '../api/csrf';
import { isProblemError } from '../api/problem';

export const sessionKey = ['console', 'session'] as const;

export const sessionQuery = queryOptions({
  queryKey: sessionKey,
  queryFn: async (): Promise<Session | null> => {
    try {
      const s = await consoleApi.session();
      setCsrfToken(s.csrfToken);
      return s;
    } catch (e) {
      if (isProblemError(e) && e.status === 401) {
        setCsrfToken(undefined);
        return null;
      }
      throw e;
    }
  },
  staleTime: 60_000,
  refetchInterval: false,
});

export function setSession(client: QueryClient, session: Session | null): void {
  setCsrfToken(session?.csrfToken);
  if (!session) {
    // Nothing of the previous user stays in memory.
    client.clear();
  }
  client.setQueryData(sessionKey, session);
}

/** Whether the signed-in user's role reaches `needed` in the current tenant: gates every write control. */
export function useCan(needed: Role): boolean {
  const { data } = useQuery(sessionQuery);
  return atLeast(data?.role, needed);
}
