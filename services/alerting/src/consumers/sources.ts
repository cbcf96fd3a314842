// Kafka sources: every catalogued event alerting evaluates rules over. Each event is
// processed once (inbox) together with its effect.
import { ApmMetricsReceived, BackupFinished, ErrorSpikeDetected, GdprDeadlineWarning, handleOnce, HealthScored, IssueOpened, IssueRegressed, MetricsCollected, RecoveryObjectiveBreached, VerificationFinished, type EventBus } from '@vigil/events';
import type { Pool, PoolClient } from 'pg';
import type { Sample, Signal } from '../domain/rules.js';
import { backupSignal, gdprSignal, healthSamples, issueSignal, metricSamples, objectiveSignal, verificationSignal } from '../domain/signals.js';
import { evaluateSamples, evaluateSignal } from '../operations/evaluate.js';
import type { Lifecycle } from '../operations/lifecycle.js';

export function subscribeSources(bus: EventBus, pool: Pool, lc: Lifecycle): void {
  const once = (consumer: string, event: { id: string }, effect: (tx: PoolClient) => Promise<unknown>) =>
    handleOnce({ pool, schema: 'alerting', consumer }, event, async (tx) => {
      await effect(tx);
    });
  const samples = (consumer: string, tenantId: string, id: string, list: Sample[]) => once(consumer, { id }, (tx) => evaluateSamples(tx, lc, tenantId, list, consumer));
  const signal = (consumer: string, tenantId: string, id: string, s: Signal) => once(consumer, { id }, (tx) => evaluateSignal(tx, lc, tenantId, s, consumer));

  bus.subscribe(HealthScored, async (e) => void (await samples('health-scored', e.tenantId, e.id, healthSamples(e.data))));
  bus.subscribe(MetricsCollected, async (e) => void (await samples('metrics', e.tenantId, e.id, metricSamples({ database_id: e.data.databaseId }, e.data.collectedAt, e.data.samples))));
  bus.subscribe(ApmMetricsReceived, async (e) => void (await samples('apm-metrics', e.tenantId, e.id, metricSamples({ service: e.data.service }, e.data.receivedAt, e.data.samples))));
  bus.subscribe(IssueOpened, async (e) => void (await signal('issue-opened', e.tenantId, e.id, issueSignal('IssueOpened', e.data, e.data.firstSeen))));
  bus.subscribe(IssueRegressed, async (e) => void (await signal('issue-regressed', e.tenantId, e.id, issueSignal('IssueRegressed', e.data, e.occurredAt))));
  bus.subscribe(ErrorSpikeDetected, async (e) => void (await signal('error-spike', e.tenantId, e.id, issueSignal('ErrorSpikeDetected', e.data, e.occurredAt))));
  bus.subscribe(GdprDeadlineWarning, async (e) => void (await signal('gdpr-deadline', e.tenantId, e.id, gdprSignal(e.data, e.occurredAt))));
  bus.subscribe(BackupFinished, async (e) => void (await signal('backup-finished', e.tenantId, e.id, backupSignal(e.data))));
  bus.subscribe(VerificationFinished, async (e) => void (await signal('verification-finished', e.tenantId, e.id, verificationSignal(e.data))));
  bus.subscribe(RecoveryObjectiveBreached, async (e) => void (await signal('objective-breached', e.tenantId, e.id, objectiveSignal(e.data))));
}
