// bench:alerting — Vigil alerting side by side with Prometheus Alertmanager 0.25 (Debian),
// both with group_by ['...'] (one alert per group) and group_wait 0, both delivering to the
// same local webhook sink. Vigil persists every alert, state change and notification in
// PostgreSQL before answering or sending; Alertmanager keeps them in memory.
//   1. burst: N distinct alerts posted as fast as the API takes them (batches of 100, 4 in
//      flight); time until every notification arrived, and throughput.
//   2. paced: 500 alerts/s for a fixed time (a batch of 10 every 20 ms); p50/p99 latency from
//      the POST that carried an alert to its webhook arriving at the sink.
//   3. with BENCH_LARGE=50000 (off by default): a burst that size, and where each system's time
//      went: CPU seconds of the process (for Vigil also of its PostgreSQL backends, and which
//      statements those backends were seen running), and for Alertmanager whether its bounded
//      alert channel dropped alerts or blocked the API.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.env.BENCH_ALERTS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 10);
const LARGE = Number(process.env.BENCH_LARGE ?? 0);
const loadStart = loadavg()[0]!;
const BURST_BATCH = 100;
const BURST_IN_FLIGHT = 4;
const TICK_MS = 20;
const run = randomBytes(3).toString('hex');
const KEY = `vgl_bench${run}_${randomBytes(16).toString('hex')}`;
const BASE_DB = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vigil';
const DB_NAME = `vigil_bench_alerting_${run}`;
const NAMESPACE = `bench-alerting-${run}`;
const VIGIL_LOG = path.join(tmpdir(), `vigil-bench-alerting-${run}.log`);

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// ---- the shared webhook sink ---------------------------------------------------------------
const arrivals = new Map<string, number>(); // alert id -> arrival time
let duplicates = 0;
let busyRetries = 0;
const sink = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const at = now();
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alerts: { status: string; labels: Record<string, string> }[] };
      for (const a of body.alerts) {
        if (a.status !== 'firing' || !a.labels.bench_id) continue;
        if (arrivals.has(a.labels.bench_id)) duplicates++;
        else arrivals.set(a.labels.bench_id, at);
      }
    } catch {
      // not a webhook payload
    }
    res.writeHead(200).end();
  });
});
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
const sinkUrl = (p: string) => `http://127.0.0.1:${(sink.address() as AddressInfo).port}${p}`;

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** SIGTERM, then SIGKILL if it has not exited within 15 s; children never outlive the bench. */
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
  children.delete(proc);
}

async function waitReady(url: string, proc: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}`);
    if ((await fetch(url).catch(() => undefined))?.ok) return;
    await sleep(200);
  }
  throw new Error(`${what} not ready`);
}

// ---- the two systems ------------------------------------------------------------------------
interface System {
  name: string;
  pid: number;
  post(alerts: unknown[]): Promise<void>;
  /** Prometheus text of the system's own /metrics. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

async function startAlertmanager(): Promise<System> {
  execFileSync('bash', [path.join(ROOT, 'scripts/system-deps.sh'), 'prometheus-alertmanager'], { stdio: 'inherit' });
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-am-'));
  writeFileSync(
    path.join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: sink',
      "  group_by: ['...']",
      '  group_wait: 0s',
      '  group_interval: 1m',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: sink',
      '    webhook_configs:',
      `      - url: ${sinkUrl('/am')}`,
      '        send_resolved: false',
    ].join('\n'),
  );
  const port = await freePort();
  const proc = spawn('/usr/bin/prometheus-alertmanager', [`--config.file=${dir}/alertmanager.yml`, `--storage.path=${dir}/data`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(proc);
  const base = `http://127.0.0.1:${port}`;
  await waitReady(`${base}/-/ready`, proc, 'alertmanager');
  return {
    name: 'alertmanager',
    pid: proc.pid!,
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    async post(alerts) {
      const res = await fetch(`${base}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      if (!res.ok) throw new Error(`alertmanager ${res.status}: ${await res.text()}`);
    },
    async stop() {
      await stopChild(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startVigil(): Promise<System> {
  const port = await freePort();
  const db = new URL(BASE_DB);
  db.pathname = `/${DB_NAME}`;
  // BENCH_CPU_PROF=<dir>: Vigil writes a V8 CPU profile there when it stops (where its time went).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const proc = spawn(process.execPath, [...prof, '--import', 'tsx', 'services/alerting/src/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: db.toString(), KAFKA_NAMESPACE: NAMESPACE, PORT: String(port), LOG_LEVEL: 'error', DATABASE_POOL_MAX: '20', VIGIL_BOOTSTRAP_API_KEY: KEY, VIGIL_BOOTSTRAP_TENANT: 'bench' },
    // Errors (JSON log lines) go to a file named at the end, so a failure can be looked into.
    stdio: ['ignore', openSync(VIGIL_LOG, 'w'), 'inherit'],
  });
  children.add(proc);
  const base = `http://127.0.0.1:${port}`;
  await waitReady(`${base}/readyz`, proc, 'vigil alerting');
  const call = async (method: string, p: string, body: unknown) => {
    const res = await fetch(`${base}${p}`, { method, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`vigil ${method} ${p} ${res.status}: ${await res.text()}`);
  };
  await call('PUT', '/v1/receivers/sink', { kind: 'webhook', url: sinkUrl('/vigil'), secret: 'bench-secret-0123456789' });
  await call('PUT', '/v1/routing', { route: { receiver: 'sink', group_by: ['...'], group_wait: '0s', group_interval: '1m', repeat_interval: '1h' }, inhibit_rules: [] });
  return {
    name: 'vigil',
    pid: proc.pid!,
    metrics: async () => (await fetch(`${base}/metrics`)).text(),
    // Like an Alertmanager client (Prometheus), retry on 503; the latency keeps counting.
    async post(alerts) {
      for (;;) {
        const res = await fetch(`${base}/api/v2/alerts`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
        if (res.ok) return;
        if (res.status !== 503) throw new Error(`vigil ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
        busyRetries++;
        await sleep(200);
      }
    },
    async stop() {
      await stopChild(proc);
    },
  };
}

// ---- the measurements -------------------------------------------------------------------------
const alert = (phase: string, sys: string, i: number) => ({ labels: { alertname: 'BenchAlert', bench_id: `${sys}-${phase}-${i}`, instance: `host-${i % 50}`, severity: 'warning' }, annotations: { summary: `bench alert ${i}` } });

async function waitArrivals(ids: string[], timeoutMs = 300_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ids.every((id) => arrivals.has(id))) return Math.max(...ids.map((id) => arrivals.get(id)!));
    await sleep(20);
  }
  throw new Error(`only ${ids.filter((id) => arrivals.has(id)).length}/${ids.length} notifications arrived`);
}

async function burst(sys: System, n = N, phase = 'burst') {
  const ids = Array.from({ length: n }, (_, i) => `${sys.name}-${phase}-${i}`);
  const batches = Array.from({ length: Math.ceil(n / BURST_BATCH) }, (_, b) => Array.from({ length: Math.min(BURST_BATCH, n - b * BURST_BATCH) }, (_, k) => alert(phase, sys.name, b * BURST_BATCH + k)));
  const start = now();
  let next = 0;
  await Promise.all(Array.from({ length: BURST_IN_FLIGHT }, async () => {
    for (let b = batches[next++]; b; b = batches[next++]) await sys.post(b);
  }));
  const accepted = now();
  const last = await waitArrivals(ids, Math.max(300_000, n * 20));
  return { seconds: (last - start) / 1000, ingestSeconds: (accepted - start) / 1000, perSecond: n / ((last - start) / 1000) };
}

async function paced(sys: System) {
  const total = RATE * PACED_SECONDS;
  const perTick = Math.round((RATE * TICK_MS) / 1000);
  const sent = new Map<string, number>();
  const posts: Promise<void>[] = [];
  const start = now();
  for (let i = 0, tick = 0; i < total; tick++) {
    const due = start + tick * TICK_MS;
    if (due > now()) await sleep(due - now());
    const batch = Array.from({ length: Math.min(perTick, total - i) }, (_, k) => alert('paced', sys.name, i + k));
    const at = now();
    for (const a of batch) sent.set(a.labels.bench_id, at);
    posts.push(sys.post(batch));
    i += batch.length;
  }
  await Promise.all(posts);
  const ids = [...sent.keys()];
  const last = await waitArrivals(ids);
  const lat = ids.map((id) => arrivals.get(id)! - sent.get(id)!).sort((a, b) => a - b);
  return { alerts: total, seconds: (last - start) / 1000, p50: pct(lat, 50), p99: pct(lat, 99), max: lat[lat.length - 1]! };
}

async function measure(sys: System) {
  await sys.post([alert('warmup', sys.name, 0)]);
  await waitArrivals([`${sys.name}-warmup-0`], 60_000);
  const b = await burst(sys);
  console.log(`${sys.name}: burst of ${N} alerts: all notified in ${round(b.seconds, 2)} s (API accepted them in ${round(b.ingestSeconds, 2)} s) -> ${round(b.perSecond)} alerts/s`);
  const p = await paced(sys);
  console.log(`${sys.name}: ${RATE} alerts/s for ${PACED_SECONDS} s: p50 ${round(p.p50)} ms, p99 ${round(p.p99)} ms, max ${round(p.max)} ms; last notification after ${round(p.seconds, 2)} s`);
  const l = LARGE > 0 ? await large(sys) : undefined;
  return { burst: b, paced: p, large: l };
}

// ---- the large burst: where each system's time goes -------------------------------------------
let clockTicks = 100;
try {
  clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // the usual value
}
/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / clockTicks;
  } catch {
    return 0;
  }
}

/** Prometheus text: the sum of every series of `name` whose labels contain `having`. */
function metricSum(text: string, name: string, having = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== '{' && line[name.length] !== ' ') || !line.includes(having)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
  }
  return sum;
}

/**
 * Samples Vigil's PostgreSQL backends while the burst runs (from the `postgres` database, so the
 * sampler is not one of them): their CPU seconds, and which statements they were seen running.
 */
class BackendSampler {
  private readonly base = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly seen = new Map<string, number>();
  private samples = 0;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly client: pg.Client;
  constructor(private readonly db: string) {
    const admin = new URL(BASE_DB);
    admin.pathname = '/postgres';
    this.client = new pg.Client({ connectionString: admin.toString() });
  }

  async start(): Promise<void> {
    await this.client.connect();
    for (const pid of (await this.client.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [this.db])).rows.map((r) => r.pid as number)) this.base.set(pid, cpuSeconds(pid));
    this.timer = setInterval(() => {
      this.running ??= this.sample().finally(() => (this.running = undefined));
    }, 50);
  }

  private async sample(): Promise<void> {
    const { rows } = await this.client.query(
      `SELECT pid, state, left(regexp_replace(query, '\\s+', ' ', 'g'), 72) AS q FROM pg_stat_activity WHERE datname = $1`,
      [this.db],
    );
    this.samples++;
    for (const r of rows) {
      this.last.set(r.pid as number, cpuSeconds(r.pid as number));
      if (r.state === 'active') this.seen.set(r.q as string, (this.seen.get(r.q as string) ?? 0) + 1);
    }
  }

  async stop() {
    clearInterval(this.timer);
    await this.running;
    await this.sample();
    await this.client.end();
    let cpu = 0;
    for (const [pid, at] of this.last) cpu += Math.max(0, at - (this.base.get(pid) ?? 0));
    const total = [...this.seen.values()].reduce((a, b) => a + b, 0);
    const statements = [...this.seen].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([q, n]) => ({ statement: q, share: round(n / Math.max(1, total), 2) }));
    return { cpuSeconds: round(cpu, 1), busyBackendsAvg: round(total / Math.max(1, this.samples), 2), statements };
  }
}

async function large(sys: System) {
  const before = await sys.metrics();
  const cpu0 = cpuSeconds(sys.pid);
  const benchCpu0 = process.cpuUsage();
  const sampler = sys.name === 'vigil' ? new BackendSampler(DB_NAME) : undefined;
  await sampler?.start();
  const b = await burst(sys, LARGE, 'large');
  const pgSide = await sampler?.stop();
  const cpu = round(cpuSeconds(sys.pid) - cpu0, 1);
  const benchCpu = process.cpuUsage(benchCpu0);
  const after = await sys.metrics();
  const delta = (name: string, having = '') => metricSum(after, name, having) - metricSum(before, name, having);
  const out: Record<string, unknown> = {
    alerts: LARGE,
    seconds: round(b.seconds, 2),
    apiSeconds: round(b.ingestSeconds, 2),
    alertsPerSecond: round(b.perSecond),
    processCpuSeconds: cpu,
    sinkAndLoadCpuSeconds: round((benchCpu.user + benchCpu.system) / 1e6, 1),
  };
  if (sys.name === 'alertmanager') {
    const received = delta('alertmanager_alerts_received_total');
    const sent = delta('alertmanager_notifications_total', 'integration="webhook"');
    const latency = delta('alertmanager_notification_latency_seconds_sum', 'integration="webhook"') / Math.max(1, delta('alertmanager_notification_latency_seconds_count', 'integration="webhook"'));
    // Every alert arrived (waitArrivals), so the channel dropped none; the API answering only as fast
    // as the dispatcher drains shows it blocked instead.
    Object.assign(out, { received, notificationsSent: sent, meanSendMs: round(latency * 1000, 1), dropped: LARGE - [...arrivals.keys()].filter((k) => k.startsWith('alertmanager-large-')).length });
  } else {
    const stages = await vigilStages();
    Object.assign(out, { postgres: pgSide, stages });
  }
  console.log(`${sys.name}: burst of ${LARGE} alerts: all notified in ${out.seconds} s (API accepted them in ${out.apiSeconds} s) -> ${out.alertsPerSecond} alerts/s; CPU: process ${cpu} s${pgSide ? `, PostgreSQL backends ${pgSide.cpuSeconds} s` : ''}, bench (sink + load) ${out.sinkAndLoadCpuSeconds} s`);
  return out;
}

/** Per alert of the large burst, from Vigil's own timestamps: accepted → notification queued → delivered. */
async function vigilStages() {
  const db = new URL(BASE_DB);
  db.pathname = `/${DB_NAME}`;
  const client = new pg.Client({ connectionString: db.toString() });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM n.created_at - a.starts_at) * 1000) AS queued,
              percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM n.delivered_at - n.created_at) * 1000) AS delivered
       FROM alerting.alerts a JOIN alerting.notification_alerts l ON l.alert_id = a.id JOIN alerting.notifications n ON n.id = l.notification_id
       WHERE a.labels->>'bench_id' LIKE 'vigil-large-%'`,
    );
    const [q, d] = [rows[0].queued as number[], rows[0].delivered as number[]];
    return { acceptedToQueuedMs: { p50: round(q[0]!), p99: round(q[1]!) }, queuedToDeliveredMs: { p50: round(d[0]!), p99: round(d[1]!) } };
  } finally {
    await client.end();
  }
}

async function cleanup(): Promise<void> {
  const admin = new URL(BASE_DB);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  // BENCH_KEEP_DB=1 leaves the database for a look at its plans afterwards.
  if (process.env.BENCH_KEEP_DB) console.log(`kept database ${DB_NAME}`);
  else await client.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
  await client.end();
  const kafka = new Kafka({ clientId: 'bench-alerting-cleanup', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING }).admin();
  await kafka.connect();
  const topics = (await kafka.listTopics()).filter((t) => t.startsWith(`${NAMESPACE}.`));
  if (topics.length) await kafka.deleteTopics({ topics }).catch(() => undefined);
  await kafka.disconnect();
}

console.log(
  `bench:alerting: ${N} alerts burst, ${RATE}/s for ${PACED_SECONDS} s paced${LARGE ? `, then a burst of ${LARGE}` : ''}; one alert per group, group_wait 0; one webhook sink; ` +
    `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores`,
);
// BENCH_ONLY=vigil skips Alertmanager (for profiling runs; the ratio then is not reported).
const ONLY = process.env.BENCH_ONLY;
let amResult: Awaited<ReturnType<typeof measure>> | undefined;
if (ONLY !== 'vigil') {
  const am = await startAlertmanager();
  try {
    amResult = await measure(am);
  } finally {
    await am.stop();
  }
}
const vigil = await startVigil();
let vigilResult;
try {
  vigilResult = await measure(vigil);
} finally {
  await vigil.stop();
  await cleanup().catch((err: Error) => console.error('cleanup failed:', err.message));
  sink.close();
}
console.log(`duplicates received: ${duplicates}; vigil 503 retries: ${busyRetries}`);
const vigilErrors = readFileSync(VIGIL_LOG, 'utf8').split('\n').filter(Boolean).length;
console.log(`vigil error log lines: ${vigilErrors}${vigilErrors ? ` (see ${VIGIL_LOG})` : ''}`);
const ratio = amResult ? vigilResult.burst.perSecond / amResult.burst.perSecond : NaN;
const loadEnd = loadavg()[0]!;
console.log(`throughput ratio vigil/alertmanager: ${round(ratio, 2)}; load average at start ${loadStart.toFixed(2)}, at end ${loadEnd.toFixed(2)}`);
console.log(
  JSON.stringify({
    bench: 'alerting',
    alerts: N,
    loadAvg1m: { start: round(loadStart, 2), end: round(loadEnd, 2) },
    cores: availableParallelism(),
    vigil: { alertsPerSecond: round(vigilResult.burst.perSecond), burstSeconds: round(vigilResult.burst.seconds, 2), apiSeconds: round(vigilResult.burst.ingestSeconds, 2), pacedRate: RATE, p50Ms: round(vigilResult.paced.p50), p99Ms: round(vigilResult.paced.p99) },
    alertmanager: amResult && { alertsPerSecond: round(amResult.burst.perSecond), burstSeconds: round(amResult.burst.seconds, 2), apiSeconds: round(amResult.burst.ingestSeconds, 2), pacedRate: RATE, p50Ms: round(amResult.paced.p50), p99Ms: round(amResult.paced.p99) },
    ratio: round(ratio, 2),
    duplicates,
    vigilBusyRetries: busyRetries,
    ...(LARGE ? { large: { vigil: vigilResult.large, alertmanager: amResult?.large } } : {}),
    goals: { ratioAtLeast1: ratio >= 1, p99AtMost100MsAt500: vigilResult.paced.p99 <= 100, noDuplicates: duplicates === 0 },
  }),
);
process.exit(0);
