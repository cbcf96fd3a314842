// The errors area's routes (composed by app/router.tsx). Search params are typed: filters, tabs and selection
// live in the URL, so a link reproduces the view.
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, str, int } from '../../app/app-route';

export const errorsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/errors',
  validateSearch: (s: Record<string, unknown>): { project?: string; view?: 'new' | 'regressed'; issue?: string; page?: number; cursor?: string } => ({
    project: str(s.project),
    view: (['new', 'regressed'] as const).find((x) => x === s.view),
    issue: str(s.issue),
    page: int(s.page),
    cursor: str(s.cursor),
  }),
  component: lazyRouteComponent(() => import('./errors-page'), 'ErrorsPage'),
});
export const errorsRoutes = [errorsRoute];
