// bench:ingest — Sentry envelope ingest under load (autocannon, concurrency 50), 5 KB and
// 50 KB events, side by side with a bare fastify route that only parses the same body;
// then how long the processing consumer takes to drain the backlog.
// The servers run in child processes (this file with `serve-…`), so the load generator
// does not share their event loop; on this machine they still share its CPUs.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import pg from 'pg';
import { createTestEnv } from '@vigil/service-kit/testing';

const DURATION = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 50;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/** A realistic Node error event of about `bytes` bytes: frames with context, breadcrumbs, contexts, tags. */
function sentryEvent(bytes: number): Record<string, unknown> {
  const frame = (n: number) => ({
    filename: n % 3 ? `/srv/app/src/orders/service-${n}.js` : `/srv/app/node_modules/express/lib/router/layer-${n}.js`,
    module: n % 3 ? `orders.service${n}` : 'express.router',
    function: `handler${n}`,
    lineno: 10 + n,
    colno: 17,
    in_app: n % 3 !== 0,
    pre_context: ['  const order = await orders.find(id);', '  if (!order) {'],
    context_line: '    throw new NotFoundError(`order ${id} not found`);',
    post_context: ['  }', '  return order;'],
  });
  const event: Record<string, unknown> & { breadcrumbs: { values: unknown[] } } = {
    platform: 'node',
    level: 'error',
    release: 'shop@4.2.0',
    environment: 'production',
    server_name: 'web-1',
    timestamp: Date.now() / 1000,
    tags: { region: 'eu-west-1', feature: 'checkout', plan: 'pro' },
    user: { id: 'u-1234', email: 'customer@example.com', ip_address: '198.51.100.7' },
    contexts: { os: { name: 'Linux', version: '6.1' }, runtime: { name: 'node', version: 'v20.11.0' }, device: { arch: 'x64', memory_size: 8_000_000_000 } },
    request: { url: 'https://shop.example.com/api/orders/123', method: 'POST', headers: { 'User-Agent': 'Mozilla/5.0', Authorization: 'Bearer abcdefghijklmnop' } },
    exception: { values: [{ type: 'NotFoundError', value: 'order 123 not found', stacktrace: { frames: Array.from({ length: 12 }, (_, n) => frame(n)) } }] },
    breadcrumbs: { values: [] },
  };
  while (JSON.stringify(event).length < bytes) {
    event.breadcrumbs.values.push({ timestamp: Date.now() / 1000, category: 'http', level: 'info', message: 'GET https://api.example.com/inventory/42 [200]', data: { status_code: 200, method: 'GET' } });
  }
  return event;
}

function envelope(event: Record<string, unknown>, dsn?: string): Buffer {
  const payload = JSON.stringify(event);
  return Buffer.from(`${JSON.stringify({ sent_at: new Date().toISOString(), ...(dsn ? { dsn } : {}) })}\n${JSON.stringify({ type: 'event', length: Buffer.byteLength(payload) })}\n${payload}\n`);
}

// ---- child processes ------------------------------------------------------------------

async function serveIngest(): Promise<void> {
  const { buildApp } = await import('../services/error-ingest/src/app.js');
  const { loadServiceConfig } = await import('../services/error-ingest/src/config.js');
  const env = JSON.parse(process.env.BENCH_ENV!) as Record<string, string>;
  const config = loadServiceConfig({ ...env, LOG_LEVEL: 'error', KAFKA_TOPIC_PARTITIONS: '3', DATABASE_POOL_MAX: '20', ERRORS_RATE_LIMIT_PER_MINUTE: '100000000', ERRORS_KEY_RATE_LIMIT_PER_MINUTE: '100000000' });
  // Topic creation on a busy shared broker sometimes fails transiently: retry the boot.
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  for (let attempt = 1; !app; attempt++) {
    const candidate = await buildApp(config);
    try {
      await candidate.listen({ host: '127.0.0.1', port: 0 });
      app = candidate;
    } catch (err) {
      await candidate.close().catch(() => undefined);
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
  const { port } = app.server.address() as { port: number };
  process.send!({ port });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

async function serveBare(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 20 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/api/:projectId/envelope/', async (req) => {
    const lines = (req.body as Buffer).toString('utf8').split('\n').filter(Boolean);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    return { id: String(parsed.length) };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send!({ port: (app.server.address() as { port: number }).port });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

function spawn(kind: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(process.argv[1]!, [kind], { execArgv: [...process.execArgv, ...(process.env.BENCH_PROFILE_DIR && kind === 'serve-ingest' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [])], env: { ...process.env, BENCH_ENV: JSON.stringify(env) }, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}`)));
  });
}

// ---- load -----------------------------------------------------------------------------

interface Load {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

async function load(url: string, body: Buffer, headers: Record<string, string>, seconds = DURATION): Promise<Load> {
  const r = await autocannon({ url, method: 'POST', connections: CONNECTIONS, duration: seconds, body, headers: { 'content-type': 'application/x-sentry-envelope', ...headers } });
  return { rps: round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, ok: r['2xx'], non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

async function main(): Promise<void> {
  const env = await createTestEnv('benchingest');
  const db = new pg.Pool({ connectionString: env.databaseUrl, max: 2 });
  const children: ChildProcess[] = [];
  try {
    const ingest = await spawn('serve-ingest', env.env);
    children.push(ingest.child);
    const bare = await spawn('serve-bare');
    children.push(bare.child);
    const admin = await env.apiKey('bench', 'admin');
    const api = (path: string, payload: unknown) =>
      fetch(`http://127.0.0.1:${ingest.port}${path}`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(payload) }).then(
        (r) => r.json() as Promise<Record<string, string>>,
      );
    const project = await api('/v1/projects', { name: `bench-${randomBytes(3).toString('hex')}` });
    const key = await api(`/v1/projects/${project.id}/keys`, { label: 'bench' });
    const auth = { 'x-sentry-auth': `Sentry sentry_version=7, sentry_client=bench/1.0, sentry_key=${key.publicKey}` };

    const pending = async () => {
      const { rows } = await db.query(`SELECT (SELECT count(*) FROM errors.accepted_events)::int AS a, (SELECT count(*) FROM errors.outbox)::int AS o`);
      return rows[0].a + rows[0].o;
    };
    const processed = async () => Number((await db.query('SELECT count(*) FROM errors.events')).rows[0].count);

    const results: Record<string, unknown> = {};
    for (const size of [5, 50]) {
      const body = envelope(sentryEvent(size * 1024));
      console.log(`-- ${size} KB events (${body.length} bytes per envelope), ${CONNECTIONS} connections, ${DURATION} s`);
      // warm-up: JIT, pools, Kafka producer, consumer group
      await load(`http://127.0.0.1:${ingest.port}/api/${project.id}/envelope/`, body, auth, 3);
      await load(`http://127.0.0.1:${bare.port}/api/1/envelope/`, body, {}, 2);
      while ((await pending()) > 0) await new Promise((r) => setTimeout(r, 500));
      const before = await processed();

      const base = await load(`http://127.0.0.1:${bare.port}/api/1/envelope/`, body, {});
      console.log(`bare fastify route: ${base.rps} req/s, p50 ${base.p50} ms, p99 ${base.p99} ms`);
      const t0 = performance.now();
      const ing = await load(`http://127.0.0.1:${ingest.port}/api/${project.id}/envelope/`, body, auth);
      const loadEnd = performance.now();
      const backlogAtEnd = await pending();
      while ((await pending()) > 0) await new Promise((r) => setTimeout(r, 200));
      const drained = performance.now();
      const done = (await processed()) - before;
      const drainSeconds = round((drained - loadEnd) / 1000, 2);
      const processingRate = round(done / ((drained - t0) / 1000));
      console.log(`error-ingest:       ${ing.rps} events/s, p50 ${ing.p50} ms, p99 ${ing.p99} ms, 2xx ${ing.ok}, non-2xx ${ing.non2xx}, errors ${ing.errors}`);
      console.log(`ratio to bare: ${round(ing.rps / base.rps, 2)}; backlog at end of load ${backlogAtEnd}, drained in ${drainSeconds} s; processed ${done} events (${processingRate}/s overall)`);
      results[`kb${size}`] = {
        envelopeBytes: body.length,
        ingestRps: ing.rps,
        ingestP50Ms: ing.p50,
        ingestP99Ms: ing.p99,
        bareRps: base.rps,
        bareP50Ms: base.p50,
        bareP99Ms: base.p99,
        ratio: round(ing.rps / base.rps, 2),
        accepted: ing.ok,
        rejected: ing.non2xx + ing.errors,
        processed: done,
        backlogAtEnd,
        drainSeconds,
        processingRate,
      };
    }
    console.log(JSON.stringify({ bench: 'ingest', connections: CONNECTIONS, seconds: DURATION, ...results }));
  } finally {
    for (const c of children) if (c.connected) c.disconnect();
    await new Promise((r) => setTimeout(r, 2_000));
    await db.end();
    await env.cleanup();
  }
}

const role = process.argv[2];
if (role === 'serve-ingest') await serveIngest();
else if (role === 'serve-bare') await serveBare();
else await main();
