// The records behind the executive report, read from the five services' HTTP APIs with the
// console's key for the tenant (the console never reads another service's tables).
import type { ServiceName } from '../config.js';
import type { ServiceInstances } from './service-instances.js';
import type { AlertRecord, BreachRecord, ConsentRate, DatabaseRecord, IssueRecord, Period, PolicyRecord, SubjectRequestRecord } from '../domain/executive-report.js';
import { PlatformApi } from './platform-api.js';

/** A list in any shape the services answer while issue 13 converts them: a bare array, `{total, items}` (offset) or `{items, nextCursor}`. */
type List<T> = T[] | { items: T[]; nextCursor?: string | null; total?: number };
const itemsOf = <T>(l: List<T>): T[] => (Array.isArray(l) ? l : l.items);

const MAX_PAGES = 50;

export class ReportSources {
  private readonly api: PlatformApi;

  constructor(
    private readonly services: Record<ServiceName, ServiceInstances>,
    key: string,
    signal?: AbortSignal,
  ) {
    this.api = new PlatformApi(key, signal);
  }

  private get<T>(base: string, path: string): Promise<T> {
    return this.api.call<T>(base, 'GET', path);
  }

  /** Every item of a list, following `nextCursor` (or `offset` against `total`), at most MAX_PAGES pages. */
  private async all<T>(base: string, path: string, query: Record<string, string> = {}, enough: (page: T[]) => boolean = () => false): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      const q = new URLSearchParams(query);
      if (cursor) q.set('cursor', cursor);
      else if (out.length) q.set('offset', String(out.length));
      const res = await this.get<List<T>>(base, `${path}${q.size ? `?${q}` : ''}`);
      const items = itemsOf(res);
      out.push(...items);
      if (!items.length || Array.isArray(res) || enough(items)) break;
      if ('nextCursor' in res) {
        if (!(cursor = res.nextCursor)) break;
      } else if (typeof res.total !== 'number' || out.length >= res.total) break;
    }
    return out;
  }

  /** Every alert open during the period (alerting's keyset-paginated period API). */
  async alerts(p: Period): Promise<AlertRecord[]> {
    type Row = { id: string; severity: string; ruleId: string | null; labels: Record<string, string>; fingerprint: string; startsAt: string; acknowledgedAt: string | null; resolvedAt: string | null };
    const out: AlertRecord[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const q = new URLSearchParams({ from: p.from.toISOString(), to: p.to.toISOString(), limit: '1000', ...(cursor ? { cursor } : {}) });
      const res: { items: Row[]; nextCursor: string | null } = await this.get(this.services.alerting.pick(), `/v1/alert-periods?${q}`);
      for (const a of res.items)
        out.push({ id: a.id, severity: a.severity, ruleId: a.ruleId, alertname: a.labels.alertname ?? a.fingerprint, startsAt: a.startsAt, acknowledgedAt: a.acknowledgedAt, resolvedAt: a.resolvedAt });
      cursor = res.nextCursor;
      if (!cursor) break;
    }
    return out;
  }

  /**
   * Issues of every project seen during the period (new and regressed are among them), plus the most
   * recently seen resolved ones: an issue resolved in the period may have been last seen before it.
   */
  async issues(p: Period): Promise<IssueRecord[]> {
    const base = this.services.errors.pick();
    const projects = await this.all<{ id: string; name: string }>(base, '/v1/projects');
    const out = new Map<string, IssueRecord>();
    for (const project of projects) {
      const path = `/v1/projects/${encodeURIComponent(project.id)}/issues`;
      const seen = await this.all<Omit<IssueRecord, 'project'>>(base, path, { since: p.from.toISOString(), until: p.to.toISOString(), limit: '200' });
      const resolved = itemsOf(await this.get<List<Omit<IssueRecord, 'project'>>>(base, `${path}?${new URLSearchParams({ status: 'resolved', sort: 'last_seen', limit: '200' })}`));
      for (const i of [...seen, ...resolved])
        out.set(i.id, { id: i.id, projectId: i.projectId, project: project.name, title: i.title, firstSeen: i.firstSeen, lastSeen: i.lastSeen, status: i.status, substatus: i.substatus, resolvedAt: i.resolvedAt });
    }
    return [...out.values()];
  }

  /** Health scores come newest first: pages stop once they reach back past the period's start. */
  async databases(p: Period): Promise<DatabaseRecord[]> {
    const base = this.services.perf.pick();
    const targets = await this.all<{ id: string; name: string }>(base, '/v1/databases');
    return Promise.all(
      targets.map(async (t) => ({
        id: t.id,
        name: t.name,
        scores: (
          await this.all<{ score: number; scoredAt: string }>(base, `/v1/databases/${encodeURIComponent(t.id)}/health`, { limit: '1000' }, (page) =>
            page.some((s) => new Date(s.scoredAt) < p.from),
          )
        ).map((s) => ({ score: s.score, scoredAt: s.scoredAt })),
      })),
    );
  }

  async policies(p: Period, now: Date): Promise<PolicyRecord[]> {
    const base = this.services.dr.pick();
    const policies = await this.all<{ id: string; name: string; rpoTargetSeconds: number; rtoTargetSeconds: number }>(base, '/v1/policies');
    // trends are "the last N days": enough days to reach back to the period's start.
    const days = Math.min(3650, Math.max(1, Math.ceil((now.getTime() - p.from.getTime()) / 86_400_000)));
    return Promise.all(
      policies.map(async (pol) => {
        const id = encodeURIComponent(pol.id);
        const [objectives, trends] = await Promise.all([
          this.get<{ lastVerifiedSnapshotAt: string | null }>(base, `/v1/policies/${id}/objectives`),
          this.get<{ restores: { at: string; kind: string; status: string; rtoSeconds: number | null }[] }>(base, `/v1/policies/${id}/trends?days=${days}`),
        ]);
        return { id: pol.id, name: pol.name, rpoTargetSeconds: pol.rpoTargetSeconds, rtoTargetSeconds: pol.rtoTargetSeconds, lastVerifiedSnapshotAt: objectives.lastVerifiedSnapshotAt, restores: trends.restores };
      }),
    );
  }

  async privacy(): Promise<{ requests: SubjectRequestRecord[]; breaches: BreachRecord[]; consent: ConsentRate[] }> {
    const base = this.services.gdpr.pick();
    const [requests, breaches, compliance] = await Promise.all([
      this.all<SubjectRequestRecord>(base, '/v1/subject-requests', { limit: '500' }),
      this.all<BreachRecord>(base, '/v1/breaches'),
      this.get<{ consent: ConsentRate[] }>(base, '/v1/compliance-report'),
    ]);
    return {
      requests: requests.map((r) => ({ id: r.id, kind: r.kind, state: r.state, receivedAt: r.receivedAt, effectiveDeadline: r.effectiveDeadline, completedAt: r.completedAt })),
      breaches: breaches.map((b) => ({ id: b.id, title: b.title, awareAt: b.awareAt, notifyDeadline: b.notifyDeadline, authorityNotifiedAt: b.authorityNotifiedAt, notNotifiedReason: b.notNotifiedReason })),
      consent: compliance.consent.map((c) => ({ purpose: c.purpose, subjects: c.subjects, granted: c.granted })),
    };
  }
}
