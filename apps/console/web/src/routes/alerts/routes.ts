// The alerts area's routes (composed by app/router.tsx). Search params are typed: filters, grouping, toggles,
// tabs and the open form live in the URL, so a link reproduces the view.
import { createRoute, lazyRouteComponent, redirect } from '@tanstack/react-router';
import { appRoute, oneOf, str } from '../../app/app-route';

const flag = (v: unknown): boolean | undefined => (v === '1' || v === 1 || v === true || v === 'true' ? true : v === '0' || v === 0 || v === false || v === 'false' ? false : undefined);

export interface AlertGridSearch {
  /** Label matchers, comma-separated: `severity="critical", service=~"api.*"`. */
  filter?: string;
  /** A label name, or `receiver`. */
  groupBy?: string;
  /** Show silenced / inhibited (hidden by default) and acknowledged (shown by default) alerts. */
  silenced?: boolean;
  inhibited?: boolean;
  acknowledged?: boolean;
  /** Links from the overview tile: `state=firing` hides acknowledged alerts, `severity` adds a matcher, `alert` opens it. */
  state?: 'firing' | 'acknowledged' | 'resolved';
  severity?: string;
  alert?: string;
}

export const alertsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/alerts',
  validateSearch: (s: Record<string, unknown>): AlertGridSearch => ({
    filter: str(s.filter),
    groupBy: str(s.groupBy),
    silenced: flag(s.silenced),
    inhibited: flag(s.inhibited),
    acknowledged: flag(s.acknowledged),
    state: oneOf(['firing', 'acknowledged', 'resolved'] as const, s.state),
    severity: str(s.severity),
    alert: str(s.alert),
  }),
  beforeLoad: ({ search }) => {
    if (search.alert) throw redirect({ to: '/alerts/$alertId', params: { alertId: search.alert } });
  },
  component: lazyRouteComponent(() => import('./alerts-page'), 'AlertsPage'),
});

export const alertDetailRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/alerts/$alertId',
  component: lazyRouteComponent(() => import('./alert-detail-page'), 'AlertDetailPage'),
});

export const SILENCE_TABS = ['active', 'pending', 'expired'] as const;
export interface SilencesSearch {
  tab?: (typeof SILENCE_TABS)[number];
  /** `new`, or the id of the silence being edited. */
  edit?: string;
  /** Prefill of a new silence: matchers as text, and the alert it came from. */
  matchers?: string;
  from?: string;
}

export const silencesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/alerts/silences',
  validateSearch: (s: Record<string, unknown>): SilencesSearch => ({
    tab: oneOf(SILENCE_TABS, s.tab),
    edit: str(s.edit),
    matchers: str(s.matchers),
    from: str(s.from),
  }),
  component: lazyRouteComponent(() => import('./silences-page'), 'SilencesPage'),
});

export interface RulesSearch {
  /** `new`, or the id of the rule being edited. */
  edit?: string;
  kind?: 'builtin' | 'custom';
}

export const rulesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/alerts/rules',
  validateSearch: (s: Record<string, unknown>): RulesSearch => ({ edit: str(s.edit), kind: oneOf(['builtin', 'custom'] as const, s.kind) }),
  component: lazyRouteComponent(() => import('./rules-page'), 'RulesPage'),
});

export const alertsRoutes = [alertsRoute, silencesRoute, rulesRoute, alertDetailRoute];
