// Runs the tenant's rules over incoming samples and signals, inside the caller's transaction.
import type { PoolClient } from 'pg';
import { activeRules, clearPending, pendingSince, setPending } from '../db/rules.js';
import type { EventRule, ThresholdRule } from '../domain/rule-schema.js';
import { evaluateEvent, evaluateThreshold, type Outcome, type Sample, type Signal } from '../domain/rules.js';
import { applyOutcomes, type Lifecycle } from './lifecycle.js';

export async function evaluateSamples(tx: PoolClient, lc: Lifecycle, tenantId: string, samples: Sample[], source: string): Promise<void> {
  if (!samples.length) return;
  const rules = (await activeRules(tx, tenantId, 'threshold')) as { id: string; spec: ThresholdRule }[];
  const metrics = new Set(samples.map((s) => s.metric));
  const relevant = rules.filter((r) => metrics.has(r.spec.metric));
  if (!relevant.length) return;
  // Two passes: first learn the fingerprints concerned, then read their pending state in one query.
  const probe = samples.flatMap((s) => relevant.flatMap((r) => evaluateThreshold(r, s, { since: () => undefined })));
  const fps = probe.map((o) => (o.action === 'resolve' ? o.fingerprint : o.alert.fingerprint));
  const pending = await pendingSince(tx, tenantId, fps);
  for (const s of samples) {
    const outcomes: Outcome[] = relevant.flatMap((r) => evaluateThreshold(r, s, { since: (fp) => pending.get(fp) }));
    for (const o of outcomes) {
      if (o.action === 'pending') await setPending(tx, tenantId, o.alert.fingerprint, o.since);
    }
    await clearPending(tx, tenantId, outcomes.filter((o) => o.action === 'resolve').map((o) => o.fingerprint));
    await applyOutcomes(tx, lc, tenantId, outcomes, source, s.at);
  }
}

export async function evaluateSignal(tx: PoolClient, lc: Lifecycle, tenantId: string, signal: Signal, source: string): Promise<number> {
  const rules = (await activeRules(tx, tenantId, 'event')) as { id: string; spec: EventRule }[];
  const outcomes = rules.flatMap((r) => evaluateEvent(r, signal) ?? []);
  await applyOutcomes(tx, lc, tenantId, outcomes, source, signal.at);
  return outcomes.length;
}
