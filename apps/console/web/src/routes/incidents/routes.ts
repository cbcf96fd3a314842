// The incidents area's routes (composed by app/router.tsx): the timeline across the bus, the incident list and
// one incident. The timeline's window, lanes, focused alert and selected moment live in the URL.
import type { QueryClient } from '@tanstack/react-query';
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, oneOf, str } from '../../app/app-route';
import { LANES, timelineQuery, type IncidentStatus } from './queries';
import { DEFAULT_RANGE } from './timeline-window';

export const RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;
export type Range = (typeof RANGES)[number];

export interface TimelineSearch {
  /** A window ending now; ignored when from and to are given. */
  range?: Range;
  from?: string;
  to?: string;
  /** Comma-separated lanes shown (all when absent). */
  lanes?: string;
  /** The alert the window was opened from (its start is marked on every lane). */
  alert?: string;
  /** That alert's start. */
  at?: string;
  /** The moment picked on the chart (ms epoch as text): the events list shows its bucket. */
  pick?: string;
}

const isoOrUndefined = (v: unknown) => {
  const s = str(v);
  return s && !Number.isNaN(Date.parse(s)) ? s : undefined;
};
const lanesOf = (v: unknown) => {
  const s = str(v);
  if (!s) return undefined;
  const ok = s.split(',').filter((x) => (LANES as readonly string[]).includes(x));
  return ok.length ? ok.join(',') : undefined;
};

function prefetchTimeline(queryClient: QueryClient, s: Pick<TimelineSearch, 'from' | 'to' | 'range' | 'lanes'>): void {
  const w = s.from && s.to ? { from: s.from, to: s.to } : { range: s.range ?? DEFAULT_RANGE };
  void queryClient.prefetchQuery(timelineQuery({ ...w, lanes: s.lanes }));
}

export const timelineRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/incidents',
  validateSearch: (s: Record<string, unknown>): TimelineSearch => ({
    range: oneOf(RANGES, s.range),
    from: isoOrUndefined(s.from),
    to: isoOrUndefined(s.to),
    lanes: lanesOf(s.lanes),
    alert: str(s.alert),
    at: isoOrUndefined(s.at),
    pick: str(s.pick),
  }),
  staticData: { prefetch: (queryClient, search) => prefetchTimeline(queryClient, search as TimelineSearch) },
  // The timeline's data starts loading with the screen's chunk, not after it.
  loaderDeps: ({ search }) => ({ from: search.from, to: search.to, range: search.range, lanes: search.lanes }),
  loader: ({ context: { queryClient }, deps }) => prefetchTimeline(queryClient, deps),
  component: lazyRouteComponent(() => import('./timeline-page'), 'TimelinePage'),
});

export const incidentListRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/incidents/list',
  validateSearch: (s: Record<string, unknown>): { status?: IncidentStatus; cursor?: string } => ({
    status: oneOf(['open', 'acknowledged', 'resolved'] as const, s.status),
    cursor: str(s.cursor),
  }),
  component: lazyRouteComponent(() => import('./incident-list-page'), 'IncidentListPage'),
});

export const incidentRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/incidents/$incidentId',
  component: lazyRouteComponent(() => import('./incident-page'), 'IncidentPage'),
});

export const incidentsRoutes = [timelineRoute, incidentListRoute, incidentRoute];
