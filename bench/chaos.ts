// `npm run chaos`: the whole platform as `npm start -- --replicas 2` runs it (every service twice, the
// supervisor, the console's front door), on a private three-broker cluster, under a steady load through
// every service — Sentry events, Alertmanager alerts to a webhook sink, consent writes, one erasure
// request, a backup every minute. While that runs it SIGKILLs, in order: one broker (then restarts it),
// the second instance of every service (the supervisor restarts them), and the broker that leads the most
// partitions. Then it counts what was acknowledged against what the platform holds, prints the recovery
// time after each kill, and ends with one JSON line. Loopback only; it stops by itself (CHAOS_SECONDS).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.CHAOS_SECONDS ?? 150);
const BASE = Number(process.env.CHAOS_PORT_BASE ?? 5300);
const CLUSTER_PORT = Number(process.env.CHAOS_KAFKA_PORT ?? 29392);
const SERVER = process.env.DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432';
const RATE = { events: 20, alerts: 4, consents: 20 }; // per second, each
const SERVICES = ['gdpr', 'perf-collector', 'alerting', 'error-ingest', 'dr-orchestrator'] as const;
const CONSOLE = `http://127.0.0.1:${BASE}`;
const svc = (name: (typeof SERVICES)[number], replica = 0) => `http://127.0.0.1:${BASE + SERVICES.indexOf(name) + 1 + 10 * replica}`;

const tag = randomBytes(3).toString('hex');
const DB = `vigil_chaos_${tag}`;
const SOURCE = `vigil_chaos_src_${tag}`;
const tmp = mkdtempSync(path.join(tmpdir(), 'vigil-chaos-'));
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const token = (n: number) => [...randomBytes(n)].map((b) => ALPHA[b % ALPHA.length]).join('');
const KEY = `vgl_${token(12)}_${token(32)}`;
const auth = { authorization: `Bearer ${KEY}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 23)}] ${msg}`);

// ---------------------------------------------------------------- infrastructure

const kafkaEnv = {
  ...process.env,
  KAFKA_LOCAL_PROFILE: 'cluster',
  KAFKA_CLUSTER_PORT: String(CLUSTER_PORT),
  KAFKA_CLUSTER_DATA: path.join(ROOT, 'infra/kafka/.data-chaos'),
  KAFKA_CLUSTER_HEAP: '512m',
  // A node restarted after SIGKILL recovers its logs first; on a busy machine that takes a while.
  KAFKA_LOCAL_START_TIMEOUT: process.env.KAFKA_LOCAL_START_TIMEOUT ?? '300',
};
const kafkaSh = (...args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile('bash', [path.join(ROOT, 'infra/kafka/kafka.sh'), ...args], { env: kafkaEnv }, (err, _o, stderr) => (err ? reject(new Error(`kafka.sh ${args.join(' ')}: ${stderr}`)) : resolve())),
  );
const BROKERS = [0, 1, 2].map((i) => `127.0.0.1:${CLUSTER_PORT + 2 * i}`);
const kafka = new Kafka({ brokers: BROKERS, logLevel: logLevel.NOTHING, clientId: 'chaos-observer' });

async function admin<T>(fn: (a: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const a = kafka.admin();
  await a.connect();
  try {
    return await fn(a);
  } finally {
    await a.disconnect().catch(() => undefined);
  }
}

/** Messages not yet consumed, over every consumer group of the platform. */
async function consumerLag(): Promise<number> {
  return admin(async (a) => {
    let lag = 0;
    const { groups } = await a.listGroups();
    const ends = new Map<string, Map<number, number>>();
    for (const { groupId } of groups) {
      for (const t of await a.fetchOffsets({ groupId })) {
        if (!ends.has(t.topic)) ends.set(t.topic, new Map((await a.fetchTopicOffsets(t.topic)).map((p) => [p.partition, Number(p.high)])));
        for (const p of t.partitions) {
          const end = ends.get(t.topic)!.get(p.partition) ?? 0;
          const at = Number(p.offset);
          lag += at < 0 ? end : Math.max(0, end - at);
        }
      }
    }
    return lag;
  });
}

/** The node (1..3) leading the most partitions. */
async function busiestBroker(): Promise<number> {
  return admin(async (a) => {
    const { topics } = await a.fetchTopicMetadata();
    const leads = new Map<number, number>();
    for (const t of topics) for (const p of t.partitions) if (p.leader >= 0) leads.set(p.leader, (leads.get(p.leader) ?? 0) + 1);
    return [...leads.entries()].sort((x, y) => y[1] - x[1])[0]![0];
  });
}

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = [], db = DB): Promise<T[]> {
  const c = new pg.Client({ connectionString: `${SERVER}/${db}` });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

async function api<T>(base: string, method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(base + p, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---------------------------------------------------------------- the platform

let platform: ChildProcess | undefined;
async function startPlatform(): Promise<void> {
  platform = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs'), '--replicas', '2'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      VIGIL_PORT_BASE: String(BASE),
      DATABASE_URL: `${SERVER}/${DB}`,
      KAFKA_BROKERS: BROKERS.join(','),
      KAFKA_REPLICATION_FACTOR: '3',
      VIGIL_BOOTSTRAP_API_KEY: KEY,
      CONSOLE_SELF_SEED: 'false',
      CONSOLE_INITIAL_PASSWORD_FILE: path.join(tmp, 'admin-password'),
      CONSOLE_SELF_DSN_FILE: path.join(tmp, 'dsn'),
      DR_SCHEDULER_TICK_MS: '1000',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const started = new Promise<void>((resolve, reject) => {
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim() || line.startsWith('{')) continue;
        lines.push(line);
        if (line.includes('[vigil] ') && (line.includes('exited') || line.includes('giving up'))) log(line.trim());
        if (line.includes('platform running')) resolve();
      }
    };
    platform!.stdout!.on('data', onLine);
    platform!.stderr!.on('data', onLine);
    platform!.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${lines.slice(-20).join('\n')}`)));
  });
  await started;
}

/** Every instance's /readyz answers 200 (npm start's banner only waits two minutes for ports). */
async function waitReady(timeoutMs: number): Promise<void> {
  const urls = SERVICES.flatMap((s) => [svc(s, 0), svc(s, 1)]).concat(CONSOLE);
  const end = Date.now() + timeoutMs;
  for (const url of urls) {
    for (;;) {
      const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
      if (ready) break;
      if (Date.now() > end) throw new Error(`${url} not ready after ${timeoutMs} ms`);
      await sleep(1_000);
    }
  }
}

function pidOf(title: string): number {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.trim().split(/\s+/).slice(1).join(' ') === title);
  if (!line) throw new Error(`no process titled ${title}`);
  return Number(line.trim().split(/\s+/)[0]);
}

// ---------------------------------------------------------------- load and what was acknowledged

const acked = { events: new Set<string>(), alerts: new Set<string>(), consents: new Set<string>() };
const sent = { events: 0, alerts: 0, consents: 0 };
const lastOk = { events: 0, alerts: 0, consents: 0 };
const gaps: Record<keyof typeof lastOk, { at: number; ms: number }[]> = { events: [], alerts: [], consents: [] };
/** Per alert id: every firing notification's Idempotency-Key (a retry of one delivery repeats its key). */
const notified = new Map<string, string[]>();
/** Keys of notifications about the platform's own alerts (not the load's), reported beside the counts. */
const otherNotices = new Set<string>();
let sink: Server;
let dsn: { projectId: string; publicKey: string };

function ok(stream: keyof typeof lastOk) {
  const now = Date.now();
  if (lastOk[stream]) gaps[stream].push({ at: lastOk[stream], ms: now - lastOk[stream] });
  lastOk[stream] = now;
}

async function sendEvent(n: number): Promise<void> {
  const id = randomBytes(16).toString('hex');
  const event = { event_id: id, timestamp: Date.now() / 1000, platform: 'node', level: 'error', exception: { values: [{ type: `Chaos${n % 5}`, value: 'boom' }] } };
  const body = `${JSON.stringify({ event_id: id })}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify(event)}\n`;
  sent.events++;
  try {
    const res = await fetch(`${CONSOLE}/api/${dsn.projectId}/envelope/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-sentry-envelope', 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${dsn.publicKey}` },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (res.ok) {
      acked.events.add(id);
      ok('events');
    }
    await res.arrayBuffer();
  } catch {
    /* not acknowledged: not counted */
  }
}

async function sendAlert(n: number): Promise<void> {
  const id = `a${n}`;
  sent.alerts++;
  try {
    const res = await fetch(`${svc('alerting', n % 2)}/api/v2/alerts`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'ChaosAlert', id, severity: 'warning' }, annotations: { summary: `chaos ${n}` }, startsAt: new Date().toISOString() }]),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.ok) {
      acked.alerts.add(id);
      ok('alerts');
    }
    await res.arrayBuffer();
  } catch {
    /* not acknowledged */
  }
}

async function sendConsent(n: number): Promise<void> {
  const subject = `chaos-subject-${n}`;
  sent.consents++;
  try {
    const res = await fetch(`${svc('gdpr', n % 2)}/v1/consents`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ subjectId: subject, purpose: 'analytics', granted: n % 3 !== 0, noticeVersion: 'v7', channel: 'web', source: 'chaos' }),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.ok) {
      acked.consents.add(((await res.json()) as { id: string }).id);
      ok('consents');
    } else await res.arrayBuffer();
  } catch {
    /* not acknowledged */
  }
}

function pace(rate: number, send: (n: number) => Promise<void>, until: () => boolean): Promise<void> {
  return (async () => {
    const inflight = new Set<Promise<void>>();
    const start = Date.now();
    for (let n = 0; !until(); n++) {
      const p = send(n).finally(() => inflight.delete(p));
      inflight.add(p);
      const next = start + ((n + 1) * 1000) / rate;
      await sleep(Math.max(0, next - Date.now()));
    }
    await Promise.all(inflight);
  })();
}

async function startSink(): Promise<string> {
  sink = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      try {
        const notice = JSON.parse(body) as { alerts: { status: string; labels: Record<string, string> }[] };
        const key = String(req.headers['idempotency-key'] ?? '');
        // Only the load's own alerts count. The platform also raises alerts of its own on the same route
        // (NewIssue from the Sentry events' issues, ErrorSpike, …): they carry no `id` label, and counted under
        // one undefined id they looked like one alert notified several times with different keys.
        for (const a of notice.alerts) {
          if (a.status !== 'firing') continue;
          if (a.labels.alertname === 'ChaosAlert' && a.labels.id) notified.set(a.labels.id, [...(notified.get(a.labels.id) ?? []), key]);
          else otherNotices.add(key);
        }
      } catch {
        /* not a notice */
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(sink.address() as { port: number }).port}/hook`;
}

// ---------------------------------------------------------------- the run

interface Recovery {
  kill: string;
  at_s: number;
  intake_max_gap_ms: Record<string, number>;
  lag_zero_ms: number | null;
}

async function lagZeroAfter(since: number, timeoutMs: number): Promise<number | null> {
  const end = Date.now() + timeoutMs;
  // Load keeps producing, so "zero" is "caught up to within one second of load" (≤ the per-second rate).
  const threshold = RATE.events + RATE.alerts + RATE.consents;
  while (Date.now() < end) {
    const lag = await consumerLag().catch(() => Number.POSITIVE_INFINITY);
    if (lag <= threshold) return Date.now() - since;
    await sleep(500);
  }
  return null;
}

function maxGapSince(since: number, untilMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(gaps) as (keyof typeof gaps)[]) {
    out[k] = Math.max(0, ...gaps[k].filter((g) => g.at + g.ms >= since && g.at <= since + untilMs).map((g) => g.ms));
  }
  return out;
}

async function main(): Promise<void> {
  const load = (await import('node:os')).loadavg()[0]!.toFixed(2);
  log(`load average at start ${load}; ${SECONDS} s of load; platform on ${CONSOLE}, brokers ${BROKERS.join(',')}`);
  await sql(`CREATE DATABASE ${DB}`, [], 'postgres');
  await sql(`CREATE DATABASE ${SOURCE}`, [], 'postgres');
  await sql(`CREATE TABLE orders (id serial PRIMARY KEY, note text); INSERT INTO orders (note) SELECT 'n' || g FROM generate_series(1, 2000) g`, [], SOURCE);
  await kafkaSh('reset', 'cluster').catch(() => undefined);
  await kafkaSh('start', 'cluster');
  log('cluster up; starting the platform with two replicas of every service');
  await startPlatform();
  await waitReady(600_000);
  log('platform running, every instance ready');

  // Configuration through the APIs.
  const hook = await startSink();
  await api(svc('alerting'), 'PUT', '/v1/receivers/chaos', { kind: 'webhook', url: hook, secret: 'chaos-webhook-secret-0123456789' });
  await api(svc('alerting'), 'PUT', '/v1/routing', {
    route: { receiver: 'chaos', group_by: ['alertname', 'id'], group_wait: '0s', group_interval: '1s', repeat_interval: '24h' },
    inhibit_rules: [],
  });
  const project = await api<{ id: string }>(svc('error-ingest'), 'POST', '/v1/projects', { name: 'chaos' });
  const key = await api<{ publicKey: string }>(svc('error-ingest'), 'POST', `/v1/projects/${project.id}/keys`, { label: 'chaos' });
  dsn = { projectId: project.id, publicKey: key.publicKey };
  const policy = await api<{ id: string }>(svc('dr-orchestrator'), 'POST', '/v1/policies', {
    name: 'chaos-every-minute',
    sourceUrl: `${SERVER}/${SOURCE}`,
    schedule: '* * * * *',
    repositoryPath: path.join(tmp, 'backups'),
  });
  // An erasure request whose subject has data in error-ingest.
  const subject = `erase-me-${tag}@example.com`;
  const personal = randomBytes(16).toString('hex');
  await fetch(`${CONSOLE}/api/${dsn.projectId}/store/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sentry-auth': `Sentry sentry_version=7, sentry_key=${dsn.publicKey}` },
    body: JSON.stringify({ event_id: personal, level: 'error', message: 'personal', user: { email: subject }, platform: 'node' }),
  });

  const t0 = Date.now();
  const stopAt = t0 + SECONDS * 1000;
  const done = () => Date.now() >= stopAt;
  const loads = [pace(RATE.events, sendEvent, done), pace(RATE.alerts, sendAlert, done), pace(RATE.consents, sendConsent, done)];
  const intake = await api<{ request: { id: string }; verificationToken: string }>(svc('gdpr'), 'POST', '/v1/subject-requests', {
    kind: 'erasure',
    identifiers: [{ type: 'email', value: subject }],
  });
  await api(svc('gdpr'), 'POST', `/v1/subject-requests/${intake.request.id}/verify`, { token: intake.verificationToken });
  log('load running: events, alerts, consents; erasure request filed; backups every minute');

  const recoveries: Recovery[] = [];
  const at = (s: number) => sleep(Math.max(0, t0 + s * 1000 - Date.now()));
  const record = async (kill: string, killedAt: number) => {
    const lagMs = await lagZeroAfter(killedAt, 60_000);
    recoveries.push({ kill, at_s: Math.round((killedAt - t0) / 1000), intake_max_gap_ms: maxGapSince(killedAt, 30_000), lag_zero_ms: lagMs });
    log(`after "${kill}": consumer lag back to zero in ${lagMs ?? 'more than 60000'} ms`);
  };

  await at(SECONDS * 0.15);
  let killedAt = Date.now();
  log('SIGKILL broker node 2');
  await kafkaSh('node-kill', '2');
  await sleep(10_000);
  await kafkaSh('node-start', '2');
  log('broker node 2 restarted');
  await record('broker 2 (SIGKILL, restarted after 10 s)', killedAt);

  await at(SECONDS * 0.4);
  killedAt = Date.now();
  for (const s of SERVICES) process.kill(pidOf(`vigil-${s}-2`), 'SIGKILL');
  log('SIGKILL the second instance of every service (the supervisor restarts them)');
  await record('second instance of every service (SIGKILL)', killedAt);

  await at(SECONDS * 0.65);
  const busiest = await busiestBroker();
  killedAt = Date.now();
  log(`SIGKILL broker node ${busiest}, the leader of the most partitions`);
  await kafkaSh('node-kill', String(busiest));
  await record(`broker ${busiest}, leader of the most partitions (SIGKILL, left down)`, killedAt);

  await Promise.all(loads);
  log(`load stopped: sent ${sent.events} events, ${sent.alerts} alerts, ${sent.consents} consents; draining`);
  await kafkaSh('node-start', String(busiest));
  const drainedIn = await lagZeroAfter(Date.now(), 180_000);

  // ------------------------------------------------------------ counting
  const processed = new Map<string, number>();
  await (async () => {
    const end = Date.now() + 180_000;
    for (;;) {
      processed.clear();
      for (const { event_id } of await sql<{ event_id: string }>(`SELECT replace(event_id::text, '-', '') AS event_id FROM errors.events WHERE project_id = $1 AND exception_type LIKE 'Chaos%'`, [project.id])) {
        processed.set(event_id, (processed.get(event_id) ?? 0) + 1);
      }
      const missing = [...acked.events].filter((id) => !processed.has(id)).length;
      if (missing === 0 || Date.now() > end) return;
      await sleep(1_000);
    }
  })();
  await (async () => {
    const end = Date.now() + 120_000;
    while ([...acked.alerts].some((id) => !notified.has(id)) && Date.now() < end) await sleep(1_000);
  })();
  const consentRows = await sql<{ id: string; n: number }>(`SELECT id::text, count(*)::int AS n FROM gdpr.consent_events WHERE source = 'chaos' GROUP BY id`);
  const consentIds = new Map(consentRows.map((r) => [r.id, r.n]));
  const chain = await api<{ valid: boolean; entries: number }>(svc('gdpr'), 'GET', '/v1/audit/verify');
  const erasure = await (async () => {
    const end = Date.now() + 120_000;
    for (;;) {
      const d = await api<{ state: string; expectedServices: string[]; receipts: { service: string; status: string }[] }>(svc('gdpr'), 'GET', `/v1/subject-requests/${intake.request.id}`);
      if (d.state === 'completed' || Date.now() > end) return d;
      await sleep(1_000);
    }
  })();
  const slots = await sql<{ slot: string; n: number }>(
    `SELECT to_char(date_trunc('minute', started_at), 'HH24:MI') AS slot, count(*)::int AS n FROM dr.backups WHERE policy_id = $1 AND trigger = 'schedule' GROUP BY 1 ORDER BY 1`,
    [policy.id],
  );

  const eventsLost = [...acked.events].filter((id) => !processed.has(id)).length;
  // events.event_id is the primary key, so a second application would show in the issues' counters.
  const [counted] = await sql<{ n: number }>(`SELECT coalesce(sum(times_seen), 0)::int AS n FROM errors.issues WHERE project_id = $1 AND exception_type LIKE 'Chaos%'`, [project.id]);
  const eventsDoubled = Math.max(0, counted!.n - processed.size) + [...processed.values()].filter((n) => n > 1).length;
  const alertsLost = [...acked.alerts].filter((id) => !notified.has(id)).length;
  // Doubled: a second, different notification of one alert. Redelivered: the same delivery (same Idempotency-Key)
  // received again after a kill, which a receiver drops by its key; both are printed.
  const alertsDoubled = [...notified.values()].filter((keys) => new Set(keys).size > 1).length;
  const alertsRedelivered = [...notified.values()].filter((keys) => keys.length > new Set(keys).size).length;
  const consentsLost = [...acked.consents].filter((id) => !consentIds.has(id)).length;
  const consentsDoubled = [...consentIds.values()].filter((n) => n > 1).length;
  const receipts = erasure.receipts.map((r) => `${r.service}:${r.status}`).sort();
  const result = {
    seconds: SECONDS,
    replicas: 2,
    brokers: 3,
    load_avg_start: Number(load),
    events: { sent: sent.events, acked: acked.events.size, processed: processed.size, counted_in_issues: counted!.n, lost: eventsLost, doubled: eventsDoubled },
    alerts: { sent: sent.alerts, acked: acked.alerts.size, notified: notified.size, lost: alertsLost, doubled: alertsDoubled, redelivered_same_key: alertsRedelivered, platform_alert_notifications: otherNotices.size },
    consents: { sent: sent.consents, acked: acked.consents.size, in_ledger: consentIds.size, lost: consentsLost, doubled: consentsDoubled, chain_valid: chain.valid },
    erasure: { state: erasure.state, expected: erasure.expectedServices.sort(), receipts },
    backups: { slots: slots.length, max_per_slot: Math.max(0, ...slots.map((s) => s.n)), per_slot: Object.fromEntries(slots.map((s) => [s.slot, s.n])) },
    recoveries,
    drained_ms: drainedIn,
    nothing_lost_or_doubled:
      eventsLost + eventsDoubled + alertsLost + alertsDoubled + consentsLost + consentsDoubled === 0 &&
      chain.valid &&
      erasure.state === 'completed' &&
      slots.length > 0 &&
      slots.every((s) => s.n === 1),
  };
  console.log(JSON.stringify(result));
  process.exitCode = result.nothing_lost_or_doubled ? 0 : 1;
}

async function cleanup(): Promise<void> {
  sink?.close();
  if (platform && platform.exitCode === null) {
    const exited = new Promise((r) => platform!.once('exit', r));
    platform.kill('SIGTERM');
    await Promise.race([exited, sleep(30_000)]);
  }
  await kafkaSh('reset', 'cluster').catch(() => undefined);
  await sql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`, [], 'postgres').catch(() => undefined);
  await sql(`DROP DATABASE IF EXISTS ${SOURCE} WITH (FORCE)`, [], 'postgres').catch(() => undefined);
  rmSync(tmp, { recursive: true, force: true });
}

// Bounded in time whatever happens: the run, the drain and the counts have their own limits; this is the last one.
const hardStop = setTimeout(() => {
  console.error('[chaos] hard time limit reached');
  void cleanup().finally(() => process.exit(2));
}, (SECONDS + 900) * 1000);
hardStop.unref();

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => void cleanup().finally(() => process.exit()));
