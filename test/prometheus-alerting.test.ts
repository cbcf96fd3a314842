// A real Prometheus (Debian's 2.42) scrapes a local gauge, fires an alerting rule and sends it to
// Vigil as its Alertmanager, with basic auth (the API key as the password); Vigil notifies a
// local webhook, and the resolution follows when the gauge drops and the rule stops firing.
import { expect, onTestFinished } from 'vitest';
import { eventually, serviceTest } from '@vigil/service-kit/testing';
import { buildAlerting, FAST } from '../services/alerting/test/fixtures.js';
import { HttpSink } from '../services/alerting/test/sink.js';
import { GaugeTarget, listenOnLoopback, scratchDir, startPrometheus } from './prometheus-programs.js';

const it = serviceTest({ label: 'promalert', env: FAST, build: buildAlerting });

type Hook = { status: string; receiver: string; alerts: { status: string; labels: Record<string, string>; generatorURL: string; fingerprint: string; endsAt: string }[] };

it('Prometheus fires an alert into Vigil, Vigil notifies the webhook, and the resolution follows', { timeout: 180_000 }, async ({ app, kit }) => {
  const bearer = { authorization: `Bearer ${await kit.apiKey('acme', 'admin')}` };
  const sink = await new HttpSink().start();
  onTestFinished(() => sink.close());
  const put = await app.inject({ method: 'PUT', url: '/v1/receivers/hook', headers: bearer, payload: { kind: 'webhook', url: sink.url('/hook'), secret: 'a-very-secret-hmac-key' } });
  expect(put.statusCode, put.body).toBe(204);
  const routing = await app.inject({
    method: 'PUT',
    url: '/v1/routing',
    headers: bearer,
    payload: { route: { receiver: 'hook', group_by: ['alertname'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h' }, inhibit_rules: [] },
  });
  expect(routing.statusCode, routing.body).toBe(204);
  const vigil = await listenOnLoopback(app);

  const gauge = await new GaugeTarget('queue_depth').start();
  onTestFinished(() => gauge.close());
  gauge.value = 42;
  const scratch = scratchDir('promalert');
  onTestFinished(() => scratch.remove());
  // Prometheus's writer key: write is enough to post alerts.
  const key = await kit.apiKey('acme', 'write');
  const prometheus = await startPrometheus(
    scratch.dir,
    {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ['rules.yml'],
      scrape_configs: [{ job_name: 'queue', static_configs: [{ targets: [gauge.address] }] }],
      alerting: { alertmanagers: [{ api_version: 'v2', basic_auth: { username: 'prometheus', password: key }, static_configs: [{ targets: [vigil] }] }] },
    },
    {
      'rules.yml': {
        groups: [
          {
            name: 'queue',
            rules: [{ alert: 'QueueBacklog', expr: 'queue_depth > 10', for: '2s', labels: { severity: 'critical' }, annotations: { summary: 'queue depth {{ $value }}' } }],
          },
        ],
      },
    },
  );
  onTestFinished(() => prometheus.stop());

  // Firing: Prometheus → Vigil (POST /api/v2/alerts with basic auth) → the webhook.
  const firing = await eventually(async () => sink.on('/hook').map((r) => r.json as Hook).find((b) => b.status === 'firing'), 60_000, 100);
  expect(firing.receiver).toBe('hook');
  const [alert] = firing.alerts;
  expect(alert!.labels).toEqual({ alertname: 'QueueBacklog', severity: 'critical', job: 'queue', instance: gauge.address });
  expect(alert!.generatorURL).toMatch(new RegExp(`^${prometheus.url}/graph\\?g0\\.expr=queue_depth`));
  expect(alert!.endsAt).toBe('0001-01-01T00:00:00Z');
  const listed = (await app.inject({ url: '/api/v2/alerts', headers: bearer })).json() as { labels: Record<string, string>; receivers: { name: string }[]; status: { state: string }; annotations: Record<string, string> }[];
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ labels: alert!.labels, annotations: { summary: 'queue depth 42' }, receivers: [{ name: 'hook' }], status: { state: 'active' } });

  // Prometheus's own account: Vigil is its active Alertmanager, sends succeeded, none failed (no 401).
  const ams = await prometheus.api<{ activeAlertmanagers: { url: string }[] }>('/api/v1/alertmanagers');
  expect(ams.activeAlertmanagers.map((a) => a.url)).toEqual([`http://${vigil}/api/v2/alerts`]);
  const own = await (await fetch(`${prometheus.url}/metrics`)).text();
  const target = `http://${vigil}/api/v2/alerts`.replace(/[.?]/g, '\\$&');
  const sample = (name: string) => Number(new RegExp(`^${name}\\{alertmanager="${target}"\\} (\\S+)$`, 'm').exec(own)?.[1]);
  expect(sample('prometheus_notifications_sent_total')).toBeGreaterThan(0);
  expect(sample('prometheus_notifications_errors_total')).toBe(0);

  // Resolution: the gauge drops, the rule stops firing, Prometheus sends endsAt, Vigil notifies.
  gauge.value = 1;
  const resolved = await eventually(async () => sink.on('/hook').map((r) => r.json as Hook).find((b) => b.status === 'resolved'), 60_000, 100);
  expect(resolved.alerts.map((a) => [a.fingerprint, a.status])).toEqual([[alert!.fingerprint, 'resolved']]);
  expect(resolved.alerts[0]!.endsAt).not.toBe('0001-01-01T00:00:00Z');
  expect((await app.inject({ url: '/api/v2/alerts', headers: bearer })).json()).toEqual([]);
  const history = (await app.inject({ url: '/v1/alerts?state=resolved&label=alertname=QueueBacklog', headers: bearer })).json().items as { source: string }[];
  expect(history.map((a) => a.source)).toEqual(['alertmanager-api']);
});
