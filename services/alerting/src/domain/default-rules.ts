// The rules every tenant gets (stored under tenant '_builtin', evaluated for everyone).
import type { RuleSpec } from './rule-schema.js';

export const BUILTIN_TENANT = '_builtin';

const db = (summary: string, description: string): Record<string, string> => ({ summary, description });

export function defaultRules(healthFloor: number): RuleSpec[] {
  return [
    {
      name: 'QueryTimeHigh', kind: 'threshold', metric: 'max_mean_query_ms', op: '>', for: '5m', labels: {},
      levels: [{ severity: 'warning', value: 1000 }, { severity: 'critical', value: 5000 }],
      annotations: db('Mean query time on {{ $labels.database_id }} is {{ $value }} ms', 'Slow queries; check pg_stat_statements for the top offenders.'),
    },
    {
      name: 'ConnectionPoolSaturated', kind: 'threshold', metric: 'connection_use_pct', op: '>=', for: '5m', labels: {},
      levels: [{ severity: 'warning', value: 80 }, { severity: 'critical', value: 95 }],
      annotations: db('Connection pool of {{ $labels.database_id }} is {{ $value }} % used', 'Connections near max_connections.'),
    },
    {
      name: 'CacheHitRatioLow', kind: 'threshold', metric: 'cache_hit_ratio', op: '<', for: '10m', labels: {},
      levels: [{ severity: 'warning', value: 0.9 }],
      annotations: db('Cache hit ratio of {{ $labels.database_id }} is {{ $value }}', 'Below 90 %: shared_buffers may be too small for the working set.'),
    },
    {
      name: 'ConnectionLatencyHigh', kind: 'threshold', metric: 'connection_latency_ms', op: '>', for: '5m', labels: {},
      levels: [{ severity: 'warning', value: 100 }, { severity: 'critical', value: 200 }],
      annotations: db('Connection latency to {{ $labels.database_id }} is {{ $value }} ms', 'Network or server saturation.'),
    },
    {
      name: 'DatabaseHealthLow', kind: 'threshold', metric: 'health_score', op: '<', for: '0s', labels: {},
      levels: [{ severity: 'warning', value: healthFloor }, { severity: 'critical', value: Math.floor(healthFloor / 2) }],
      annotations: db('Health score of {{ $labels.database }} is {{ $value }} (floor ' + String(healthFloor) + ')', '{{ $labels.worst_component }}'),
    },
    { name: 'ErrorSpike', kind: 'event', event: 'ErrorSpikeDetected', severity: 'critical', resolveAfter: '1h', labels: {}, annotations: {} },
    { name: 'NewIssue', kind: 'event', event: 'IssueOpened', severity: 'warning', resolveAfter: '24h', labels: {}, annotations: {} },
    { name: 'IssueRegressed', kind: 'event', event: 'IssueRegressed', severity: 'warning', resolveAfter: '24h', labels: {}, annotations: {} },
    { name: 'GdprDeadlineNear', kind: 'event', event: 'GdprDeadlineWarning', matchers: ['state="near"'], severity: 'warning', labels: {}, annotations: {} },
    { name: 'GdprDeadlineMissed', kind: 'event', event: 'GdprDeadlineWarning', matchers: ['state="missed"'], severity: 'critical', labels: {}, annotations: {} },
    {
      name: 'BackupFailed', kind: 'event', event: 'BackupFinished', matchers: ['outcome="failed"'], resolveMatchers: ['outcome="completed"'],
      severity: 'critical', labels: {}, annotations: {},
    },
    {
      name: 'BackupVerificationFailed', kind: 'event', event: 'VerificationFinished', matchers: ['outcome="failed"'], resolveMatchers: ['outcome="passed"'],
      severity: 'critical', labels: {}, annotations: {},
    },
    { name: 'RecoveryObjectiveExceeded', kind: 'event', event: 'RecoveryObjectiveBreached', severity: 'critical', resolveAfter: '24h', labels: {}, annotations: {} },
    // alerting's own delivery: published by the notifier, raised here like any other signal.
    { name: 'NotificationDeadLettered', kind: 'event', event: 'NotificationDeadLettered', severity: 'critical', labels: {}, annotations: {} },
  ];
}
