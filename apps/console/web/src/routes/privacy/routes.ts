// The privacy area's routes (composed by app/router.tsx). Search params are typed: filters, tabs and selection
// live in the URL, so a link reproduces the view.
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, str, int } from '../../app/app-route';

export const privacyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/privacy',
  validateSearch: (s: Record<string, unknown>): { tab?: 'requests' | 'breaches'; request?: string; breach?: string; page?: number } => ({
    tab: (['requests', 'breaches'] as const).find((x) => x === s.tab),
    request: str(s.request),
    breach: str(s.breach),
    page: int(s.page),
  }),
  component: lazyRouteComponent(() => import('./privacy-page'), 'PrivacyPage'),
});
export const privacyRoutes = [privacyRoute];
