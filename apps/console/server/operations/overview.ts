// The overview's lists with what its tiles show per item, one browser request each: a database with its
// latest health scores, a backup policy with its objectives, a project with its issues of the last 24 h; and
// the firing alerts summed up (a couple of kilobytes to the browser instead of every alert).
// The browser used to ask for each item after its list had arrived (a list, then one request per item);
// here the per-item reads go out together, server to service, with the console's key for the session's
// (tenant, role) — the key the front door would have used, so a service grants exactly what it grants there.
import { PlatformApi, PlatformApiError } from '../clients/platform-api.js';
import type { ServiceName } from '../config.js';
import { firingSummary, issuesOfLastDay, type FiringSummary, type ProjectIssues } from '../domain/overview.js';
import { overviewSourceUnavailable } from '../errors.js';
import type { ConsoleDeps } from './deps.js';
import type { ActiveSession } from './sessions.js';

const DAY = 86_400_000;
/** Per-item reads in flight at once for one overview request. */
const FAN_OUT = 8;

type Item = { id: string; [field: string]: unknown };

/** `fn` over every item, at most `limit` at a time, results in the items' order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
    }),
  );
  return out;
}

class ServiceReads {
  private constructor(
    private readonly deps: ConsoleDeps,
    private readonly api: PlatformApi,
  ) {}

  static async of(deps: ConsoleDeps, session: ActiveSession): Promise<ServiceReads> {
    return new ServiceReads(deps, new PlatformApi(await deps.serviceKeys.keyFor(session.tenantId, session.role)));
  }

  /** A list read; a service that does not answer is the request's failure (the tile shows it). */
  async list(service: ServiceName, path: string): Promise<Item[]> {
    try {
      return await this.api.all<Item>(this.deps.services[service].pick(), path);
    } catch (err) {
      throw unavailable(service, err);
    }
  }

  /** One read the answer cannot do without. */
  async read<T>(service: ServiceName, path: string): Promise<T> {
    try {
      return await this.api.call<T>(this.deps.services[service].pick(), 'GET', path);
    } catch (err) {
      throw unavailable(service, err);
    }
  }

  /** A per-item read; one that fails is left out (null), and the tile reads that item itself. */
  item<T>(service: ServiceName, path: string): Promise<T | null> {
    return this.read<T>(service, path).catch(() => null);
  }
}

function unavailable(service: ServiceName, err: unknown): Error {
  if (err instanceof PlatformApiError || (err as Error).name === 'TimeoutError' || err instanceof TypeError) return overviewSourceUnavailable(service, (err as Error).message);
  return err as Error;
}

const seg = encodeURIComponent;

/** Monitored databases, each with its latest health scores (one page of 100, newest first, as the web's healthQuery reads). */
export async function databasesWithHealth(deps: ConsoleDeps, session: ActiveSession): Promise<{ items: Item[]; health: Record<string, unknown[] | null> }> {
  const reads = await ServiceReads.of(deps, session);
  const items = await reads.list('perf', '/v1/databases');
  const health = await mapLimited(items, FAN_OUT, (db) => reads.item<{ items: unknown[] }>('perf', `/v1/databases/${seg(db.id)}/health?limit=100`));
  return { items, health: Object.fromEntries(items.map((db, i) => [db.id, health[i]?.items ?? null])) };
}

/** Backup policies, each with its recovery objectives. */
export async function policiesWithObjectives(deps: ConsoleDeps, session: ActiveSession): Promise<{ items: Item[]; objectives: Record<string, unknown | null> }> {
  const reads = await ServiceReads.of(deps, session);
  const items = await reads.list('dr', '/v1/policies');
  const objectives = await mapLimited(items, FAN_OUT, (p) => reads.item<unknown>('dr', `/v1/policies/${seg(p.id)}/objectives`));
  return { items, objectives: Object.fromEntries(items.map((p, i) => [p.id, objectives[i] ?? null])) };
}

/** Per project, its unresolved issues first seen or regressed in the last 24 h (up to 200 per project, the service's page limit). */
export async function recentIssues(deps: ConsoleDeps, session: ActiveSession, now = new Date()): Promise<{ items: ProjectIssues<Item, Item>[] }> {
  const reads = await ServiceReads.of(deps, session);
  const projects = await reads.list('errors', '/v1/projects');
  const since = new Date(now.getTime() - DAY).toISOString();
  const query = new URLSearchParams({ status: 'unresolved', since, sort: 'first_seen', limit: '200' });
  // As the tile did: one project's issues missing would make its counts wrong, so that fails the read.
  const pages = await mapLimited(projects, FAN_OUT, (project) => reads.read<{ items: Item[]; nextCursor: string | null }>('errors', `/v1/projects/${seg(project.id)}/issues?${query}`));
  return { items: projects.map((project, i) => issuesOfLastDay<Item, Item>(project, pages[i]!, since)) };
}

/**
 * The firing alerts counted by severity, with the five the tile lists: one page of up to 1,000 (as the browser read
 * them before; `truncated` says there are more), so the browser gets a couple of kilobytes instead of every alert.
 */
export async function firingAlerts(deps: ConsoleDeps, session: ActiveSession): Promise<FiringSummary<Item> & { truncated: boolean }> {
  const reads = await ServiceReads.of(deps, session);
  const page = await reads.read<{ items: Item[]; nextCursor: string | null }>('alerting', '/v1/alerts?state=firing&limit=1000');
  return { ...firingSummary(page.items.map((a) => ({ ...a, severity: String(a.severity), startsAt: String(a.startsAt) }))), truncated: page.nextCursor !== null };
}
