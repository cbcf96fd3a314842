// The first screen's reads start together with the session check instead of after it. Before the router
// has run (it awaits the session before any loader), this asks for the session, the data the screen's
// route prefetches (its `staticData.prefetch`, what its loader does on later navigations) and the screen's
// chunk, all at once. That is safe before the session is known: the session cookie (HttpOnly) goes with
// every request anyway, the server authorises each one, these are GETs (no CSRF token needed), and on a
// 401 appRoute still sends the app to sign-in and clears the cache, so nothing read here outlives it.
import type { QueryClient } from '@tanstack/react-query';
import type { AnyRouter } from '@tanstack/react-router';
import { appRoute } from './app-route';
import { sessionQuery } from './session';

export function startFirstScreen(router: AnyRouter, queryClient: QueryClient): void {
  const { pathname, search } = router.latestLocation;
  const [branch, , leaf] = router.getMatchedRoutes(pathname);
  // The chunk first: its few small files then get the browser's connections (six per origin over HTTP/1.1)
  // before the data requests, which take longer to answer, occupy them.
  if (leaf) void router.loadRouteChunk(leaf)?.catch(() => undefined);
  // Only the screens behind sign-in: sign-in itself and the public pages have nothing to read early.
  if (!leaf || !branch.some((r) => r.id === appRoute.id)) return;
  void queryClient.prefetchQuery(sessionQuery);
  try {
    // The search as the route will see it: each route of the branch validates its own params.
    let validated: Record<string, unknown> = {};
    for (const r of branch) {
      const validate = r.options.validateSearch as ((s: Record<string, unknown>) => Record<string, unknown>) | undefined;
      if (typeof validate === 'function') validated = { ...validated, ...validate(search as Record<string, unknown>) };
    }
    leaf.options.staticData?.prefetch?.(queryClient, validated);
  } catch {
    // a search the route refuses: the router shows that in its own time
  }
}
