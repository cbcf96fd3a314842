// What the console's alert screens read and do (issue 15 §1–2): who acted (the console's actor
// header, trusted from its front-door key only), deliveries per alert, escalation steps in the
// history, the 24-hour strips, silence preview / edit / extend, rule state and field-named errors.
import { describe, expect } from 'vitest';
import { createApiKey } from '@vigil/service-kit';
import { eventually } from '@vigil/service-kit/testing';
import { alertingTest, api, deliverySettled, webhookSetup, type Harness } from './fixtures.js';

const it = alertingTest('alertconsole', { setup: (h) => webhookSetup(h) });

type AlertJson = { id: string; fingerprint: string; state: string; labels: Record<string, string> };
type HistoryJson = { event: string; from: string | null; to: string; actor: string; note: string | null; at: string };

async function fire(h: Harness, labels: Record<string, string>): Promise<AlertJson> {
  const res = await api(h, 'POST', '/api/v2/alerts', [{ labels }]);
  expect(res.statusCode, res.body).toBe(200);
  return eventually(async () => {
    const list = (await api(h, 'GET', `/v1/alerts?state=firing&${Object.entries(labels).map(([k, v]) => `label=${k}=${encodeURIComponent(v)}`).join('&')}`)).json().items as AlertJson[];
    return list[0];
  });
}

const consoleHeaders = async (h: Harness) => ({ authorization: `Bearer ${await createApiKey(h.app.infra.pool, 'acme', 'write', 'console-front-door')}` });

describe('the console alert API', () => {
  it('records the person the console names, and only when the console key says so', async ({ h }) => {
    const a = await fire(h, { alertname: 'ActorCheck', n: '1' });
    const b = await fire(h, { alertname: 'ActorCheck', n: '2' });
    const headers = { ...(await consoleHeaders(h)), 'x-vigil-actor': encodeURIComponent('ana@example.test') };
    const ack = await h.app.inject({ method: 'POST', url: `/v1/alerts/${a.id}/acknowledge`, headers, payload: { note: 'looking at the replica' } });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json().acknowledgedBy).toBe('user:ana@example.test');
    // Another key cannot claim a person.
    const forged = await h.app.inject({ method: 'POST', url: `/v1/alerts/${b.id}/acknowledge`, headers: { ...h.headers, 'x-vigil-actor': 'ana@example.test' }, payload: {} });
    expect(forged.json().acknowledgedBy).toMatch(/^key:/);
    const history = (await api(h, 'GET', `/v1/alerts/${a.id}/history`)).json().items as HistoryJson[];
    expect(history.map((e) => [e.event, e.actor, e.note])).toEqual([
      ['fired', 'alertmanager-api', null],
      ['acknowledged', 'user:ana@example.test', 'looking at the replica'],
    ]);
  });

  it('lists every delivery of an alert with receiver, state and attempts', async ({ h }) => {
    // The first request carrying it fails (503), the retry succeeds.
    h.sink.respond = (r) => (r.body.includes('"Flaky"') && h.sink.requests.filter((q) => q.body.includes('"Flaky"')).length === 1 ? { status: 503 } : { status: 200 });
    const a = await fire(h, { alertname: 'Flaky' });
    await eventually(async () => h.sink.on('/hook').filter((r) => r.body.includes('Flaky') && r.status === 200).length === 1, 30_000);
    await deliverySettled(h);
    h.sink.respond = () => ({ status: 200 });
    const page = (await api(h, 'GET', `/v1/alerts/${a.id}/deliveries`)).json() as { items: { receiver: string; state: string; attempts: number; lastStatus: number; lastError: string | null }[]; nextCursor: string | null };
    expect(page.nextCursor).toBeNull();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ receiver: 'hook', state: 'delivered', attempts: 2, lastStatus: 200 });
    // Someone else's alert id is a 404, a bad cursor a 400 naming it.
    expect((await api(h, 'GET', `/v1/alerts/00000000-0000-4000-8000-000000000000/deliveries`)).statusCode).toBe(404);
    const bad = await api(h, 'GET', `/v1/alerts/${a.id}/deliveries?cursor=nope`);
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'CURSOR_INVALID']);
  });

  it('keeps each escalation step in the history and says which step is next', async ({ h }) => {
    expect((await api(h, 'PUT', '/v1/escalation-policies/oncall', { steps: [{ afterMinutes: 0, receiver: 'hook' }, { afterMinutes: 60, receiver: 'hook' }], repeat: 0 })).statusCode).toBe(204);
    const routing = await api(h, 'PUT', '/v1/routing', {
      route: { receiver: 'hook', group_by: ['...'], group_wait: '0s', group_interval: '1s', repeat_interval: '1h', routes: [{ matchers: ['team="db"'], receiver: 'hook', escalation: 'oncall' }] },
      inhibit_rules: [],
    });
    expect(routing.statusCode, routing.body).toBe(204);
    const a = await fire(h, { alertname: 'Escalating', team: 'db' });
    const history = await eventually(async () => {
      const list = (await api(h, 'GET', `/v1/alerts/${a.id}/history`)).json().items as HistoryJson[];
      return list.some((e) => e.event === 'escalated') ? list : undefined;
    }, 30_000);
    expect(history.find((e) => e.event === 'escalated')).toMatchObject({ actor: 'escalation:oncall', note: 'step 1 of 2 (policy oncall): notified hook' });
    const position = (await api(h, 'GET', `/v1/alerts/${a.id}/escalation`)).json() as { items: { policy: string; step: number; steps: unknown[] }[] };
    expect(position.items).toEqual([expect.objectContaining({ policy: 'oncall', step: 1, steps: [{ afterMinutes: 0, receiver: 'hook' }, { afterMinutes: 60, receiver: 'hook' }] })]);
    await api(h, 'POST', `/v1/alerts/${a.id}/acknowledge`, {});
    expect(((await api(h, 'GET', `/v1/alerts/${a.id}/escalation`)).json() as { items: unknown[] }).items).toEqual([]);
    await webhookSetup(h);
  });

  it('draws the 24-hour strip of a fingerprint: one interval per occurrence', async ({ h }) => {
    const a = await fire(h, { alertname: 'Strip' });
    const resolved = await api(h, 'POST', `/v1/alerts/${a.id}/resolve`, {});
    expect(resolved.statusCode, resolved.body).toBe(200);
    const b = await fire(h, { alertname: 'Strip' });
    expect(b.fingerprint).toBe(a.fingerprint);
    const strips = (await api(h, 'GET', `/v1/alert-strips?fingerprint=${a.fingerprint}`)).json() as { items: { fingerprint: string; intervals: { from: string; to: string | null }[] }[]; from: string };
    expect(strips.items, JSON.stringify(strips)).toHaveLength(1);
    const [first, second] = strips.items[0]!.intervals;
    expect(first!.to).not.toBeNull();
    expect(second!.to).toBeNull();
    expect(Date.parse(first!.from)).toBeGreaterThanOrEqual(Date.parse(strips.from));
  });

  it('previews what a silence would match, edits and extends it in place, and refuses to edit an expired one', async ({ h }) => {
    await fire(h, { alertname: 'Preview', service: 'api-gateway' });
    await fire(h, { alertname: 'Preview', service: 'api-billing' });
    await fire(h, { alertname: 'Preview', service: 'worker' });
    const preview = (await api(h, 'POST', '/v1/silences/preview', { matchers: ['alertname="Preview"', 'service=~"api.*"'] })).json() as { items: AlertJson[]; total: number };
    expect(preview.total).toBe(2);
    expect(preview.items.map((a) => a.labels.service).sort()).toEqual(['api-billing', 'api-gateway']);
    const badMatcher = await api(h, 'POST', '/v1/silences/preview', { matchers: ['service=~"("'] });
    expect([badMatcher.statusCode, badMatcher.json().field]).toEqual([400, 'matchers/0']);

    const headers = { ...(await consoleHeaders(h)), 'x-vigil-actor': 'bo%40example.test' };
    const ends = new Date(Date.now() + 3_600_000).toISOString();
    const created = await h.app.inject({ method: 'POST', url: '/v1/silences', headers, payload: { matchers: ['alertname="Preview"'], endsAt: ends, comment: 'deploy' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().createdBy).toBe('user:bo@example.test');
    const id = created.json().id as string;
    const later = new Date(Date.now() + 7_200_000).toISOString();
    const extended = await api(h, 'PUT', `/v1/silences/${id}`, { matchers: ['alertname="Preview"', 'service!="worker"'], endsAt: later, comment: 'deploy, longer' });
    expect(extended.statusCode, extended.body).toBe(200);
    expect(extended.json()).toMatchObject({ id, endsAt: later, matchers: ['alertname="Preview"', 'service!="worker"'], comment: 'deploy, longer', createdBy: expect.stringMatching(/^key:/) });
    expect(extended.json().startsAt).toBe(created.json().startsAt);
    const past = await api(h, 'PUT', `/v1/silences/${id}`, { matchers: ['alertname="Preview"'], endsAt: new Date(Date.now() - 1000).toISOString() });
    expect([past.statusCode, past.json().field]).toEqual([400, 'endsAt']);
    const ended = await h.app.inject({ method: 'DELETE', url: `/v1/silences/${id}`, headers });
    expect([ended.statusCode, ended.json().expiredBy]).toEqual([200, 'user:bo@example.test']);
    const expired = await api(h, 'PUT', `/v1/silences/${id}`, { matchers: ['alertname="Preview"'], endsAt: later });
    expect([expired.statusCode, expired.json().code]).toEqual([409, 'ALERTING_SILENCE_EXPIRED']);
    expect((await api(h, 'GET', `/v1/silences/${id}`)).json().expiredAt).not.toBeNull();
  });

  it('names the field of an invalid rule, and reports each rule’s state and last evaluation', async ({ h }) => {
    const rule = { name: 'LagHigh', kind: 'threshold', metric: 'lag_seconds', op: '>', levels: [{ severity: 'warning', value: 50 }, { severity: 'critical', value: 10 }] };
    const bad = await api(h, 'POST', '/v1/rules', rule);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'ALERTING_RULE_INVALID', field: 'levels/1/value' });
    expect(bad.json().detail).toContain('the critical value (10) must be above the warning value (50)');
    const typed = await api(h, 'POST', '/v1/rules', { ...rule, levels: [{ severity: 'warning', value: 'ten' }] });
    expect(typed.json().field).toBe('levels/0/value');
    const dur = await api(h, 'POST', '/v1/rules', { ...rule, levels: [{ severity: 'warning', value: 1 }], for: '5 minutes' });
    expect(dur.json().field).toBe('for');

    const event = await api(h, 'POST', '/v1/rules', { name: 'DeployFailed', kind: 'event', event: 'deploy', matchers: ['status="failed"'], severity: 'warning' });
    expect(event.statusCode, event.body).toBe(201);
    const before = ((await api(h, 'GET', '/v1/rules?limit=1000')).json().items as { name: string; state: string; lastEvaluatedAt: string | null }[]).find((r) => r.name === 'DeployFailed')!;
    expect([before.state, before.lastEvaluatedAt]).toEqual(['inactive', null]);
    expect((await api(h, 'POST', '/v1/events', { type: 'deploy', labels: { service: 'api' }, attributes: { status: 'failed' } })).statusCode).toBeLessThan(300);
    const after = await eventually(async () => {
      const r = ((await api(h, 'GET', '/v1/rules?limit=1000')).json().items as { name: string; state: string; openAlerts: number; lastEvaluatedAt: string | null; lastSeries: Record<string, string> }[]).find((x) => x.name === 'DeployFailed')!;
      return r.state === 'firing' ? r : undefined;
    });
    expect(after.openAlerts).toBe(1);
    expect(after.lastEvaluatedAt).not.toBeNull();
    expect(after.lastSeries).toEqual({ service: 'api' });
  });
});
