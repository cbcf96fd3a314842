// The route tree. Every screen is its own lazily loaded chunk; search params are typed, so filters,
// tabs and selection live in the URL and a link reproduces the view.
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, parseSearchWith, redirect, stringifySearchWith } from '@tanstack/react-router';
import { breachesQuery, databasesQuery, firingAlertsQuery, healthQuery, objectivesQuery, openSubjectRequestsQuery, policiesQuery, recentIssuesQuery } from '../api/queries';
import { RouteError } from '../components/route-error';
import { sessionQuery } from './session';
import { Shell } from './shell';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
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
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
const int = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};
/** Only same-origin paths, so a crafted link cannot send a signed-in user elsewhere. */
const localPath = (v: unknown): string | undefined => {
  const s = str(v);
  return s && s.startsWith('/') && !s.startsWith('//') ? s : undefined;
};

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

/** Everything behind sign-in, inside the shell (nav, live control, user). */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) throw redirect({ to: '/signin', search: { redirect: location.href } });
    if (session.mustChangePassword) throw redirect({ to: '/change-password', search: { redirect: location.href } });
    return { session };
  },
  component: Shell,
});

export const overviewRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  // The tiles' data starts loading with the screen's chunk, not after it (not awaited: tiles show their own state).
  loader: ({ context: { queryClient: qc } }) => {
    void qc.prefetchQuery(firingAlertsQuery);
    void qc.prefetchQuery(recentIssuesQuery);
    // Per-database and per-policy reads follow their list at once, not after the tiles have rendered it.
    void qc
      .fetchQuery(databasesQuery)
      .then((dbs) => dbs.forEach((db) => void qc.prefetchQuery(healthQuery(db.id))))
      .catch(() => undefined);
    void qc
      .fetchQuery(policiesQuery)
      .then((policies) => policies.forEach((policy) => void qc.prefetchQuery(objectivesQuery(policy.id))))
      .catch(() => undefined);
    void qc.prefetchQuery(openSubjectRequestsQuery);
    void qc.prefetchQuery(breachesQuery);
  },
  component: lazyRouteComponent(() => import('../routes/overview/overview-page'), 'OverviewPage'),
});

export const SETTINGS_TABS = ['preferences', 'users', 'api-keys', 'projects', 'receivers'] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];
export interface SettingsSearch {
  tab?: SettingsTab;
  /** Selected error project (projects tab). */
  project?: string;
  page?: number;
}

export const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings',
  validateSearch: (s: Record<string, unknown>): SettingsSearch => ({
    tab: SETTINGS_TABS.find((t) => t === s.tab),
    project: str(s.project),
    page: int(s.page),
  }),
  component: lazyRouteComponent(() => import('../routes/settings/settings-page'), 'SettingsPage'),
});

// First versions of the area screens the overview links to; later issues grow them.
export const alertsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/alerts',
  validateSearch: (s: Record<string, unknown>): { state?: 'firing' | 'acknowledged' | 'resolved'; severity?: string; alert?: string; page?: number } => ({
    state: (['firing', 'acknowledged', 'resolved'] as const).find((x) => x === s.state),
    severity: str(s.severity),
    alert: str(s.alert),
    page: int(s.page),
  }),
  component: lazyRouteComponent(() => import('../routes/alerts/alerts-page'), 'AlertsPage'),
});

export const errorsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/errors',
  validateSearch: (s: Record<string, unknown>): { project?: string; view?: 'new' | 'regressed'; issue?: string; page?: number } => ({
    project: str(s.project),
    view: (['new', 'regressed'] as const).find((x) => x === s.view),
    issue: str(s.issue),
    page: int(s.page),
  }),
  component: lazyRouteComponent(() => import('../routes/errors/errors-page'), 'ErrorsPage'),
});

export const databaseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/database',
  validateSearch: (s: Record<string, unknown>): { db?: string } => ({ db: str(s.db) }),
  component: lazyRouteComponent(() => import('../routes/database/database-page'), 'DatabasePage'),
});

export const recoveryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/recovery',
  validateSearch: (s: Record<string, unknown>): { policy?: string } => ({ policy: str(s.policy) }),
  component: lazyRouteComponent(() => import('../routes/recovery/recovery-page'), 'RecoveryPage'),
});

export const privacyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/privacy',
  validateSearch: (s: Record<string, unknown>): { tab?: 'requests' | 'breaches'; request?: string; breach?: string; page?: number } => ({
    tab: (['requests', 'breaches'] as const).find((x) => x === s.tab),
    request: str(s.request),
    breach: str(s.breach),
    page: int(s.page),
  }),
  component: lazyRouteComponent(() => import('../routes/privacy/privacy-page'), 'PrivacyPage'),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  changePasswordRoute,
  appRoute.addChildren([overviewRoute, alertsRoute, errorsRoute, databaseRoute, recoveryRoute, privacyRoute, settingsRoute]),
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
