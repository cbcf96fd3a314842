// Two alerting processes on one database under a steady load, one SIGKILLed mid-work and restarted,
// several times: every alert is notified by exactly one notification (one idempotency key), however
// many times its group's flush was begun, redone or raced by the other replica.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect } from 'vitest';
import pg from 'pg';
import { databaseTest, deleteNamespaceTopics, eventually, type TestKit } from '@vigil/service-kit/testing';
import { FAST } from './fixtures.js';
import { HttpSink } from './sink.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KEY = 'vgl_replicakill1_abcdefghijklmnopqrstuvwxyz012345';
// Ports given to this service's tests (29600–29699).
const PORTS = [29641, 29642] as const;
const it = databaseTest({ label: 'alertkill', env: { ...FAST, ALERTING_DELIVERY_TIMEOUT_MS: '5000', ALERTING_DELIVERY_LEASE_MS: '6000' } });

const children = new Set<ChildProcess>();
const namespaces: string[] = [];
let openSink: HttpSink | undefined;
afterAll(async () => {
  children.forEach((c) => c.kill('SIGKILL'));
  await openSink?.close();
  for (const ns of namespaces) await deleteNamespaceTopics(ns);
});

async function start(kit: TestKit, port: number, namespace: string): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'services/alerting/src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...kit.env, KAFKA_NAMESPACE: namespace, PORT: String(port), VIGIL_BOOTSTRAP_API_KEY: KEY, VIGIL_BOOTSTRAP_TENANT: 'acme', LOG_LEVEL: 'fatal' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  await eventually(async () => {
    if (proc.exitCode !== null) throw new Error(`alerting exited with ${proc.exitCode} during boot`);
    return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok;
  }, 90_000, 100);
  return proc;
}

const post = (port: number, path: string, method: string, body: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });

type Hook = { alerts: { status: string; labels: Record<string, string> }[] };

describe('a replica SIGKILLed under load', () => {
  it('one notification per alert, however often the other replica was killed', { timeout: 300_000 }, async ({ kit }) => {
    const sink = (openSink = await new HttpSink().start());
    // Short answers keep sends in flight most of the time, so a kill lands mid-work.
    sink.respond = () => ({ status: 200, delayMs: 15 });
    const [pa, pb] = PORTS;
    namespaces.push(kit.namespace, `${kit.namespace}-b0`);
    await start(kit, pa, kit.namespace);
    let b = await start(kit, pb, `${kit.namespace}-b0`);
    expect((await post(pa, '/v1/receivers/hook', 'PUT', { kind: 'webhook', url: sink.url('/hook'), secret: 'replica-kill-secret-key' })).status).toBe(204);
    expect((await post(pa, '/v1/routing', 'PUT', { route: { receiver: 'hook', group_by: ['alertname', 'id'], group_wait: '0s', group_interval: '1s', repeat_interval: '24h' }, inhibit_rules: [] })).status).toBe(204);
    // The other replica's routing cache (2 s) has seen the new routing.
    await new Promise((r) => setTimeout(r, 2_500));

    const acked = new Set<string>();
    let n = 0;
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const ids = Array.from({ length: 5 }, () => `a${n++}`);
        const port = n % 2 ? pa : pb;
        void post(port, '/api/v2/alerts', 'POST', ids.map((id) => ({ labels: { alertname: 'KillAlert', id, severity: 'warning' } })))
          .then((res) => res.ok && ids.forEach((id) => acked.add(id)))
          .catch(() => undefined);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const kills: number[] = [];
    for (let round = 1; round <= 2; round++) {
      await new Promise((r) => setTimeout(r, 1_500));
      kills.push(Date.now());
      b.kill('SIGKILL');
      await new Promise((r) => b.once('exit', r));
      namespaces.push(`${kit.namespace}-b${round}`);
      b = await start(kit, pb, `${kit.namespace}-b${round}`);
    }
    stop = true;
    await load;

    const pool = new pg.Pool({ connectionString: kit.databaseUrl, max: 2 });
    try {
      // Positive signal before counting: every acknowledged alert reached the sink, then nothing is
      // queued or in flight any more (a re-send after a lease would have landed).
      const notifiedIds = () => new Set(sink.on('/hook').flatMap((r) => (r.json as Hook | undefined)?.alerts.filter((a) => a.status === 'firing').map((a) => a.labels.id!) ?? []));
      await eventually(async () => [...acked].every((id) => notifiedIds().has(id)), 120_000, 100);
      await eventually(async () => (await pool.query(`SELECT count(*)::int AS n FROM alerting.notifications WHERE state IN ('queued', 'sending')`)).rows[0].n === 0, 60_000, 100);
      expect(acked.size).toBeGreaterThan(100);

      const keys = new Map<string, Set<string>>();
      for (const r of sink.on('/hook')) {
        for (const a of (r.json as Hook | undefined)?.alerts ?? []) {
          if (a.status === 'firing') keys.set(a.labels.id!, (keys.get(a.labels.id!) ?? new Set()).add(r.headers['idempotency-key'] as string));
        }
      }
      const doubled = [...keys].filter(([, k]) => k.size > 1).map(([id, k]) => ({ id, keys: [...k] }));
      // On failure, what the database holds about those alerts says which step ran twice.
      const detail = async (id: string) => ({
        alerts: (await pool.query(`SELECT id, state, starts_at, resolved_at FROM alerting.alerts WHERE labels->>'id' = $1`, [id])).rows,
        history: (await pool.query(`SELECT h.* FROM alerting.alert_history h JOIN alerting.alerts a ON a.id = h.alert_id WHERE a.labels->>'id' = $1`, [id])).rows,
        notifications: (await pool.query(`SELECT n.idempotency_key, n.state, n.attempts, n.created_at, n.delivered_at FROM alerting.notifications n JOIN alerting.notification_alerts l ON l.notification_id = n.id JOIN alerting.alerts a ON a.id = l.alert_id WHERE a.labels->>'id' = $1`, [id])).rows,
        sends: sink.on('/hook').filter((r) => (r.json as Hook | undefined)?.alerts.some((a) => a.labels.id === id)).map((r) => ({ key: r.headers['idempotency-key'], at: r.at })),
      });
      expect(doubled, JSON.stringify({ kills, doubled: await Promise.all(doubled.map((d) => detail(d.id))) }, null, 1)).toEqual([]);
      // And in the queue: one notification row per alert.
      const rows = await pool.query(
        `SELECT a.labels->>'id' AS id, count(*)::int AS n FROM alerting.notification_alerts l JOIN alerting.alerts a ON a.id = l.alert_id GROUP BY 1 HAVING count(*) > 1`,
      );
      expect(rows.rows).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});
