// bench:collector — one full perf-collector cycle against a PostgreSQL 15 database with 1,000
// tables and 5,000 distinct statements, side by side with Debian's prometheus-postgres-exporter
// scraping the same database with the same sources (its example queries.yaml for user tables,
// statio and pg_stat_statements, with the column names of PostgreSQL 13+).
//   - cycle: wall time of POST /v1/databases/:id/collections (connect, read, deltas, score,
//     store, outbox), first cycle (no baseline) and the median of the next ones; relation
//     sizes (every 10 min) and the index advisor (hourly) are measured apart;
//   - overhead on the target: execution time the monitoring role spent on the server per
//     cycle/scrape (pg_stat_statements of that role), and as a share of a 60 s interval;
//   - ratio: our steady cycle / exporter scrape (goal <= 1.0), cycle goal <= 2 s.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createTestEnv } from '@vigil/service-kit/testing';
import { buildApp } from '../services/perf-collector/src/app.js';
import { loadServiceConfig } from '../services/perf-collector/src/config.js';
import { dropNamespaceTopics } from '../services/perf-collector/test/fixtures/app.js';
import { startScratchPostgres } from '../services/perf-collector/test/fixtures/scratch-postgres.js';

const PG_PORT = Number(process.env.BENCH_PG_PORT ?? 25450);
const EXPORTER_PORT = Number(process.env.BENCH_EXPORTER_PORT ?? 19188);
const TABLES = 1_000;
const SHAPES = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const log = (...a: unknown[]) => console.log('[bench:collector]', ...a);

execFileSync('bash', [new URL('../scripts/system-deps.sh', import.meta.url).pathname, 'prometheus-postgres-exporter'], { stdio: 'inherit' });

const target = await startScratchPostgres(PG_PORT, { settings: { 'pg_stat_statements.max': 10_000, max_connections: 100, shared_buffers: '128MB' } });
let exporter: ReturnType<typeof spawn> | undefined;
let env: Awaited<ReturnType<typeof createTestEnv>> | undefined;
try {
  log(`setting up ${TABLES} tables and ${TABLES * SHAPES} distinct statements on port ${PG_PORT}`);
  await target.sql('postgres', 'CREATE DATABASE bench');
  await target.sql(
    'bench',
    `CREATE EXTENSION pg_stat_statements;
     CREATE ROLE vigil_bench LOGIN; GRANT pg_monitor TO vigil_bench;
     CREATE ROLE exporter_bench LOGIN; GRANT pg_monitor TO exporter_bench;
     DO $$ BEGIN FOR i IN 1..${TABLES} LOOP
       EXECUTE format('CREATE TABLE t_%s (id serial PRIMARY KEY, a int NOT NULL, b text NOT NULL)', i);
       EXECUTE format('INSERT INTO t_%s (a, b) SELECT g, md5(g::text) FROM generate_series(1, 100) g', i);
       EXECUTE format('CREATE INDEX t_%s_a ON t_%s (a)', i, i);
     END LOOP; END $$;
     ANALYZE;`,
  );
  // Only the workload's statements count; the setup's DDL would inflate the figure.
  await target.sql('bench', 'SELECT pg_stat_statements_reset()');
  const work = new pg.Client({ connectionString: target.url('bench') });
  await work.connect();
  for (let i = 1; i <= TABLES; i++) {
    await work.query(`SELECT * FROM t_${i} WHERE id = $1`, [i]);
    await work.query(`SELECT count(*) FROM t_${i} WHERE a > $1`, [50]);
    await work.query(`SELECT b FROM t_${i} WHERE b = $1`, ['x']);
    await work.query(`UPDATE t_${i} SET a = a WHERE id = $1`, [1]);
    await work.query(`SELECT max(id), min(a) FROM t_${i}`);
  }
  await work.end();
  const statements = Number(
    (await target.sql('bench', `SELECT count(*) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'bench')`))[0]!.n,
  );
  log(`pg_stat_statements holds ${statements} statements for the bench database`);

  const roleExecMs = async (role: string) =>
    Number(
      (await target.sql('bench', `SELECT coalesce(sum(total_exec_time), 0) AS ms FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = $1`, [role]))[0]!.ms,
    );

  // perf-collector, through its API, exactly as a manual "collect now" runs it.
  env = await createTestEnv('benchcollector');
  const app = await buildApp(loadServiceConfig({ ...env.env, PERF_COLLECTOR_ENABLED: 'false', PERF_TARGET_TIMEOUT_MS: '60000' }));
  await app.ready();
  const headers = { authorization: `Bearer ${await env.apiKey('bench', 'write')}` };
  const reg = await app.inject({ method: 'POST', url: '/v1/databases', headers, payload: { name: 'bench', connectionString: `postgres://vigil_bench@127.0.0.1:${PG_PORT}/bench` } });
  const id = reg.json().id as string;
  const cycle = async (payload: { sizes?: boolean; advise?: boolean } = {}) => {
    const t0 = performance.now();
    const res = await app.inject({ method: 'POST', url: `/v1/databases/${id}/collections`, headers, payload });
    const ms = performance.now() - t0;
    if (res.json().status !== 'ok') throw new Error(`cycle failed: ${res.body}`);
    return ms;
  };
  const firstMs = await cycle();
  const before = await roleExecMs('vigil_bench');
  const cycles: number[] = [];
  for (let i = 0; i < RUNS; i++) cycles.push(await cycle());
  const ourExecMs = (await roleExecMs('vigil_bench')) - before;
  // The slow cadence (relation sizes, every 10 minutes) and the hourly advisor, measured apart.
  const withSizes: number[] = [];
  for (let i = 0; i < RUNS; i++) withSizes.push(await cycle({ sizes: true }));
  const withAdvisorMs = await cycle({ sizes: true, advise: true });
  const costly = await target.sql(
    'bench',
    `SELECT round((total_exec_time / calls)::numeric, 1) AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS q FROM pg_stat_statements s
     JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = 'vigil_bench' ORDER BY total_exec_time DESC LIMIT 6`,
  );
  for (const c of costly) log(`  target time per call ${c.ms} ms: ${c.q}`);
  const stored = Number((await app.infra.pool.query('SELECT count(*) AS n FROM perf.query_stats')).rows[0].n);
  await app.close();
  log(`perf-collector: first cycle ${round(firstMs)} ms, steady cycles ${cycles.map((c) => round(c)).join(', ')} ms; ${stored} statement rows stored`);
  log(`perf-collector: cycles with relation sizes ${withSizes.map((c) => round(c)).join(', ')} ms; with sizes and index advisor ${round(withAdvisorMs)} ms`);

  // prometheus-postgres-exporter with the same sources.
  const example = readFileSync('/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml', 'utf8');
  const queries = example.replace(/\b(total|min|max|mean|stddev)_time\b/g, '$1_exec_time');
  writeFileSync('/tmp/vigil-bench-queries.yaml', queries);
  exporter = spawn(
    '/usr/bin/prometheus-postgres-exporter',
    [`--web.listen-address=127.0.0.1:${EXPORTER_PORT}`, '--extend.query-path=/tmp/vigil-bench-queries.yaml', '--log.level=error'],
    { env: { ...process.env, DATA_SOURCE_NAME: `postgresql://exporter_bench@127.0.0.1:${PG_PORT}/bench?sslmode=disable` }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const scrape = async () => {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${EXPORTER_PORT}/metrics`);
    const body = await res.text();
    return { ms: performance.now() - t0, body };
  };
  for (let i = 0; ; i++) {
    try {
      await scrape();
      break;
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const warm = await scrape();
  const series = warm.body.split('\n').filter((l) => l && !l.startsWith('#')).length;
  const statementSeries = warm.body.split('\n').filter((l) => l.startsWith('pg_stat_statements_calls{')).length;
  const eBefore = await roleExecMs('exporter_bench');
  const scrapes: number[] = [];
  for (let i = 0; i < RUNS; i++) scrapes.push((await scrape()).ms);
  const exporterExecMs = (await roleExecMs('exporter_bench')) - eBefore;
  log(`prometheus-postgres-exporter 0.11: scrapes ${scrapes.map((s) => round(s)).join(', ')} ms; ${series} series, ${statementSeries} statement series`);

  const cycleMs = median(cycles);
  const scrapeMs = median(scrapes);
  const result = {
    bench: 'collector',
    tables: TABLES,
    statements,
    runs: RUNS,
    cycle_first_ms: round(firstMs),
    cycle_ms: round(cycleMs),
    cycle_with_sizes_ms: round(median(withSizes)),
    cycle_with_advisor_ms: round(withAdvisorMs),
    target_exec_ms_per_cycle: round(ourExecMs / RUNS),
    target_overhead_pct_at_60s: round((100 * ourExecMs) / RUNS / 60_000, 3),
    exporter_scrape_ms: round(scrapeMs),
    exporter_target_exec_ms_per_scrape: round(exporterExecMs / RUNS),
    exporter_series: series,
    ratio: round(cycleMs / scrapeMs, 2),
    ratio_with_sizes: round(median(withSizes) / scrapeMs, 2),
    goal_cycle_le_2s: cycleMs <= 2000,
    goal_ratio_le_1: cycleMs / scrapeMs <= 1,
  };
  log(`cycle ${result.cycle_ms} ms vs exporter scrape ${result.exporter_scrape_ms} ms: ratio ${result.ratio}`);
  console.log(JSON.stringify(result));
} finally {
  exporter?.kill('SIGTERM');
  if (env) await dropNamespaceTopics(env.env);
  await env?.cleanup().catch(() => undefined);
  await target.stop();
}
process.exit(0);
