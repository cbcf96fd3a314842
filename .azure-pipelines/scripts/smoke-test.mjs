#!/usr/bin/env node
// Smoke test after a deploy, through the console's public front door (plain Node 20, no deps):
//   1. every /readyz (the console's own, and each service's via GET /api/health),
//   2. one Sentry event through ingest (POST /api/<project>/envelope/ with the smoke DSN),
//   3. one alert to the test receiver (POST /api/alerting/v1/receivers/<name>/test, then
//      wait until that notification is delivered),
//   4. for --watch-minutes: no critical alert firing and every /readyz still ready.
// Any failure exits non-zero, which fails the hook and triggers the rollback.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({ options: { 'watch-minutes': { type: 'string', default: '2' }, 'critical-matcher': { type: 'string', default: 'severity=critical' } } });
const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`smoke test: ${name} is not set`);
  return v;
};
const base = env('SMOKE_CONSOLE_URL').replace(/\/$/, '');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const step = (msg) => console.log(`[smoke] ${msg}`);

async function call(path, init = {}, session) {
  const headers = { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers };
  if (session) Object.assign(headers, { cookie: session.cookie, 'x-csrf-token': session.csrfToken });
  const res = await fetch(base + path, { ...init, headers, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let body;
  try { body = text ? JSON.parse(text) : undefined; } catch { body = text; }
  return { status: res.status, body, headers: res.headers };
}

async function signIn() {
  const r = await call('/api/session', { method: 'POST', body: JSON.stringify({ email: env('SMOKE_CONSOLE_EMAIL'), password: env('SMOKE_CONSOLE_PASSWORD') }) });
  if (r.status !== 200) throw new Error(`sign-in: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  return { cookie, csrfToken: r.body.csrfToken };
}

async function allReady() {
  const own = await call('/readyz');
  if (own.status !== 200) throw new Error(`console /readyz: HTTP ${own.status}`);
  const h = await call('/api/health');
  if (h.status !== 200) throw new Error(`/api/health: HTTP ${h.status}`);
  const services = Object.entries(h.body?.services ?? {});
  if (services.length < 5) throw new Error(`/api/health lists ${services.length} services, expected 5`);
  const down = services.filter(([, s]) => s.status !== 'ok' && s.status !== 'ready');
  if (down.length) throw new Error(`not ready: ${down.map(([n, s]) => `${n} (${s.status})`).join(', ')}`);
  return services.map(([n]) => n);
}

async function sentryEvent() {
  const dsn = new URL(env('SMOKE_SENTRY_DSN'));
  const project = dsn.pathname.replace(/^\//, '');
  const eventId = randomUUID().replace(/-/g, '');
  const header = { event_id: eventId, dsn: dsn.href, sent_at: new Date().toISOString() };
  const event = { event_id: eventId, timestamp: Date.now() / 1000, platform: 'node', level: 'info', message: { formatted: 'vigil deploy smoke test' }, tags: { smoke: 'true', commit: process.env.BUILD_SOURCEVERSION ?? 'local' } };
  const body = [JSON.stringify(header), JSON.stringify({ type: 'event' }), JSON.stringify(event)].join('\n');
  const r = await call(`/api/${project}/envelope/`, { method: 'POST', body, headers: { 'content-type': 'application/x-sentry-envelope', 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${dsn.username}, sentry_client=vigil-smoke/1` } });
  if (r.status !== 200) throw new Error(`Sentry envelope: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return eventId;
}

async function testAlert(session) {
  const receiver = process.env.SMOKE_RECEIVER ?? 'vigil-smoke';
  const r = await call(`/api/alerting/v1/receivers/${encodeURIComponent(receiver)}/test`, { method: 'POST', body: '{}' }, session);
  if (r.status !== 202) throw new Error(`test alert: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  const key = r.body.idempotencyKey;
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await sleep(3_000)) {
    const n = await call('/api/alerting/v1/notifications?limit=200', {}, session);
    const mine = Array.isArray(n.body) ? n.body.find((x) => x.idempotencyKey === key) : undefined;
    if (mine?.state === 'delivered') return receiver;
    if (mine?.state === 'dead') throw new Error(`test alert to ${receiver} dead-lettered: ${mine.lastError}`);
  }
  throw new Error(`test alert to ${receiver} not delivered within 90 s`);
}

async function criticalFiring(session) {
  const r = await call(`/api/alerting/v1/alerts?state=firing&label=${encodeURIComponent(args['critical-matcher'])}`, {}, session);
  if (r.status !== 200) throw new Error(`alerts: HTTP ${r.status}`);
  return r.body;
}

try {
  step(`ready: ${(await allReady()).join(', ')}`);
  const session = await signIn();
  step(`Sentry event ${await sentryEvent()} accepted`);
  step(`test alert delivered to ${await testAlert(session)}`);
  const until = Date.now() + Number(args['watch-minutes']) * 60_000;
  do {
    const firing = await criticalFiring(session);
    if (firing.length) throw new Error(`critical alerts firing: ${firing.map((a) => a.labels?.alertname ?? a.id).join(', ')}`);
    await allReady();
    if (Date.now() < until) await sleep(20_000);
  } while (Date.now() < until);
  step('passed');
} catch (err) {
  console.log(`##vso[task.logissue type=error]smoke test failed: ${err.message}`);
  process.exit(1);
}
