// One typed client per service, over the console's front door (/api/<service>/…). The types are
// generated from each service's OpenAPI document by apps/console/scripts/openapi.ts.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { csrfToken, isStateChanging, notifyUnauthorized } from './csrf';
import type { paths as AlertingPaths } from './openapi/alerting';
import type { paths as DrPaths } from './openapi/dr-orchestrator';
import type { paths as ErrorsPaths } from './openapi/error-ingest';
import type { paths as GdprPaths } from './openapi/gdpr';
import type { paths as PerfPaths } from './openapi/perf-collector';
import { problemFrom } from './problem';

const session: Middleware = {
  onRequest({ request }) {
    const token = csrfToken();
    if (token && isStateChanging(request.method)) request.headers.set('X-CSRF-Token', token);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) notifyUnauthorized();
    return response;
  },
};

function serviceClient<P extends object>(prefix: string): Client<P> {
  const client = createClient<P>({ baseUrl: prefix, credentials: 'same-origin' });
  client.use(session);
  return client;
}

export const gdpr = serviceClient<GdprPaths>('/api/gdpr');
export const perf = serviceClient<PerfPaths>('/api/perf');
export const alerting = serviceClient<AlertingPaths>('/api/alerting');
export const errors = serviceClient<ErrorsPaths>('/api/errors');
export const dr = serviceClient<DrPaths>('/api/dr');

/** The data of an openapi-fetch result, or a ProblemError carrying the service's `detail`. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw problemFrom(response, error);
  return data as T;
}

/** A list endpoint's page (`{ items, nextCursor }`, the convention of every service). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Every item of a list, following `nextCursor` (for lists the console shows whole: projects, databases, policies). */
export async function allItems<T>(page: (cursor: string | undefined) => Promise<{ data?: Page<T>; error?: unknown; response: Response }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  do {
    const p = await unwrap(page(cursor));
    out.push(...p.items);
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
  return out;
}
