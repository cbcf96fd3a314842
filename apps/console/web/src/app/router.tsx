// The route tree. Every screen is its own lazily loaded chunk; search params are typed, so filters,
// tabs and selection live in the URL and a link reproduces the view. Each area declares its routes in
// routes/<area>/routes.ts (children of app-route's appRoute); this file composes them.
import type { QueryClient } from '@tanstack/react-query';
import { createRoute, createRouter, lazyRouteComponent, parseSearchWith, redirect, stringifySearchWith } from '@tanstack/react-router';
import { breachesQuery, firingSummaryQuery, openSubjectRequestsQuery, overviewDatabasesQuery, overviewPoliciesQuery, recentIssuesQuery } from '../api/queries';
import { alertsRoutes } from '../routes/alerts/routes';
import { databaseRoutes } from '../routes/database/routes';
import { errorsRoutes } from '../routes/errors/routes';
import { incidentsRoutes } from '../routes/incidents/routes';
import { privacyRoutes } from '../routes/privacy/routes';
import { recoveryRoutes } from '../routes/recovery/routes';
import { reportsPublicRoutes, reportsRoutes } from '../routes/reports/routes';
import { appRoute, int, localPath, rootRoute, str } from './app-route';
import { sessionQuery } from './session';

export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/signin',
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => ({ redirect: localPath(s.redirect) }),
  component: lazyRouteComponent(() => import('../routes/signin/sign-in-page'), 'SignInPage'),
});

export const changePasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/change-password',
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => ({ redirect: localPath(s.redirect) }),
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: '/signin', search: { redirect: location.href } });
    return { session };
  },
  component: lazyRouteComponent(() => import('../routes/signin/change-password-page'), 'ChangePasswordPage'),
});

/** The tiles' reads (each tile shows its own state); the per-item ones come with their lists (api/queries.ts). */
function prefetchOverview(qc: QueryClient): void {
  void qc.prefetchQuery(firingSummaryQuery);
  void qc.prefetchQuery(recentIssuesQuery);
  void qc.prefetchQuery(overviewDatabasesQuery);
  void qc.prefetchQuery(overviewPoliciesQuery);
  void qc.prefetchQuery(openSubjectRequestsQuery);
  void qc.prefetchQuery(breachesQuery);
}

export const overviewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  staticData: { prefetch: prefetchOverview },
  // The tiles' data starts loading with the screen's chunk, not after it.
  loader: ({ context: { queryClient } }) => prefetchOverview(queryClient),
  component: lazyRouteComponent(() => import('../routes/overview/overview-page'), 'OverviewPage'),
});

export const SETTINGS_TABS = ['preferences', 'users', 'api-keys', 'projects', 'receivers'] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];
export interface SettingsSearch {
  tab?: SettingsTab;
  /** Selected error project (projects tab). */
  project?: string;
  page?: number;
  /** Users and API keys: the keyset cursor of the page shown (with `page`, its number). */
  cursor?: string;
}

export const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings',
  validateSearch: (s: Record<string, unknown>): SettingsSearch => ({
    tab: SETTINGS_TABS.find((t) => t === s.tab),
    project: str(s.project),
    page: int(s.page),
    cursor: str(s.cursor),
  }),
  component: lazyRouteComponent(() => import('../routes/settings/settings-page'), 'SettingsPage'),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  changePasswordRoute,
  ...reportsPublicRoutes,
  appRoute.addChildren([overviewRoute, settingsRoute, ...alertsRoutes, ...errorsRoutes, ...databaseRoutes, ...recoveryRoutes, ...privacyRoutes, ...incidentsRoutes, ...reportsRoutes]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    // Plain query strings (?project=12&tab=projects), not JSON-quoted values: links stay readable.
    parseSearch: parseSearchWith((v) => v),
    stringifySearch: stringifySearchWith(JSON.stringify),
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
