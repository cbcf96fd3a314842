// Rules end to end: threshold rules with `for` over Kafka metrics, shipped event rules over DR
// events, custom event rules over the generic event API, and escalation of unacknowledged alerts.
import { describe, expect } from 'vitest';
import { IssueOpened, MetricsCollected, VerificationFinished } from '@vigil/events';
import { eventually } from '@vigil/service-kit/testing';
import { alertingTest, api, deliverySettled, processed, webhookSetup, type Harness } from './fixtures.js';

const it = alertingTest('alertrules', {
  setup: async (h) => {
    await api(h, 'PUT', '/v1/receivers/oncall', { kind: 'webhook', url: h.sink.url('/oncall'), secret: 'oncall-secret-key-123' });
    await webhookSetup(h);
  },
});

/** Publishes, retrying while a fresh topic's metadata is still settling on the broker. */
async function publishSettled<T>(send: () => Promise<T>): Promise<T> {
  return eventually(async () => ({ sent: await send() }), 30_000, 500).then((r) => r.sent);
}

type AlertJson = { id: string; state: string; labels: Record<string, string>; annotations: Record<string, string> };
const alertsOf = async (h: Harness, q: string) => (await api(h, 'GET', `/v1/alerts?${q}`)).json().items as AlertJson[];

describe('rules', () => {
  it('lists the shipped defaults, read-only', { timeout: 180_000 }, async ({ h }) => {
    const rules = (await api(h, 'GET', '/v1/rules')).json().items as { id: string; name: string; builtin: boolean }[];
    expect(rules.filter((r) => r.builtin).map((r) => r.name)).toEqual(
      expect.arrayContaining(['QueryTimeHigh', 'ConnectionPoolSaturated', 'CacheHitRatioLow', 'ConnectionLatencyHigh', 'DatabaseHealthLow', 'ErrorSpike', 'NewIssue', 'IssueRegressed', 'GdprDeadlineNear', 'GdprDeadlineMissed', 'BackupVerificationFailed', 'RecoveryObjectiveExceeded']),
    );
    const qt = rules.find((r) => r.name === 'QueryTimeHigh')!;
    const put = await api(h, 'PUT', `/v1/rules/${qt.id}`, { name: 'QueryTimeHigh', kind: 'event', event: 'x', severity: 'info' });
    expect(put.statusCode).toBe(409);
  });

  it('a threshold rule fires only after its condition held for `for`, and resolves when it clears', async ({ h }) => {
    const created = await api(h, 'POST', '/v1/rules', {
      name: 'ReplicationLagHigh', kind: 'threshold', metric: 'replication_lag_seconds', op: '>', for: '30s',
      levels: [{ severity: 'warning', value: 10 }], annotations: { summary: 'Lag {{ $value }} s on {{ $labels.database_id }}' },
    });
    expect(created.statusCode).toBe(201);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const publish = (offsetS: number, value: number) =>
      publishSettled(() => h.app.infra.bus.publish(MetricsCollected, { databaseId: 'orders-db', collectedAt: new Date(t0 + offsetS * 1000).toISOString(), samples: [{ name: 'replication_lag_seconds', value }] }, { tenantId: 'acme' }));
    const first = await publish(0, 20);
    const second = await publish(10, 25);
    // Both samples were evaluated (their inbox rows commit with the effect), 10 s short of `for`.
    await processed(h, 'metrics', [first.id, second.id]);
    expect(await alertsOf(h, 'label=alertname=ReplicationLagHigh')).toEqual([]);
    await publish(31, 30);
    const [fired] = await eventually(async () => {
      const list = await alertsOf(h, 'state=firing&label=alertname=ReplicationLagHigh');
      return list.length ? list : undefined;
    });
    expect(fired!.labels).toEqual({ alertname: 'ReplicationLagHigh', severity: 'warning', database_id: 'orders-db' });
    expect(fired!.annotations.summary).toBe('Lag 30 s on orders-db');
    await publish(40, 2);
    await eventually(async () => (await alertsOf(h, 'state=resolved&label=alertname=ReplicationLagHigh')).length === 1);
  });

  it('the shipped verification rule fires on a failed restore check and resolves on a passing one', async ({ h }) => {
    const v = { policyId: 'pol-1', backupId: 'b-1', database: 'orders', checks: [{ name: 'row-counts', outcome: 'failed' as const, detail: 'orders: 10 != 12' }], rtoSeconds: 40, finishedAt: new Date().toISOString(), runbookUrl: 'https://runbooks.test/restore' };
    await publishSettled(() => h.app.infra.bus.publish(VerificationFinished, { ...v, outcome: 'failed' }, { tenantId: 'acme' }));
    const [a] = await eventually(async () => {
      const list = await alertsOf(h, 'state=firing&label=alertname=BackupVerificationFailed');
      return list.length ? list : undefined;
    });
    expect(a!.labels).toEqual({ alertname: 'BackupVerificationFailed', severity: 'critical', policy_id: 'pol-1', database: 'orders' });
    expect(a!.annotations).toMatchObject({ runbook_url: 'https://runbooks.test/restore', description: 'row-counts: orders: 10 != 12' });
    await publishSettled(() => h.app.infra.bus.publish(VerificationFinished, { ...v, backupId: 'b-2', outcome: 'passed', checks: [] }, { tenantId: 'acme' }));
    await eventually(async () => (await alertsOf(h, 'state=resolved&label=alertname=BackupVerificationFailed')).length === 1);
  });

  it('a burst of source events is applied in batches: one alert per new issue, each event once', async ({ h }) => {
    const issues = Array.from({ length: 60 }, (_, n) => `burst-${n}`);
    const sent = await publishSettled(() =>
      h.app.infra.bus.publishMany(
        IssueOpened,
        issues.map((issueId) => ({
          data: { projectId: 'p-burst', issueId, title: `TypeError ${issueId}`, level: 'error', count: 1, link: `https://errors.example/${issueId}`, firstSeen: new Date().toISOString() },
          opts: { tenantId: 'acme' },
        })),
      ),
    );
    await processed(h, 'issue-opened', sent.map((e) => e.id));
    const firing = await alertsOf(h, 'state=firing&label=project_id=p-burst&limit=200');
    expect(firing.map((a) => a.labels.issue_id).sort()).toEqual([...issues].sort());
    // Batched: fewer handler calls than events for this consumer group's IssueOpened topic.
    const metrics = (await h.app.inject({ url: '/metrics' })).body;
    const count = (name: string) =>
      metrics
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) && l.includes('topic="errors.issue-opened"'))
        .reduce((a, l) => a + Number(l.split(' ').at(-1)), 0);
    expect(count('vigil_events_batch_size_sum')).toBe(60);
    expect(count('vigil_events_batch_size_count')).toBeLessThan(60);
  });

  it('a custom event rule works over the generic event API', async ({ h }) => {
    expect((await api(h, 'POST', '/v1/rules', { name: 'DeployFailed', kind: 'event', event: 'deploy', matchers: ['status="failed"'], resolveMatchers: ['status="ok"'], severity: 'warning', labels: { team: 'web' } })).statusCode).toBe(201);
    const res = await api(h, 'POST', '/v1/events', { type: 'deploy', labels: { service: 'api' }, attributes: { status: 'failed' }, annotations: { summary: 'deploy 42 failed' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ matchedRules: 1 });
    const [a] = await alertsOf(h, 'state=firing&label=alertname=DeployFailed');
    expect(a!.labels).toEqual({ alertname: 'DeployFailed', severity: 'warning', service: 'api', team: 'web' });
    await api(h, 'POST', '/v1/events', { type: 'deploy', labels: { service: 'api' }, attributes: { status: 'ok' } });
    expect(await alertsOf(h, 'state=resolved&label=alertname=DeployFailed')).toHaveLength(1);
  });
});

describe('escalation', () => {
  it('notifies the next target when an alert is not acknowledged in time, and stops once it is', async ({ h }) => {
    expect((await api(h, 'PUT', '/v1/escalation-policies/primary', { steps: [{ afterMinutes: 0, receiver: 'hook' }, { afterMinutes: 0.05, receiver: 'oncall' }] })).statusCode).toBe(204);
    const routing = await api(h, 'PUT', '/v1/routing', {
      route: { receiver: 'hook', group_by: ['...'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h', routes: [{ matchers: ['escalate="yes"'], receiver: 'hook', escalation: 'primary' }] },
      inhibit_rules: [],
    });
    expect(routing.statusCode).toBe(204);
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'Ignored', escalate: 'yes' } }, { labels: { alertname: 'Handled', escalate: 'yes' } }]);
    const [handled] = await alertsOf(h, 'label=alertname=Handled');
    expect((await api(h, 'POST', `/v1/alerts/${handled!.id}/acknowledge`, {})).statusCode).toBe(200);
    const paged = await eventually(async () => h.sink.on('/oncall')[0], 30_000);
    expect((paged.json as { alerts: { labels: Record<string, string> }[] }).alerts[0]!.labels.alertname).toBe('Ignored');
    // Positive signal: a marker on the same policy, started after Handled's step was due, reaches
    // oncall; escalations are claimed in due order, so Handled's step was decided before it.
    await api(h, 'POST', '/api/v2/alerts', [{ labels: { alertname: 'EscalationMarker', escalate: 'yes' } }]);
    const oncall = () => h.sink.on('/oncall').map((r) => (r.json as { alerts: { labels: Record<string, string> }[] }).alerts[0]!.labels.alertname);
    await eventually(async () => oncall().includes('EscalationMarker'), 30_000);
    await deliverySettled(h);
    expect(oncall()).toEqual(['Ignored', 'EscalationMarker']);
  });
});
