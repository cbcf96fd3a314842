// Marking index advice as applied: the service checks on the monitored database that the change
// is there (the new index makes the affected plans cheaper; a dropped index is gone), re-measures
// the plan costs, and records the change with its before/after figures in the optimization history.
import type { Pool } from 'pg';
import { withTransaction } from '@vigil/service-kit';
import { explainGeneric, indexState, serverVersionNum, totalCost } from '../clients/target-plans.js';
import { getRecommendation, insertAppliedRecommendation, meanTimesBefore } from '../db/advice.js';
import type { AppliedMeasurement } from '../db/history.js';
import { recommendationNotApplied, recommendationNotFound } from '../errors.js';
import { requireTarget } from './targets.js';
import { withTargetSession, type SessionDeps } from './target-session.js';

export interface AdviceDeps extends SessionDeps {
  pool: Pool;
}

/** A new index must bring a helped plan at least this far under its cost without it. */
const APPLIED_COST_RATIO = 0.9;

export async function applyRecommendation(d: AdviceDeps, tenantId: string, targetId: string, recommendationId: string) {
  const target = await requireTarget(d.pool, tenantId, targetId);
  const scope = { tenantId, targetId: target.id };
  const rec = await getRecommendation(d.pool, scope, recommendationId);
  if (!rec) throw recommendationNotFound(recommendationId);

  const measured: AppliedMeasurement = await withTargetSession(d, target, async (client) => {
    const measuredAt = new Date().toISOString();
    if (rec.kind !== 'missing_index') {
      const [schema] = rec.table.split('.');
      const state = await indexState(client, `${schema}.${rec.index}`);
      if (state !== 'absent') throw recommendationNotApplied(`index ${schema}.${rec.index} is still there (${state}); run ${rec.statement} first`);
      return { measuredAt, queries: [] };
    }
    const version = await serverVersionNum(client);
    const queries = [];
    for (const q of rec.queries) {
      const { plan, error } = await explainGeneric(client, version, q.query);
      queries.push({ queryId: q.queryId, costBefore: q.costBefore ?? null, costAfter: plan ? totalCost(plan) : null, error });
    }
    const helped = queries.some((q) => q.costAfter !== null && q.costBefore !== null && q.costAfter <= q.costBefore * APPLIED_COST_RATIO);
    if (!helped) {
      const shown = queries.map((q) => `${q.costAfter ?? q.error} (was ${q.costBefore})`).join(', ');
      throw recommendationNotApplied(`the affected plans still cost ${shown}: the index is not there yet; run ${rec.statement} first`);
    }
    return { measuredAt, queries: queries.map(({ error: _e, ...q }) => q) };
  });

  const queryIds = rec.queries.map((q) => q.queryId);
  const means = await meanTimesBefore(d.pool, scope, queryIds, 24);
  const appliedAt = measured.measuredAt;
  const id = await withTransaction(d.pool, (tx) =>
    insertAppliedRecommendation(tx, scope, {
      kind: rec.kind === 'missing_index' ? 'index_created' : 'index_dropped',
      description: rec.statement,
      queryIds,
      appliedAt,
      recommendation: rec,
      measured,
    }),
  );
  return {
    id,
    appliedAt,
    kind: rec.kind === 'missing_index' ? 'index_created' : 'index_dropped',
    queries: measured.queries.map((q) => ({ ...q, meanMsBefore: means.get(q.queryId) ?? null })),
  };
}
