// The reports area's routes (composed by app/router.tsx): the executive report behind sign-in, with the
// period in the URL; and its print page, outside the shell, which the console's own Chromium opens with
// a single-use render token to make the PDF.
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, rootRoute, str } from '../../app/app-route';

export interface ReportsSearch {
  /** ISO dates (YYYY-MM-DD, UTC) or date-times; the period is [from, to). */
  from?: string;
  to?: string;
}

const dateish = (v: unknown): string | undefined => {
  const s = str(v);
  return s && /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(s) && !Number.isNaN(new Date(s).getTime()) ? s : undefined;
};

export const reportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/reports',
  validateSearch: (s: Record<string, unknown>): ReportsSearch => ({ from: dateish(s.from), to: dateish(s.to) }),
  component: lazyRouteComponent(() => import('./reports-page'), 'ReportsPage'),
});

export const reportPrintRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reports/print',
  component: lazyRouteComponent(() => import('./print-page'), 'PrintPage'),
});

export const reportsRoutes = [reportsRoute];
/** Outside the signed-in shell: composed beside sign-in. */
export const reportsPublicRoutes = [reportPrintRoute];
