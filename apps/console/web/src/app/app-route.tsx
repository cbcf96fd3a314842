// The two parents every screen hangs from (the bare root, and the signed-in shell), and the search-param
// readers the areas share. Each area declares its own routes in routes/<area>/routes.ts; router.tsx composes them.
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, Outlet, redirect } from '@tanstack/react-router';
import { RouteError } from '../components/route-error';
import { sessionKey, sessionQuery, setSession } from './session';
import { Shell } from './shell';

export interface RouterContext {
  queryClient: QueryClient;
}

declare module '@tanstack/react-router' {
  interface StaticDataRouteOption {
    /**
     * Starts the screen's reads into the cache (not awaited: the screen shows its own loading state). The route's
     * loader calls it on navigation; for the first screen, app/first-screen.ts calls it before the session is checked.
     */
    prefetch?: (queryClient: QueryClient, search: Record<string, unknown>) => void;
  }
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  errorComponent: RouteError,
  notFoundComponent: () => (
    <main id="main" className="center-page">
      <div className="panel">
        <h1>Page not found</h1>
        <a href="/">Go to the overview</a>
      </div>
    </main>
  ),
});

// Search values arrive as the query-string decoder guessed them ("12" → 12): ids are read back as strings.
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
export const int = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};
/** One of the allowed values, or undefined. */
export const oneOf = <T extends string>(allowed: readonly T[], v: unknown): T | undefined => allowed.find((x) => x === v);
/** Only same-origin paths, so a crafted link cannot send a signed-in user elsewhere. */
export const localPath = (v: unknown): string | undefined => {
  const s = str(v);
  return s && s.startsWith('/') && !s.startsWith('//') ? s : undefined;
};

/** Everything behind sign-in, inside the shell (nav, live control, user). */
export const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    // The first screen's reads may have started before the session was known (app/first-screen.ts): none of
    // their answers (401s, or 403s until the password is changed) stays in the cache.
    if (!session) {
      setSession(context.queryClient, null);
      throw redirect({ to: '/signin', search: { redirect: location.href } });
    }
    if (session.mustChangePassword) {
      context.queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] || q.queryKey[1] !== sessionKey[1] });
      throw redirect({ to: '/change-password', search: { redirect: location.href } });
    }
    return { session };
  },
  component: Shell,
});
