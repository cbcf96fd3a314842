// The alerting process SIGKILLed mid-delivery and restarted: no notification is lost, none is
// enqueued twice, and the only re-sent requests are those in flight at the kill, re-sent with
// the same idempotency key and body (a receiver drops them, as PagerDuty does by dedup_key).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect } from 'vitest';
import { databaseTest, deleteNamespaceTopics, eventually, type TestKit } from '@vigil/service-kit/testing';
import { FAST } from './fixtures.js';
import { HttpSink } from './sink.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KEY = 'vgl_crashtest01_abcdefghijklmnopqrstuvwxyz012345';
const N = 60;
// Generous timeout and lease: on a loaded machine a send must not outlive its lease and be
// reclaimed while still in progress (that is a re-send this test would rightly count).
const SLOW_MACHINE = { ALERTING_DELIVERY_TIMEOUT_MS: '10000', ALERTING_DELIVERY_LEASE_MS: '15000' };

// An empty database and a Kafka namespace of its own: the service runs as a child process,
// migrates the database itself and seeds its API key.
const it = databaseTest({ label: 'alertcrash', env: { ...FAST, ...SLOW_MACHINE } });

let openSink: HttpSink | undefined;
let child: ChildProcess | undefined;
let restartNamespace: string | undefined;
let base = '';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Starts the service as its Dockerfile does and waits until /readyz answers 200. */
async function startService(kit: TestKit, port: number, namespace: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'services/alerting/src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...kit.env, KAFKA_NAMESPACE: namespace, PORT: String(port), VIGIL_BOOTSTRAP_API_KEY: KEY, VIGIL_BOOTSTRAP_TENANT: 'acme', LOG_LEVEL: 'fatal' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  let exitCode: number | null | undefined;
  proc.once('exit', (code) => (exitCode = code));
  try {
    await eventually(async () => {
      if (exitCode !== undefined) throw new Error(`alerting exited with code ${exitCode} during boot`);
      return (await fetch(`${base}/readyz`).catch(() => undefined))?.ok;
    }, 90_000, 200);
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  return proc;
}

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

afterAll(async () => {
  child?.kill('SIGKILL');
  await openSink?.close();
  // The kit deletes the file's namespace; the restart ran in a second one.
  if (restartNamespace) await deleteNamespaceTopics(restartNamespace);
});

type Hook = { alerts: { fingerprint: string }[] };

describe('SIGKILL mid-delivery', () => {
  it('loses nothing and duplicates nothing across a hard restart', { timeout: 240_000 }, async ({ kit }) => {
    const sink = (openSink = await new HttpSink().start());
    // Slow answers keep requests in flight, so the kill lands mid-delivery.
    sink.respond = () => ({ status: 200, delayMs: 100 });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = await startService(kit, port, kit.namespace);

    expect((await call('PUT', '/v1/receivers/hook', { kind: 'webhook', url: sink.url('/hook'), secret: 'crash-test-secret-key' })).status).toBe(204);
    expect((await call('PUT', '/v1/routing', { route: { receiver: 'hook', group_by: ['...'], group_wait: '0s', group_interval: '1h', repeat_interval: '1h' }, inhibit_rules: [] })).status).toBe(204);
    const posted = await call('POST', '/api/v2/alerts', Array.from({ length: N }, (_, i) => ({ labels: { alertname: 'Crash', instance: `i${i}` } })));
    expect(posted.status).toBe(200);

    // Mid-delivery: once some notifications went through, the receiver stops answering, so
    // requests hang in flight; when every answered one is recorded as delivered, SIGKILL.
    await eventually(async () => sink.requests.length >= 10, 30_000, 20);
    sink.respond = () => ({ status: 200, delayMs: -1 });
    const answered = () => sink.requests.filter((r) => r.status === 200 && !sink.inFlight.has(r)).length;
    await eventually(async () => {
      const before = answered();
      const list = ((await (await call('GET', '/v1/notifications?state=delivered&limit=1000')).json()) as { items: unknown[] }).items;
      // Only held requests in flight (no answer about to be written), no answer written while the list
      // was read (else `before` is stale and an answer may not be recorded yet), and every answer recorded.
      return sink.inFlight.size > 0 && [...sink.inFlight].every((r) => r.held) && answered() === before && list.length === before;
    }, 30_000, 50);
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    // Positive signal that the sink has seen every request the dead process sent: all its sockets
    // are closed (a socket closes only after the bytes before its FIN were read).
    await eventually(async () => (await sink.openConnections()) === 0, 30_000, 50);
    const held = new Set([...sink.inFlight].map((r) => r.headers['idempotency-key']));
    expect(answered()).toBeLessThan(N);
    expect(held.size).toBeGreaterThan(0);

    sink.respond = () => ({ status: 200 });
    // Same database, fresh Kafka namespace: the broker would otherwise hold the killed consumer in
    // its group until the session times out, which outlasts fastify's boot timeout. Delivery does
    // not involve Kafka; the queue under test lives in PostgreSQL.
    restartNamespace = `${kit.namespace}-r`;
    const restartedAt = Date.now();
    child = await startService(kit, port, restartNamespace);
    await eventually(async () => new Set(sink.requests.filter((r) => r.status === 200).map((r) => (r.json as Hook).alerts[0]!.fingerprint)).size === N, 60_000);
    // Positive signals that no late duplicate can still arrive: every notification is recorded as
    // delivered (none queued or sending), then the process stops gracefully, which waits for any
    // send still in flight before it exits.
    const delivered = await eventually(async () => {
      const all = ((await (await call('GET', '/v1/notifications?limit=1000')).json()) as { items: { state: string; idempotencyKey: string; attempts: number }[] }).items;
      return all.length === N && all.every((n) => n.state === 'delivered') ? all : undefined;
    }, 60_000, 100);
    const stopped = child!;
    child = undefined;
    const exit = new Promise<number | null>((r) => stopped.once('exit', (code) => r(code)));
    stopped.kill('SIGTERM');
    expect(await exit).toBe(0);

    const byFingerprint = new Map<string, Set<string>>();
    const answeredByKey = new Map<string, number>();
    const bodiesByKey = new Map<string, Set<string>>();
    for (const r of sink.requests) {
      const key = r.headers['idempotency-key'] as string;
      const fp = (r.json as Hook).alerts[0]!.fingerprint;
      byFingerprint.set(fp, (byFingerprint.get(fp) ?? new Set()).add(key));
      bodiesByKey.set(key, (bodiesByKey.get(key) ?? new Set()).add(r.body));
      if (r.status === 200) answeredByKey.set(key, (answeredByKey.get(key) ?? 0) + 1);
    }
    // Nothing lost: every alert was notified.
    expect(byFingerprint.size).toBe(N);
    // Nothing duplicated: one notification (one idempotency key) per alert, delivered exactly once...
    expect([...byFingerprint.values()].every((keys) => keys.size === 1)).toBe(true);
    const attempts = new Map(delivered.map((n) => [n.idempotencyKey, n.attempts]));
    const twice = [...answeredByKey].filter(([, n]) => n !== 1).map(([key, n]) => ({
      key, answered: n, heldAtKill: held.has(key), attempts: attempts.get(key),
      msAfterRestart: sink.requests.filter((r) => r.headers['idempotency-key'] === key).map((r) => r.at - restartedAt),
    }));
    expect(twice).toEqual([]);
    expect(answeredByKey.size).toBe(N);
    // ...and only requests left unanswered by the kill were sent again, unchanged.
    for (const [key, bodies] of bodiesByKey) {
      const sends = sink.requests.filter((r) => r.headers['idempotency-key'] === key).length;
      if (sends > 1) expect(held.has(key), `re-sent ${key}`).toBe(true);
      expect(bodies.size).toBe(1);
    }
    expect(delivered).toHaveLength(N);
  });
});
