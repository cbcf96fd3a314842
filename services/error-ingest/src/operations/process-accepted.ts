// Processing of accepted events in the consumer's transaction — from ErrorEventAccepted v2 (the
// payload in the message) or v1 (references into the spool): normalise/scrub/pseudonymise, group
// into issues, store events, count buckets, detect spikes, and publish issue lifecycle events
// through the outbox. One pass per project per batch: one events insert, one upsert per issue.
import type { Pool, PoolClient } from 'pg';
import { ErrorEventsProcessed, ErrorSpikeDetected, IssueOpened, IssueRegressed, type ErrorEventAccepted, type ErrorEventAcceptedV2, type EventData, type EventLogger, type Outbox } from '@vigil/events';
import { takeAccepted } from '../db/accepted.js';
import { addCounts, minuteCounts, type BucketIncrement } from '../db/counts.js';
import { insertEvents, lockProject, storablePayload, storedEventIds, type StoredEvent } from '../db/events.js';
import { addActivity } from '../db/issue-activity.js';
import { addIssueTags, addIssueUsers, addOccurrences, insertIssue, lockIssues, markSpiked, type IssueOccurrences, type IssueRow } from '../db/issues.js';
import { scrubbingOf } from '../db/projects.js';
import { isRegression } from '../domain/issue-state.js';
import { processEvent, type ProcessedEvent } from '../domain/normalise.js';
import type { ScrubSettings } from '../domain/scrub.js';
import { detectSpike, type SpikeOptions } from '../domain/spike.js';

export interface ProcessingOptions {
  outbox: Outbox;
  pseudonymKey: string;
  publicUrl: string;
  spike: SpikeOptions & { cooldownMinutes: number };
  subjectRef: (secret: string, tenantId: string, value: string) => string;
}

const MINUTE = 60_000;

type Accepted = EventData<typeof ErrorEventAccepted>;

/**
 * A batch of ErrorEventAccepted messages in one transaction: the messages of one project (and
 * tenant) are merged, so each project gets one processing pass — one events insert, one issue
 * upsert per fingerprint, aggregated counters — whatever the number of messages. Order is kept:
 * projects in order of first appearance, events in message order. Returns the events processed.
 */
export async function processAcceptedBatch(
  tx: PoolClient,
  o: ProcessingOptions,
  messages: readonly { tenantId: string; data: Accepted }[],
  log: EventLogger,
): Promise<number> {
  const merged = new Map<string, { tenantId: string; data: Accepted }>();
  for (const m of messages) {
    const k = `${m.tenantId}\u0000${m.data.projectId}`;
    const cur = merged.get(k);
    if (cur) cur.data = { ...cur.data, events: [...cur.data.events, ...m.data.events] };
    else merged.set(k, { tenantId: m.tenantId, data: m.data });
  }
  let processed = 0;
  for (const m of merged.values()) processed += await processAccepted(tx, o, m.data, m.tenantId, log);
  return processed;
}
const HOUR = 3_600_000;
const floorTo = (d: Date, step: number) => new Date(Math.floor(d.getTime() / step) * step);

export async function processAccepted(
  tx: PoolClient,
  o: ProcessingOptions,
  message: EventData<typeof ErrorEventAccepted>,
  tenantId: string,
  log: EventLogger,
): Promise<number> {
  const taken = await takeAccepted(tx, message.events.map((e) => e.eventId));
  return processEvents(tx, o, message.projectId, tenantId, taken.map((t) => ({ eventId: t.eventId, receivedAt: t.receivedAt, event: t.payload })), log);
}

type Received = EventData<typeof ErrorEventAcceptedV2>;

/** One project's share of a batch, prepared outside the transaction: normalised, scrubbed, serialised. */
export interface PreparedProject {
  tenantId: string;
  projectId: string;
  events: PreparedEvent[];
}
interface PreparedEvent {
  event: ProcessedEvent;
  receivedAt: Date;
  /** The payload as stored (serialising it is CPU work too, done before the transaction). */
  payloadText: string;
}

/**
 * ErrorEventAccepted v2 messages (the fast path: one event with its payload each) prepared for
 * applyPrepared, with no transaction open: one group per project, events in offset order, the same
 * event twice once. CPU work but for one read of the projects' scrubbing settings, done before the
 * transaction so that it holds the project's lock only for the writes.
 */
export async function prepareReceived(db: Pick<Pool, 'query'>, o: ProcessingOptions, messages: readonly { tenantId: string; data: Received }[], log: EventLogger): Promise<PreparedProject[]> {
  const byProject = new Map<string, { tenantId: string; projectId: string; events: RawEvent[] }>();
  for (const m of messages) {
    const k = `${m.tenantId}\u0000${m.data.projectId}`;
    const group = byProject.get(k) ?? { tenantId: m.tenantId, projectId: m.data.projectId, events: [] };
    group.events.push({ eventId: m.data.eventId, receivedAt: new Date(m.data.receivedAt), event: m.data.event });
    byProject.set(k, group);
  }
  const settings = await scrubbingOf(db, [...new Set([...byProject.values()].map((g) => g.projectId))]);
  const prepared: PreparedProject[] = [];
  for (const g of byProject.values()) {
    const project = settings.get(g.projectId);
    if (!project) continue; // project deleted meanwhile: its events go with it
    prepared.push({ tenantId: g.tenantId, projectId: g.projectId, events: await prepareEvents(o, project, g.events, log) });
  }
  return prepared;
}

/**
 * Prepared events in the consumer's transaction: one pass per project. Idempotent per event id (an
 * event both produced and spooled, re-sent by its SDK, or in a redelivered batch, is applied once). Returns the events applied.
 */
export async function applyPrepared(tx: PoolClient, o: ProcessingOptions, prepared: readonly PreparedProject[]): Promise<number> {
  let applied = 0;
  for (const p of prepared) applied += await applyEvents(tx, o, p.projectId, p.tenantId, p.events);
  return applied;
}

interface RawEvent {
  eventId: string;
  receivedAt: Date;
  /** The event as parsed JSON (fast path) or as received text (spool). */
  event: Record<string, unknown> | string;
}

// Preparing is CPU work: it yields to the event loop at least this often, so that ingest requests
// sharing the loop (ERRORS_ROLE=all) and the consumer's heartbeats are not held up behind a large batch.
const YIELD_EVERY_MS = 2;

async function prepareEvents(o: ProcessingOptions, project: { tenantId: string; scrubbing: ScrubSettings }, rows: RawEvent[], log: EventLogger): Promise<PreparedEvent[]> {
  const pseudonymise = (value: string) => o.subjectRef(o.pseudonymKey, project.tenantId, value);
  const ids = new Set<string>();
  const prepared: PreparedEvent[] = [];
  let slice = performance.now();
  for (const row of rows) {
    if (ids.has(row.eventId)) continue; // the same event twice in one batch (produced and spooled): once
    ids.add(row.eventId);
    if (performance.now() - slice > YIELD_EVERY_MS) {
      await new Promise((r) => setImmediate(r));
      slice = performance.now();
    }
    try {
      const raw = typeof row.event === 'string' ? (JSON.parse(row.event) as Record<string, unknown>) : row.event;
      const event = processEvent(row.eventId, raw, row.receivedAt, project.scrubbing, pseudonymise);
      prepared.push({ event, receivedAt: row.receivedAt, payloadText: storablePayload(event.payload) });
    } catch (err) {
      // Ingest validated the JSON; anything failing here is logged and dropped, never retried forever.
      log.error({ eventId: row.eventId, err: (err as Error).message }, 'event could not be processed; dropped');
    }
  }
  return prepared;
}

/** The spool's path: the payloads are taken in the transaction, so they are prepared in it. */
async function processEvents(tx: PoolClient, o: ProcessingOptions, projectId: string, tenantId: string, rows: RawEvent[], log: EventLogger): Promise<number> {
  if (!rows.length) return 0;
  const project = (await scrubbingOf(tx, [projectId])).get(projectId);
  if (!project) return 0; // project deleted meanwhile: its events go with it
  return applyEvents(tx, o, projectId, tenantId, await prepareEvents(o, project, rows, log));
}

async function applyEvents(tx: PoolClient, o: ProcessingOptions, projectId: string, tenantId: string, prepared: PreparedEvent[]): Promise<number> {
  if (!prepared.length) return 0;
  // Processors of one project's events take turns (a rebalance can briefly give a partition to two
  // consumers): with the lock held, "not stored yet" below stays true until this transaction commits.
  await lockProject(tx, projectId);
  const already = await storedEventIds(tx, projectId, prepared.map((p) => p.event.eventId));
  if (!already) return 0; // project deleted since its events were prepared
  const processed = prepared.filter((p) => !already.has(p.event.eventId));
  if (!processed.length) return 0;

  const groups = new Map<string, typeof processed>();
  for (const p of processed) {
    const list = groups.get(p.event.fingerprint);
    if (list) list.push(p);
    else groups.set(p.event.fingerprint, [p]);
  }
  const existing = await lockIssues(tx, projectId, [...groups.keys()]);
  const issues = new Map<string, IssueRow>();
  const opened: IssueRow[] = [];
  const regressed: { issue: IssueRow; resolvedInRelease: string | null; event: ProcessedEvent; at: Date }[] = [];
  for (const [fingerprint, list] of groups) {
    const occ = occurrences(list.map((l) => l.event));
    const prior = existing.get(fingerprint);
    if (!prior) {
      const issue = await insertIssue(tx, tenantId, projectId, fingerprint, occ);
      opened.push(issue);
      issues.set(fingerprint, issue);
      continue;
    }
    const regressing = list.find((l) => isRegression(prior, l.event.release));
    const issue = await addOccurrences(tx, prior.id, occ, !!regressing);
    if (regressing) regressed.push({ issue, resolvedInRelease: prior.resolvedInRelease ?? prior.resolvedAfterRelease, event: regressing.event, at: regressing.receivedAt });
    issues.set(fingerprint, issue);
  }

  const stored: StoredEvent[] = processed.map((p) => ({ event: p.event, payloadText: p.payloadText, receivedAt: p.receivedAt, projectId, tenantId, issueId: issues.get(p.event.fingerprint)!.id }));
  await insertEvents(tx, stored);
  // Where each regression happened: the event and release that reopened the issue.
  await addActivity(tx, regressed.map((r) => ({ issueId: r.issue.id, kind: 'regressed' as const, release: r.event.release ?? null, eventId: r.event.eventId, at: r.at })));
  await addIssueUsers(tx, stored.filter((s) => s.event.userRef).map((s) => ({ issueId: s.issueId, userRef: s.event.userRef! })));
  await addIssueTags(tx, sumTags(stored));
  await addCounts(tx, 'issue', sumBuckets(stored.map((s) => ({ id: s.issueId, at: s.receivedAt }))));
  await addCounts(tx, 'project', sumBuckets(stored.map((s) => ({ id: projectId, at: s.receivedAt }))));

  const spikes = await findSpikes(tx, o, [...issues.values()], stored);
  const context = (i: IssueRow) => ({
    projectId,
    issueId: i.id,
    title: i.title,
    ...(i.culprit ? { culprit: i.culprit } : {}),
    level: i.level,
    count: i.count,
    ...(i.lastRelease ? { release: i.lastRelease } : {}),
    ...(i.environments[0] ? { environment: i.environments.at(-1) } : {}),
    link: `${o.publicUrl}/v1/projects/${projectId}/issues/${i.id}`,
  });
  const opts = { tenantId };
  await o.outbox.enqueueMany(tx, IssueOpened, opened.map((i) => ({ data: { ...context(i), firstSeen: i.firstSeen }, opts })));
  await o.outbox.enqueueMany(
    tx,
    IssueRegressed,
    regressed.map((r) => ({ data: { ...context(r.issue), ...(r.resolvedInRelease ? { resolvedInRelease: r.resolvedInRelease } : {}) }, opts })),
  );
  await o.outbox.enqueueMany(tx, ErrorSpikeDetected, spikes.map((s) => ({ data: { ...context(s.issue), windowStart: s.windowStart, windowMinutes: 1, baseline: s.baseline, zScore: s.zScore }, opts })));
  const times = stored.map((s) => s.receivedAt.getTime());
  await o.outbox.enqueue(
    tx,
    ErrorEventsProcessed,
    { projectId, eventCount: stored.length, issueCount: issues.size, firstReceivedAt: new Date(Math.min(...times)).toISOString(), lastReceivedAt: new Date(Math.max(...times)).toISOString() },
    opts,
  );
  return processed.length;
}

function occurrences(events: ProcessedEvent[]): IssueOccurrences {
  const sorted = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const latest = sorted.at(-1)!;
  const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];
  return {
    title: latest.title,
    culprit: latest.culprit,
    level: latest.level,
    exceptionType: latest.exceptionType,
    firstSeen: sorted[0]!.occurredAt,
    lastSeen: latest.occurredAt,
    count: events.length,
    releases: uniq(sorted.map((e) => e.release)),
    environments: uniq(sorted.map((e) => e.environment)),
    lastRelease: [...sorted].reverse().find((e) => e.release)?.release,
  };
}

function sumTags(stored: StoredEvent[]) {
  const sums = new Map<string, { issueId: string; key: string; value: string; count: number }>();
  for (const s of stored) {
    for (const [key, value] of Object.entries(s.event.tags)) {
      const k = JSON.stringify([s.issueId, key, value]);
      const cur = sums.get(k);
      if (cur) cur.count++;
      else sums.set(k, { issueId: s.issueId, key, value, count: 1 });
    }
  }
  return [...sums.values()];
}

function sumBuckets(points: { id: string; at: Date }[]): BucketIncrement[] {
  const sums = new Map<string, BucketIncrement>();
  for (const p of points) {
    for (const [granularity, step] of [['minute', MINUTE], ['hour', HOUR]] as const) {
      const bucket = floorTo(p.at, step);
      const k = `${p.id}|${granularity}|${bucket.getTime()}`;
      const cur = sums.get(k);
      if (cur) cur.count++;
      else sums.set(k, { id: p.id, granularity, bucket, count: 1 });
    }
  }
  return [...sums.values()];
}

const BASELINE_MINUTES = 60;

async function findSpikes(tx: PoolClient, o: ProcessingOptions, touched: IssueRow[], stored: StoredEvent[]) {
  const latest = new Map<string, number>();
  for (const s of stored) latest.set(s.issueId, Math.max(latest.get(s.issueId) ?? 0, floorTo(s.receivedAt, MINUTE).getTime()));
  const now = Date.now();
  const candidates = touched.filter((i) => !i.lastSpikeAt || now - Date.parse(i.lastSpikeAt) > o.spike.cooldownMinutes * MINUTE);
  if (!candidates.length) return [];
  const earliest = Math.min(...candidates.map((i) => latest.get(i.id) ?? now));
  const counts = await minuteCounts(tx, candidates.map((i) => i.id), new Date(earliest - BASELINE_MINUTES * MINUTE));
  const spikes: { issue: IssueRow; windowStart: string; baseline: number; zScore: number }[] = [];
  for (const issue of candidates) {
    const minute = latest.get(issue.id);
    if (minute === undefined) continue;
    const byMinute = counts.get(issue.id) ?? new Map<number, number>();
    const history = Array.from({ length: BASELINE_MINUTES }, (_, k) => byMinute.get(minute - (BASELINE_MINUTES - k) * MINUTE) ?? 0);
    const verdict = detectSpike(history, byMinute.get(minute) ?? 0, o.spike);
    if (verdict.spike) spikes.push({ issue, windowStart: new Date(minute).toISOString(), baseline: verdict.baseline, zScore: verdict.zScore });
  }
  await markSpiked(tx, spikes.map((s) => s.issue.id), new Date());
  return spikes;
}
