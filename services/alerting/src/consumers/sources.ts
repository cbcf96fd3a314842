// Kafka sources: every catalogued event alerting evaluates rules over. Consumed in batches (one
// partition, in offset order): one transaction per batch holds the inbox rows of its new events and
// their effects, applied one event after another, so a redelivered batch has no second effect and
// a burst of events (an error storm's IssueOpened, APM metrics) costs one commit per batch.
import { ApmMetricsReceived, BackupFinished, ErrorSpikeDetected, GdprDeadlineWarning, handleOnceBatch, HealthScored, IssueOpened, IssueRegressed, MetricsCollected, RecoveryObjectiveBreached, VerificationFinished, type Envelope, type EventBus, type EventDefinition } from '@vigil/events';
import type { TSchema, Static } from '@sinclair/typebox';
import type { Pool, PoolClient } from 'pg';
import type { Sample, Signal } from '../domain/rules.js';
import { backupSignal, gdprSignal, healthSamples, issueSignal, metricSamples, objectiveSignal, verificationSignal } from '../domain/signals.js';
import { evaluateSamples, evaluateSignal } from '../operations/evaluate.js';
import type { Lifecycle } from '../operations/lifecycle.js';

type Input = { samples: Sample[] } | { signal: Signal };

export function subscribeSources(bus: EventBus, pool: Pool, lc: Lifecycle): void {
  const source = <S extends TSchema>(def: EventDefinition<S>, consumer: string, input: (e: Envelope<Static<S>>) => Input) =>
    bus.subscribeBatch(
      def,
      async (events) => {
        await handleOnceBatch({ pool, schema: 'alerting', consumer }, events, async (tx: PoolClient, fresh) => {
          for (const e of fresh) {
            const i = input(e);
            if ('samples' in i) await evaluateSamples(tx, lc, e.tenantId, i.samples, consumer);
            else await evaluateSignal(tx, lc, e.tenantId, i.signal, consumer);
          }
        });
      },
      { maxBatch: 200 },
    );

  source(HealthScored, 'health-scored', (e) => ({ samples: healthSamples(e.data) }));
  source(MetricsCollected, 'metrics', (e) => ({ samples: metricSamples({ database_id: e.data.databaseId }, e.data.collectedAt, e.data.samples) }));
  source(ApmMetricsReceived, 'apm-metrics', (e) => ({ samples: metricSamples({ service: e.data.service }, e.data.receivedAt, e.data.samples) }));
  source(IssueOpened, 'issue-opened', (e) => ({ signal: issueSignal('IssueOpened', e.data, e.data.firstSeen) }));
  source(IssueRegressed, 'issue-regressed', (e) => ({ signal: issueSignal('IssueRegressed', e.data, e.occurredAt) }));
  source(ErrorSpikeDetected, 'error-spike', (e) => ({ signal: issueSignal('ErrorSpikeDetected', e.data, e.occurredAt) }));
  source(GdprDeadlineWarning, 'gdpr-deadline', (e) => ({ signal: gdprSignal(e.data, e.occurredAt) }));
  source(BackupFinished, 'backup-finished', (e) => ({ signal: backupSignal(e.data) }));
  source(VerificationFinished, 'verification-finished', (e) => ({ signal: verificationSignal(e.data) }));
  source(RecoveryObjectiveBreached, 'objective-breached', (e) => ({ signal: objectiveSignal(e.data) }));
}
