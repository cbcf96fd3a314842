// The errors area's routes (composed by app/router.tsx): the issue stream of a project and an issue's page.
// Search params are typed: filters, sort, time range and the selected event live in the URL.
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, oneOf, str } from '../../app/app-route';

export const STATUSES = ['unresolved', 'resolved', 'ignored', 'all'] as const;
export const SORTS = ['last_seen', 'first_seen', 'count', 'users'] as const;
export const PERIODS = ['1h', '24h', '7d', '14d', '30d'] as const;
export const LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;

export interface StreamSearch {
  project?: string;
  /** Default unresolved; `all` lists every status. */
  status?: (typeof STATUSES)[number];
  /** new | regressed (the overview links here with these). */
  view?: 'new' | 'regressed';
  level?: string;
  release?: string;
  environment?: string;
  /** key:value */
  tag?: string;
  query?: string;
  /** Last seen within this period; absent = any time. */
  period?: (typeof PERIODS)[number];
  sort?: (typeof SORTS)[number];
  /** Legacy link from the overview: open this issue. */
  issue?: string;
}

export const errorsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/errors',
  validateSearch: (s: Record<string, unknown>): StreamSearch => ({
    project: str(s.project),
    status: oneOf(STATUSES, s.status),
    view: oneOf(['new', 'regressed'] as const, s.view),
    level: str(s.level),
    release: str(s.release),
    environment: str(s.environment),
    tag: str(s.tag),
    query: str(s.query),
    period: oneOf(PERIODS, s.period),
    sort: oneOf(SORTS, s.sort),
    issue: str(s.issue),
  }),
  component: lazyRouteComponent(() => import('./issue-stream-page'), 'IssueStreamPage'),
});

export interface IssueSearch {
  /** The event shown (default: the latest). */
  event?: string;
  period?: '24h' | '14d';
  /** Show every frame, not only the application's. */
  full?: boolean;
}

export const issueRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/errors/$projectId/issues/$issueId',
  validateSearch: (s: Record<string, unknown>): IssueSearch => ({
    event: str(s.event),
    period: oneOf(['24h', '14d'] as const, s.period),
    full: s.full === true || s.full === 'true' || s.full === '1' ? true : undefined,
  }),
  component: lazyRouteComponent(() => import('./issue-page'), 'IssuePage'),
});

export const errorsRoutes = [errorsRoute, issueRoute];
