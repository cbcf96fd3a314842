// Runs the tenant's rules over incoming samples and signals, inside the caller's transaction.
import type { PoolClient } from 'pg';
import { activeRules, clearPending, pendingSince, recordEvaluations, setPending, type RuleEvaluation } from '../db/rules.js';
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
  // Each rule's latest sample and what it decided, for the console's rule list.
  const evaluations = new Map<string, RuleEvaluation>();
  const rank = { ok: 0, pending: 1, fire: 2 } as const;
  for (const s of samples) {
    const outcomes: Outcome[] = relevant.flatMap((r) => {
      const out = evaluateThreshold(r, s, { since: (fp) => pending.get(fp) });
      if (out.length) {
        const outcome = out.reduce<RuleEvaluation['outcome']>((worst, o) => {
          const now = o.action === 'fire' ? 'fire' : o.action === 'pending' ? 'pending' : 'ok';
          return rank[now] > rank[worst] ? now : worst;
        }, 'ok');
        const prev = evaluations.get(r.id);
        if (!prev || prev.evaluatedAt <= s.at) evaluations.set(r.id, { ruleId: r.id, evaluatedAt: s.at, value: s.value, labels: s.labels, outcome });
      }
      return out;
    });
    for (const o of outcomes) {
      if (o.action === 'pending') await setPending(tx, tenantId, o.alert.fingerprint, o.since);
    }
    await clearPending(tx, tenantId, outcomes.filter((o) => o.action === 'resolve').map((o) => o.fingerprint));
    await applyOutcomes(tx, lc, tenantId, outcomes, source, s.at);
  }
  await recordEvaluations(tx, tenantId, [...evaluations.values()]);
}

export async function evaluateSignal(tx: PoolClient, lc: Lifecycle, tenantId: string, signal: Signal, source: string): Promise<number> {
  const rules = (await activeRules(tx, tenantId, 'event')) as { id: string; spec: EventRule }[];
  const decided = rules.flatMap((r) => {
    const o = evaluateEvent(r, signal);
    return o ? [{ rule: r, o }] : [];
  });
  const outcomes = decided.map((d) => d.o);
  await applyOutcomes(tx, lc, tenantId, outcomes, source, signal.at);
  await recordEvaluations(
    tx,
    tenantId,
    decided.map(({ rule, o }) => ({ ruleId: rule.id, evaluatedAt: signal.at, value: null, labels: signal.labels, outcome: o.action === 'fire' ? 'fire' : 'ok' })),
  );
  return outcomes.length;
}
