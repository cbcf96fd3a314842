// error-ingest's own Prometheus instruments: which path accepted events took, and the spool's depth.
import type { Pool } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import { countAccepted } from './db/accepted.js';

export type IntakeMetrics = ReturnType<typeof createIntakeMetrics>;

export function createIntakeMetrics(registry: Registry, pool: Pool) {
  const registers = [registry];
  const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;
  return {
    accepted:
      existing<Counter<'path'>>('vigil_errors_accepted_total') ??
      new Counter({ name: 'vigil_errors_accepted_total', help: 'Events accepted (200), by where they were made durable: kafka (fast path) or spool (PostgreSQL)', labelNames: ['path'], registers }),
    kafkaMisses:
      existing<Counter>('vigil_errors_kafka_misses_total') ??
      new Counter({ name: 'vigil_errors_kafka_misses_total', help: 'Kafka produces that failed or missed ERRORS_KAFKA_ACK_DEADLINE_MS (the event went to the spool)', registers }),
    spoolDepth:
      existing<Gauge>('vigil_errors_spool_depth') ??
      new Gauge({
        name: 'vigil_errors_spool_depth',
        help: 'Events in the PostgreSQL spool (accepted_events) waiting to be processed; -1 when PostgreSQL is unreachable',
        registers,
        async collect() {
          this.set(await countAccepted(pool).catch(() => -1));
        },
      }),
  };
}
