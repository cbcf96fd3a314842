// Prometheus instruments of the event plumbing, registered on the service's registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type EventMetrics = ReturnType<typeof createEventMetrics>;

export function createEventMetrics(registry: Registry) {
  const registers = [registry];
  const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
  return {
    published:
      existing<Counter<'topic'>>('vigil_events_published_total') ??
      new Counter({ name: 'vigil_events_published_total', help: 'Events sent to Kafka', labelNames: ['topic'], registers }),
    consumed:
      existing<Counter<'topic' | 'group' | 'outcome'>>('vigil_events_consumed_total') ??
      new Counter({
        name: 'vigil_events_consumed_total',
        help: 'Events consumed, by outcome (ok, duplicate, ignored, dlq)',
        labelNames: ['topic', 'group', 'outcome'],
        registers,
      }),
    retries:
      existing<Counter<'topic' | 'group'>>('vigil_events_handler_retries_total') ??
      new Counter({ name: 'vigil_events_handler_retries_total', help: 'Handler attempts that failed and were retried', labelNames: ['topic', 'group'], registers }),
    duration:
      existing<Histogram<'topic' | 'group'>>('vigil_events_handler_duration_seconds') ??
      new Histogram({
        name: 'vigil_events_handler_duration_seconds',
        help: 'Handler duration per event',
        labelNames: ['topic', 'group'],
        buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
        registers,
      }),
    batchSize:
      existing<Histogram<'topic' | 'group'>>('vigil_events_batch_size') ??
      new Histogram({
        name: 'vigil_events_batch_size',
        help: 'Envelopes per batch handed to a batch handler (subscribeBatch)',
        labelNames: ['topic', 'group'],
        buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
        registers,
      }),
    batchDuration:
      existing<Histogram<'topic' | 'group'>>('vigil_events_batch_duration_seconds') ??
      new Histogram({
        name: 'vigil_events_batch_duration_seconds',
        help: 'Batch handler duration per call (subscribeBatch)',
        labelNames: ['topic', 'group'],
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
        registers,
      }),
    bisections:
      existing<Counter<'topic' | 'group'>>('vigil_events_batch_bisections_total') ??
      new Counter({ name: 'vigil_events_batch_bisections_total', help: 'Failed batches split in two to isolate a poison message', labelNames: ['topic', 'group'], registers }),
    lag:
      existing<Gauge<'topic' | 'partition' | 'group'>>('vigil_events_consumer_lag') ??
      new Gauge({ name: 'vigil_events_consumer_lag', help: 'Messages behind the high watermark', labelNames: ['topic', 'partition', 'group'], registers }),
    outboxPending:
      existing<Gauge<'schema'>>('vigil_outbox_pending') ??
      new Gauge({ name: 'vigil_outbox_pending', help: 'Outbox rows not yet relayed at the last relay pass', labelNames: ['schema'], registers }),
    outboxRelayed:
      existing<Counter<'schema'>>('vigil_outbox_relayed_total') ??
      new Counter({ name: 'vigil_outbox_relayed_total', help: 'Outbox rows relayed to Kafka', labelNames: ['schema'], registers }),
  };
}
