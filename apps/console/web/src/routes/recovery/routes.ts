// The recovery area's routes (composed by app/router.tsx). Search params are typed: filters, tabs and selection
// live in the URL, so a link reproduces the view.
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, str } from '../../app/app-route';

export const recoveryRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/recovery',
  validateSearch: (s: Record<string, unknown>): { policy?: string } => ({ policy: str(s.policy) }),
  component: lazyRouteComponent(() => import('./recovery-page'), 'RecoveryPage'),
});
export const recoveryRoutes = [recoveryRoute];
