// The recovery area's routes (composed by app/router.tsx). Search params are typed: filters, tabs and selection
// live in the URL, so a link reproduces the view. /runbooks/<slug> is the page every runbookUrl Vigil sends opens.
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, str } from '../../app/app-route';

export const recoveryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/recovery',
  validateSearch: (s: Record<string, unknown>): { policy?: string } => ({ policy: str(s.policy) }),
  component: lazyRouteComponent(() => import('./recovery-page'), 'RecoveryPage'),
});
export const continuityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/recovery/continuity',
  component: lazyRouteComponent(() => import('./continuity-page'), 'ContinuityPage'),
});
export const runbooksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/runbooks',
  component: lazyRouteComponent(() => import('./runbooks-page'), 'RunbooksPage'),
});
export const runbookRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/runbooks/$slug',
  component: lazyRouteComponent(() => import('./runbooks-page'), 'RunbookPage'),
});
export const recoveryRoutes = [recoveryRoute, continuityRoute, runbooksRoute, runbookRoute];
