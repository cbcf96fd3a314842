// One collection cycle of one target: connect, snapshot, deltas against the last cycle, slow
// queries with generic plans, optional index advice, health score; then store it all and
// publish MetricsCollected + HealthScored (and SlowQueryDetected for statements slow for the first time)
// through the outbox in one transaction. The whole
// cycle runs under the target's time budget, so a hung target only ever costs its own slot.
import { HealthScored, MetricsCollected, SlowQueryDetected, type Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import type pg from 'pg';
import { withTransaction } from '@vigil/service-kit';
import { insertHealthScore } from '../db/health-scores.js';
import { insertQueryStats, insertSamples, insertTableSizes, replaceRecommendations, upsertSlowQueries } from '../db/series.js';
import { explainGeneric, whatIfIndexes } from '../clients/target-plans.js';
import { abandonTarget, connectTarget, probeTarget, tableColumns, type TargetSnapshot } from '../clients/target-probe.js';
import { claimDueTargets as claimDue, loadBaseline, saveBaseline, setTargetStatus, type TargetRow, type TargetStatus } from '../db/targets.js';
import { computeCycle, type StatementDelta } from '../domain/cycle-metrics.js';
import { scoreDatabaseHealth, type HealthScore } from '../domain/health-score.js';
import { candidateIndexes, flagIndexes, missingIndexAdvice, seqScanFilters, type Evaluated, type Recommendation } from '../domain/index-advice.js';
import { openConnectionString, requireTarget } from './targets.js';
import { detectSlowQueries, statementsToKeep, topByTotal, type SlowQuery } from '../domain/slow-queries.js';

export interface CollectDeps {
  pool: Pool;
  outbox: Outbox;
  /** PERF_SECRET_KEY, which opens the sealed connection strings. */
  secretKey: string;
  settings: { timeoutMs: number; topStatements: number; explainWorst: number; advisorMinRows: number };
}

export interface CycleOutcome {
  targetId: string;
  status: TargetStatus;
  detail: string;
  durationMs: number;
  health?: HealthScore;
  slowQueries?: number;
  recommendations?: number;
}

class CycleTimeout extends Error {}

/** Relation sizes change slowly and cost a stat() per file: read them at most this often. */
export const SIZES_EVERY_MS = 10 * 60 * 1000;

export interface CycleOptions {
  /** Run the index advisor (reads index catalog facts and explains top statements). */
  advise?: boolean;
  /** Read relation sizes even when the last reading is recent. */
  sizes?: boolean;
}

/** Claims up to `limit` due targets (skipping `exclude`), pushing each one's next due time an interval ahead; safe with several instances. */
export const claimDueTargets = (pool: Pool, limit: number, exclude: string[]) => claimDue(pool, limit, exclude);

/** One cycle now, for a target of the tenant (the API's "collect now"). */
export async function collectNow(deps: CollectDeps, tenantId: string, id: string, opts: CycleOptions): Promise<CycleOutcome> {
  return collectTarget(deps, await requireTarget(deps.pool, tenantId, id), opts);
}

export async function collectTarget(deps: CollectDeps, target: TargetRow, opts: CycleOptions = {}): Promise<CycleOutcome> {
  const started = performance.now();
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  const budget = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      reject(new CycleTimeout());
    }, deps.settings.timeoutMs);
  });
  const outcome = (status: TargetStatus, detail: string, extra: Partial<CycleOutcome> = {}): CycleOutcome => ({
    targetId: target.id,
    status,
    detail,
    durationMs: Math.round(performance.now() - started),
    ...extra,
  });
  try {
    const result = await Promise.race([
      (async () => {
        let connectionString: string;
        try {
          connectionString = openConnectionString(deps.secretKey, target.connSealed);
        } catch {
          throw new Error('the stored connection string cannot be decrypted with the current PERF_SECRET_KEY; register it again');
        }
        const conn = await connectTarget(connectionString, deps.settings.timeoutMs).catch((err: Error) => {
          throw Object.assign(new Error(`cannot connect: ${err.message}`), { unreachable: true });
        });
        // A session that opens after the budget ran out is closed at once, never leaked.
        if (expired) abandonTarget(conn.client);
        else client = conn.client;
        return runCycle(deps, target, conn.client, opts, () => expired);
      })(),
      budget,
    ]);
    return outcome(result.status, result.detail, { health: result.health, slowQueries: result.slowQueries, recommendations: result.recommendations });
  } catch (err) {
    const e = err as Error & { unreachable?: boolean };
    const [status, detail]: [TargetStatus, string] =
      err instanceof CycleTimeout
        ? ['timeout', `collection did not finish within ${deps.settings.timeoutMs} ms`]
        : e.unreachable
          ? ['unreachable', e.message]
          : ['error', `collection failed: ${e.message}`];
    await setTargetStatus(deps.pool, target.id, status, detail).catch(() => undefined);
    return outcome(status, detail);
  } finally {
    clearTimeout(timer);
    if (client) abandonTarget(client);
  }
}

async function runCycle(deps: CollectDeps, target: TargetRow, client: pg.Client, opts: CycleOptions, expired: () => boolean) {
  const previous = await loadBaseline(deps.pool, target.id);
  const sizes = opts.sizes || !previous?.sizesAt || Date.now() - Date.parse(previous.sizesAt) >= SIZES_EVERY_MS;
  const snap = await probeTarget(client, { indexes: opts.advise ?? false, sizes });
  const at = new Date();
  const cycle = computeCycle({ ...snap, at, statements: snap.statements.available ? snap.statements : undefined }, previous);
  cycle.baseline.sizesAt = sizes ? at.toISOString() : (previous?.sizesAt ?? null);
  const slow = detectSlowQueries(cycle.deltas);
  for (const q of slow.slice(0, deps.settings.explainWorst)) {
    const { plan, error } = await explainGeneric(client, snap.versionNum, q.query);
    if (plan) q.plan = plan;
    if (error) q.planError = error;
  }
  const recommendations = opts.advise ? await adviseIndexes(deps, client, snap, cycle.deltas, slow) : undefined;
  const health = scoreDatabaseHealth(cycle.health);
  const degraded = !snap.statements.available;
  const status: TargetStatus = degraded ? 'degraded' : 'ok';
  const detail = snap.statements.available ? '' : snap.statements.reason;

  // A cycle that overran its budget has been reported as timed out; it must not store late results.
  if (expired()) throw new CycleTimeout();
  const scope = { tenantId: target.tenantId, targetId: target.id };
  const atIso = at.toISOString();
  await withTransaction(deps.pool, async (tx) => {
    await insertSamples(tx, scope, atIso, cycle.samples);
    if (sizes) {
      const sized = snap.tables.flatMap((t) => (t.bytes === null ? [] : [{ name: `${t.schema}.${t.name}`, bytes: t.bytes, live: t.live }]));
      await insertTableSizes(tx, scope, atIso, sized.sort((a, b) => b.bytes - a.bytes).slice(0, 50));
    }
    await insertQueryStats(tx, scope, atIso, statementsToKeep(cycle.deltas, deps.settings.topStatements));
    const newlySlow = await upsertSlowQueries(tx, scope, atIso, slow);
    if (recommendations) await replaceRecommendations(tx, scope, recommendations);
    await saveBaseline(tx, target.id, cycle.baseline);
    const scoredAt = await insertHealthScore(tx, target.tenantId, target.id, health);
    const publish = { tenantId: target.tenantId };
    const labels = { database: snap.database };
    await deps.outbox.enqueue(tx, MetricsCollected, { databaseId: target.id, collectedAt: atIso, samples: cycle.samples.map((s) => ({ ...s, labels })) }, publish);
    await deps.outbox.enqueue(tx, HealthScored, { databaseId: target.id, databaseName: target.name, score: health.score, status: health.status, components: health.components, scoredAt }, publish);
    for (const q of newlySlow) {
      await deps.outbox.enqueue(
        tx,
        SlowQueryDetected,
        { databaseId: target.id, databaseName: target.name, queryId: q.queryId, query: q.query.slice(0, 2000), calls: q.calls, meanMs: q.meanMs, severity: q.severity, detectedAt: atIso },
        publish,
      );
    }
    await setTargetStatus(tx, target.id, status, detail, snap.versionNum);
  });
  return { status, detail, versionNum: snap.versionNum, health, slowQueries: slow.length, recommendations: recommendations?.length };
}

/** Flags from catalog statistics, plus missing-index candidates verified with hypopg when installed. */
async function adviseIndexes(deps: CollectDeps, client: pg.Client, snap: TargetSnapshot, deltas: StatementDelta[], slow: SlowQuery[]): Promise<Recommendation[]> {
  const recs = flagIndexes(snap.indexes);
  const large = new Set(snap.tables.filter((t) => t.live >= deps.settings.advisorMinRows && t.seqScan > 0).map((t) => `${t.schema}.${t.name}`));
  if (!large.size || !deltas.length) return recs;
  const columns = await tableColumns(client, [...large]);
  const queries = new Map<string, StatementDelta>();
  for (const d of [...slow, ...topByTotal(deltas, 20)]) queries.set(d.queryId, d);
  const evaluated: Evaluated[] = [];
  const unverified: Recommendation[] = [];
  for (const q of queries.values()) {
    const plan = slow.find((s) => s.queryId === q.queryId)?.plan ?? (await explainGeneric(client, snap.versionNum, q.query)).plan;
    if (!plan) continue;
    for (const filter of seqScanFilters(plan, columns, large)) {
      const candidates = candidateIndexes(filter);
      if (!snap.extensions.hypopg) {
        unverified.push({
          kind: 'missing_index',
          table: `${filter.schema}.${filter.table}`,
          statement: `${candidates[0]!.replace(/^CREATE INDEX ON/, 'CREATE INDEX CONCURRENTLY ON')};`,
          detail: 'sequential scan with a filter on a large table; saving not verified (hypopg is not installed)',
          queries: [{ queryId: q.queryId, query: q.query }],
        });
        continue;
      }
      const results = await whatIfIndexes(client, snap.versionNum, q.query, candidates).catch(() => []);
      evaluated.push(...results.map((r) => ({ ...r, queryId: q.queryId, query: q.query })));
    }
  }
  return [...recs, ...missingIndexAdvice(evaluated), ...unverified];
}
