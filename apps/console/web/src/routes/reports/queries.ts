// The reports area's server state: the executive report of a period, the schedules and their deliveries.
import { queryOptions } from '@tanstack/react-query';
import { csrfToken, isStateChanging, notifyUnauthorized } from '../../api/csrf';
import { problemFrom } from '../../api/problem';
import type { ExecutiveReport } from './report-types';

async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const h: Record<string, string> = { accept: 'application/json', ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  const token = csrfToken();
  if (token && isStateChanging(method)) h['x-csrf-token'] = token;
  const res = await fetch(path, { method, headers: h, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  if (!res.ok) {
    if (res.status === 401 && !headers['x-render-token']) notifyUnauthorized();
    throw problemFrom(res, parsed);
  }
  return parsed as T;
}

export interface Period {
  from: string;
  to: string;
}

export const periodQuery = (p: Period) => new URLSearchParams({ from: p.from, to: p.to }).toString();

export const executiveReportQuery = (p: Period) =>
  queryOptions({
    queryKey: ['reports', 'executive', p.from, p.to],
    queryFn: () => call<ExecutiveReport>('GET', `/api/reports/executive?${periodQuery(p)}`),
    staleTime: 60_000,
    refetchInterval: false,
  });

export interface Schedule {
  id: string;
  name: string;
  webhookUrl: string;
  dayOfWeek: number;
  hour: number;
  format: 'json' | 'csv';
  nextRunAt: string;
  createdAt: string;
}
export interface Delivery {
  id: string;
  scheduleId: string;
  periodFrom: string;
  periodTo: string;
  status: 'delivered' | 'failed';
  httpStatus: number | null;
  error: string | null;
  attemptedAt: string;
  durationMs: number;
}

export const schedulesQuery = queryOptions({
  queryKey: ['reports', 'schedules'],
  queryFn: async () => (await call<{ items: Schedule[] }>('GET', '/api/reports/schedules')).items,
});

export const deliveriesQuery = (scheduleId: string) =>
  queryOptions({
    queryKey: ['reports', 'schedules', scheduleId, 'deliveries'],
    queryFn: async () => (await call<{ items: Delivery[] }>('GET', `/api/reports/schedules/${encodeURIComponent(scheduleId)}/deliveries`)).items,
  });

export const reportsApi = {
  createSchedule: (s: Omit<Schedule, 'id' | 'nextRunAt' | 'createdAt'>) => call<{ schedule: Schedule; secret: string }>('POST', '/api/reports/schedules', s),
  deleteSchedule: (id: string) => call<void>('DELETE', `/api/reports/schedules/${encodeURIComponent(id)}`),
  sendNow: (id: string) => call<Delivery>('POST', `/api/reports/schedules/${encodeURIComponent(id)}/deliveries`),
  /** The print page's one read: the token works once. */
  renderedReport: (token: string) => call<ExecutiveReport>('POST', '/api/reports/render', undefined, { 'x-render-token': token }),
};
