// The database area's routes (composed by app/router.tsx). Search params are typed: filters, tabs and selection
// live in the URL, so a link reproduces the view.
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, str } from '../../app/app-route';

export const databaseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/database',
  validateSearch: (s: Record<string, unknown>): { db?: string } => ({ db: str(s.db) }),
  component: lazyRouteComponent(() => import('./database-page'), 'DatabasePage'),
});
export const databaseRoutes = [databaseRoute];
