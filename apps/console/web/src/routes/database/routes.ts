// The database area's routes (composed by app/router.tsx). Search params are typed: tabs and the selected
// statement live in the URL, so a link reproduces the view.
import { createRoute, lazyRouteComponent, redirect } from '@tanstack/react-router';
import { appRoute, oneOf, str } from '../../app/app-route';

export const TARGET_TABS = ['health', 'queries', 'indexes', 'capacity'] as const;
export type TargetTab = (typeof TARGET_TABS)[number];

export const databasesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/database',
  // `?db=` is the overview tile's link to one database: it opens that database's page.
  validateSearch: (s: Record<string, unknown>): { db?: string } => ({ db: str(s.db) }),
  beforeLoad: ({ search }) => {
    if (search.db) throw redirect({ to: '/database/$targetId', params: { targetId: search.db }, search: {} });
  },
  component: lazyRouteComponent(() => import('./databases-page'), 'DatabasesPage'),
});

export const apmRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/database/apm',
  validateSearch: (s: Record<string, unknown>): { service?: string } => ({ service: str(s.service) }),
  component: lazyRouteComponent(() => import('./apm-page'), 'ApmPage'),
});

export const targetRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/database/$targetId',
  validateSearch: (s: Record<string, unknown>): { tab?: TargetTab; query?: string } => ({ tab: oneOf(TARGET_TABS, s.tab), query: str(s.query) }),
  component: lazyRouteComponent(() => import('./target-page'), 'TargetPage'),
});

export const databaseRoutes = [databasesRoute, apmRoute, targetRoute];
