// The privacy area's routes (composed by app/router.tsx). Search params are typed: filters, tabs and selection
// live in the URL, so a link reproduces the view.
import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
import { appRoute, int, oneOf, str } from '../../app/app-route';

export const PRIVACY_TABS = ['requests', 'consent', 'records', 'breaches', 'audit', 'report'] as const;
export type PrivacyTab = (typeof PRIVACY_TABS)[number];
export const REQUEST_STATES = ['unverified', 'in_progress', 'completed', 'refused'] as const;
export const REQUEST_KINDS = ['access', 'erasure', 'portability'] as const;

export interface PrivacySearch {
  tab?: PrivacyTab;
  /** Requests: filters. */
  state?: (typeof REQUEST_STATES)[number];
  kind?: (typeof REQUEST_KINDS)[number];
  verified?: 'yes' | 'no';
  due?: 'overdue' | 'urgent';
  page?: number;
  /** A request named by an older link (the overview tile): opens its detail page. */
  request?: string;
  /** Consent lookup: the subject identifier looked up. */
  subject?: string;
  /** Records of processing: the selected record, and whether its form is open ('new' for a new record). */
  record?: string;
  edit?: 'yes';
  /** Breach register: the selected breach; 'new' opens the form. */
  breach?: string;
  /** Audit log: filters and the keyset position (with `page` for the page number). */
  topic?: string;
  cursor?: string;
}

export const privacyRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/privacy',
  validateSearch: (s: Record<string, unknown>): PrivacySearch => ({
    tab: oneOf(PRIVACY_TABS, s.tab),
    state: oneOf(REQUEST_STATES, s.state),
    kind: oneOf(REQUEST_KINDS, s.kind),
    verified: oneOf(['yes', 'no'] as const, s.verified),
    due: oneOf(['overdue', 'urgent'] as const, s.due),
    page: int(s.page),
    request: str(s.request),
    subject: str(s.subject),
    record: str(s.record),
    edit: oneOf(['yes'] as const, s.edit),
    breach: str(s.breach),
    topic: str(s.topic),
    cursor: str(s.cursor),
  }),
  component: lazyRouteComponent(() => import('./privacy-page'), 'PrivacyPage'),
});

export const subjectRequestRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/privacy/requests/$requestId',
  component: lazyRouteComponent(() => import('./request-detail-page'), 'RequestDetailPage'),
});

export const privacyRoutes = [privacyRoute, subjectRequestRoute];
