// The alerts area's routes (composed by app/router.tsx). Search params are typed: filters, tabs and selection
// live in the URL, so a link reproduces the view.
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, str, int } from '../../app/app-route';

export const alertsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/alerts',
  validateSearch: (s: Record<string, unknown>): { state?: 'firing' | 'acknowledged' | 'resolved'; severity?: string; alert?: string; page?: number } => ({
    state: (['firing', 'acknowledged', 'resolved'] as const).find((x) => x === s.state),
    severity: str(s.severity),
    alert: str(s.alert),
    page: int(s.page),
  }),
  component: lazyRouteComponent(() => import('./alerts-page'), 'AlertsPage'),
});
export const alertsRoutes = [alertsRoute];
