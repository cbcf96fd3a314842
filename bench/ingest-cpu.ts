// CPU per event of error-ingest's two roles, side by side for several checkouts of the code in one
// run (A/B on a shared machine): for each round, each code root and each event size, fresh
// ERRORS_ROLE=ingest and ERRORS_ROLE=process children (of this file) on a fresh database, a fixed
// offered rate (autocannon overallRate, so every side gets the same load), then the drain. Prints,
// per side: accepted and processed events, CPU µs per event of each process (utime + stime from
// /proc over the load, and over load + drain for the process role), the request latency and each
// process's peak RSS (VmHWM).
//   CPU_ROOTS=/work/wt/ingest,/tmp/ingest-base  CPU_LABELS=new,base  CPU_ROUNDS=2  CPU_SECONDS=20
//   CPU_SIZES=5,50  CPU_RATES=1500,300  CPU_CONNECTIONS=50  CPU_PROFILE_DIR=… (node --cpu-prof)
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { createTestEnv } from '@vigil/service-kit/testing';
import { benchServiceEnv, envelope, sentryEvent } from './ingest-events.js';

const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ROOTS = (process.env.CPU_ROOTS ?? here).split(',');
const LABELS = (process.env.CPU_LABELS ?? ROOTS.map((_, i) => `side${i}`).join(',')).split(',');
const ROUNDS = Number(process.env.CPU_ROUNDS ?? 1);
const SECONDS = Number(process.env.CPU_SECONDS ?? 20);
const SIZES = (process.env.CPU_SIZES ?? '5,50').split(',').map(Number);
const RATES = (process.env.CPU_RATES ?? '1500,300').split(',').map(Number);
const CONNECTIONS = Number(process.env.CPU_CONNECTIONS ?? 50);
const TICK_US = 1e6 / 100; // USER_HZ
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function serve(role: 'ingest' | 'process'): Promise<void> {
  const root = process.env.CPU_ROOT!;
  const { buildApp } = await import(pathToFileURL(path.join(root, 'services/error-ingest/src/app.ts')).href);
  const { loadServiceConfig } = await import(pathToFileURL(path.join(root, 'services/error-ingest/src/config.ts')).href);
  const env = JSON.parse(process.env.CPU_ENV!) as Record<string, string>;
  const config = loadServiceConfig(benchServiceEnv(env, role));
  const app = await buildApp(config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send!({ port: (app.server.address() as { port: number }).port });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

function spawn(kind: string, root: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const profile = process.env.CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CPU_PROFILE_DIR}`] : [];
  const child = fork(process.argv[1]!, [kind], { execArgv: [...process.execArgv, ...profile], env: { ...process.env, CPU_ROOT: root, CPU_ENV: JSON.stringify(env) }, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

/** utime + stime of a process, in µs. */
function cpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}
/** CPU of the PostgreSQL backends serving the bench database (the service's pools), in µs by pid. */
async function backendCpu(db: pg.Pool, database: string): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  const out = new Map<number, number>();
  for (const r of rows) {
    try {
      out.set(r.pid, cpuUs(r.pid));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
const pgDelta = (a: Map<number, number>, b: Map<number, number>) => [...b].reduce((sum, [pid, us]) => sum + us - (a.get(pid) ?? 0), 0);
const peakRss = (pid: number) => round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);

async function side(label: string, root: string, size: number, rate: number) {
  const env = await createTestEnv('benchcpu');
  const db = new pg.Pool({ connectionString: env.databaseUrl, max: 2 });
  const children: ChildProcess[] = [];
  try {
    const ingest = await spawn('serve-ingest', root, env.env);
    children.push(ingest.child);
    const proc = await spawn('serve-process', root, env.env);
    children.push(proc.child);
    const admin = await env.apiKey('bench', 'admin');
    const api = (p: string, payload: unknown) =>
      fetch(`http://127.0.0.1:${ingest.port}${p}`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(payload) }).then(
        (r) => r.json() as Promise<Record<string, string>>,
      );
    const project = await api('/v1/projects', { name: `cpu-${randomBytes(3).toString('hex')}` });
    const key = await api(`/v1/projects/${project.id}/keys`, { label: 'bench' });
    const headers = { 'content-type': 'application/x-sentry-envelope', 'x-sentry-auth': `Sentry sentry_version=7, sentry_client=bench/1.0, sentry_key=${key.publicKey}` };
    const url = `http://127.0.0.1:${ingest.port}/api/${project.id}/envelope/`;
    const body = envelope(sentryEvent(size * 1024));
    const stored = async () => Number((await db.query('SELECT count(*) FROM errors.events')).rows[0].count);
    const spooled = async () => Number((await db.query('SELECT count(*) FROM errors.accepted_events')).rows[0].count);
    const drain = async (target: number) => {
      const deadline = Date.now() + 300_000;
      while (((await stored()) < target || (await spooled()) > 0) && Date.now() < deadline) await sleep(100);
    };
    // Warm-up: JIT, pools, producer, consumer group.
    const warm = await autocannon({ url, method: 'POST', connections: 10, duration: 3, body, headers });
    await drain(warm['2xx']);
    const before = await stored();
    const database = new URL(env.databaseUrl).pathname.slice(1);
    const pg0 = await backendCpu(db, database);
    const cpu0 = { ingest: cpuUs(ingest.child.pid!), process: cpuUs(proc.child.pid!) };
    const t0 = performance.now();
    const r = await autocannon({ url, method: 'POST', connections: CONNECTIONS, duration: SECONDS, overallRate: rate, body, headers });
    const t1 = performance.now();
    const cpu1 = { ingest: cpuUs(ingest.child.pid!), process: cpuUs(proc.child.pid!) };
    const duringLoad = (await stored()) - before;
    await drain(before + r['2xx']);
    const t2 = performance.now();
    const cpu2 = cpuUs(proc.child.pid!);
    const pgUs = pgDelta(pg0, await backendCpu(db, database));
    const processed = (await stored()) - before;
    return {
      label,
      size,
      rate,
      accepted: r['2xx'],
      failed: r.non2xx + r.errors + r.timeouts,
      accepted_per_s: round(r['2xx'] / ((t1 - t0) / 1000)),
      processed_during_load_per_s: round(duringLoad / ((t1 - t0) / 1000)),
      drain_s: round((t2 - t1) / 1000, 2),
      ingest_cpu_us_per_event: round((cpu1.ingest - cpu0.ingest) / Math.max(1, r['2xx'])),
      process_cpu_us_per_event: round((cpu2 - cpu0.process) / Math.max(1, processed)),
      // Lower bound: backends that closed during the run are not counted.
      postgres_cpu_us_per_event: round(pgUs / Math.max(1, processed)),
      ingest_cpu_share: round((cpu1.ingest - cpu0.ingest) / 1e6 / ((t1 - t0) / 1000), 2),
      process_cpu_share: round((cpu2 - cpu0.process) / 1e6 / ((t2 - t0) / 1000), 2),
      p50_ms: r.latency.p50,
      p99_ms: r.latency.p99,
      rss_ingest_mib: peakRss(ingest.child.pid!),
      rss_process_mib: peakRss(proc.child.pid!),
      load1: round(loadavg()[0]!, 2),
    };
  } finally {
    for (const c of children) if (c.connected) c.disconnect();
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await db.end();
    await env.cleanup();
  }
}

async function main(): Promise<void> {
  const results: Awaited<ReturnType<typeof side>>[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, size] of SIZES.entries()) {
      // Alternate the order of the sides from round to round, so that drift in the machine's load is shared.
      const order = ROOTS.map((root, k) => ({ root, label: LABELS[k]! }));
      if (r % 2) order.reverse();
      for (const { root, label } of order) {
        const res = await side(label, root, size, RATES[i] ?? RATES[0]!);
        results.push(res);
        console.log(JSON.stringify({ round: r + 1, ...res }));
      }
    }
  }
  console.log(JSON.stringify({ bench: 'ingest-cpu', seconds: SECONDS, connections: CONNECTIONS, results }));
}

const role = process.argv[2];
if (role === 'serve-ingest') await serve('ingest');
else if (role === 'serve-process') await serve('process');
else await main();
