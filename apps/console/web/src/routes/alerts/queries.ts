// The alerts area's server state. Every key starts with 'alerting', so an AlertStateChanged on the stream
// (live/events.ts) makes all of it stale and the screens refetch without a reload.
import { queryOptions } from '@tanstack/react-query';
import { alerting, allItems, unwrap } from '../../api/services';

type Data<F extends (...a: never[]) => unknown> = Awaited<ReturnType<F>>;

async function openAlerts() {
  // Firing and acknowledged, joined with the Alertmanager view (receivers, silenced/inhibited) by fingerprint.
  const [firing, acked, am] = await Promise.all([
    allItems((cursor) => alerting.GET('/v1/alerts', { params: { query: { state: 'firing', limit: 1000, cursor } } })),
    allItems((cursor) => alerting.GET('/v1/alerts', { params: { query: { state: 'acknowledged', limit: 1000, cursor } } })),
    unwrap(alerting.GET('/api/v2/alerts', { params: { query: {} } })),
  ]);
  const status = new Map(am.map((a) => [a.fingerprint, a]));
  return [...firing, ...acked].map((a) => {
    const s = status.get(a.fingerprint);
    return { ...a, receivers: s?.receivers.map((r) => r.name) ?? [], silencedBy: s?.status.silencedBy ?? [], inhibitedBy: s?.status.inhibitedBy ?? [] };
  });
}

export const openAlertsQuery = queryOptions({ queryKey: ['alerting', 'grid', 'open'], queryFn: openAlerts });
export type GridAlert = Data<typeof openAlerts>[number];

export const stripsQuery = queryOptions({
  queryKey: ['alerting', 'grid', 'strips'],
  queryFn: () => unwrap(alerting.GET('/v1/alert-strips', { params: { query: { hours: 24 } } })),
});
export type Strips = Data<NonNullable<typeof stripsQuery.queryFn>>;

export const alertQuery = (alertId: string) =>
  queryOptions({ queryKey: ['alerting', 'alert', alertId], queryFn: () => unwrap(alerting.GET('/v1/alerts/{alertId}', { params: { path: { alertId } } })) });
export type AlertDetail = Data<NonNullable<ReturnType<typeof alertQuery>['queryFn']>>;

export const alertHistoryQuery = (alertId: string) =>
  queryOptions({ queryKey: ['alerting', 'alert', alertId, 'history'], queryFn: () => allItems((cursor) => alerting.GET('/v1/alerts/{alertId}/history', { params: { path: { alertId }, query: { cursor, limit: 1000 } } })) });
export type HistoryEntry = Data<NonNullable<ReturnType<typeof alertHistoryQuery>['queryFn']>>[number];

export const deliveriesQuery = (alertId: string) =>
  queryOptions({
    queryKey: ['alerting', 'alert', alertId, 'deliveries'],
    queryFn: () => unwrap(alerting.GET('/v1/alerts/{alertId}/deliveries', { params: { path: { alertId }, query: { limit: 50 } } })),
  });
export type Delivery = Data<NonNullable<ReturnType<typeof deliveriesQuery>['queryFn']>>['items'][number];

export const escalationQuery = (alertId: string) =>
  queryOptions({
    queryKey: ['alerting', 'alert', alertId, 'escalation'],
    queryFn: () => unwrap(alerting.GET('/v1/alerts/{alertId}/escalation', { params: { path: { alertId } } })),
  });

export const silencesQuery = queryOptions({
  queryKey: ['alerting', 'silences'],
  queryFn: () => allItems((cursor) => alerting.GET('/v1/silences', { params: { query: { cursor, limit: 1000 } } })),
});
export type Silence = Data<NonNullable<typeof silencesQuery.queryFn>>[number];

export const silencePreviewQuery = (matchers: string[]) =>
  queryOptions({
    queryKey: ['alerting', 'silence-preview', matchers],
    queryFn: () => unwrap(alerting.POST('/v1/silences/preview', { params: { query: { limit: 50 } }, body: { matchers } })),
    enabled: matchers.length > 0,
    placeholderData: (prev) => prev,
  });

// Evaluations publish no event (they happen on every metrics cycle): the list re-reads itself.
export const rulesQuery = queryOptions({
  queryKey: ['alerting', 'rules'],
  queryFn: () => allItems((cursor) => alerting.GET('/v1/rules', { params: { query: { cursor, limit: 1000 } } })),
  refetchInterval: 5_000,
});
export type Rule = Data<NonNullable<typeof rulesQuery.queryFn>>[number];

/** Silence state, as Alertmanager names it. */
export function silenceState(s: Silence, now: number): 'active' | 'pending' | 'expired' {
  if (s.expiredAt || (s.endsAt && Date.parse(s.endsAt) <= now)) return 'expired';
  return Date.parse(s.startsAt) > now ? 'pending' : 'active';
}
