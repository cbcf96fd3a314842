// `npm start`: the whole platform on this machine. Installs if needed, starts the local Kafka
// unless one is configured, builds the console's web app when it is missing or stale, boots the
// five services and the console (each migrates its own schema) and prints the console's URL
// first. On the first start the console sets Vigil up to watch itself. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Supervisor } from './supervisor.mjs';
import { checkDatabases, ensureInstalled, kafkaIsLocal, localKafka, portOpen, root, startKafka, stopKafka } from './infra.mjs';

// VIGIL_PORT_BASE moves the whole platform (console on the base, services on base+1..base+5; replica r of a
// service, counted from 0, on base + 10·r + its number). `--replicas N` or VIGIL_REPLICAS runs N of each service.
const BASE = Number(process.env.VIGIL_PORT_BASE ?? 4100);
const replicasArg = process.argv.indexOf('--replicas');
const REPLICAS = Number(replicasArg > 0 ? process.argv[replicasArg + 1] : (process.env.VIGIL_REPLICAS ?? 1));
if (!Number.isInteger(REPLICAS) || REPLICAS < 1 || REPLICAS > 9) {
  console.error(`[vigil] --replicas must be an integer from 1 to 9 (got ${replicasArg > 0 ? process.argv[replicasArg + 1] : process.env.VIGIL_REPLICAS})`);
  process.exit(2);
}
export const SERVICES = [
  { name: 'gdpr', port: BASE + 1, url: 'CONSOLE_GDPR_URL' },
  { name: 'perf-collector', port: BASE + 2, url: 'CONSOLE_PERF_URL' },
  { name: 'alerting', port: BASE + 3, url: 'CONSOLE_ALERTING_URL' },
  { name: 'error-ingest', port: BASE + 4, url: 'CONSOLE_ERRORS_URL' },
  { name: 'dr-orchestrator', port: BASE + 5, url: 'CONSOLE_DR_URL' },
];
const replicaPorts = (s) => Array.from({ length: REPLICAS }, (_, r) => s.port + 10 * r);
export const CONSOLE_PORT = BASE;

const DATA = path.join(root, '.data');
const CONSOLE_URL = `http://127.0.0.1:${CONSOLE_PORT}`;
const PASSWORD_FILE = process.env.CONSOLE_INITIAL_PASSWORD_FILE ?? path.join(DATA, 'console-admin-password');
const DSN_FILE = process.env.CONSOLE_SELF_DSN_FILE ?? path.join(DATA, 'vigil-sentry-dsn');
const WEB = path.join(root, 'apps', 'console', 'web');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const token = (n) => [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

/** A development admin key kept in .data/dev-api-key (git-ignored, mode 600); never printed. */
function devApiKey() {
  if (process.env.VIGIL_BOOTSTRAP_API_KEY) return { key: process.env.VIGIL_BOOTSTRAP_API_KEY, file: undefined };
  const file = path.join(DATA, 'dev-api-key');
  if (!existsSync(file)) {
    mkdirSync(DATA, { recursive: true });
    writeFileSync(file, `vgl_${token(12)}_${token(32)}\n`, { mode: 0o600 });
  }
  return { key: readFileSync(file, 'utf8').trim(), file };
}

/** Newest modification time under a path (files only). */
function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)));
  return max;
}

/** Builds the web app when web/dist is missing or older than its sources. */
function ensureWebBuilt() {
  const built = path.join(WEB, 'dist', 'index.html');
  const sources = Math.max(newest(path.join(WEB, 'src')), newest(path.join(WEB, 'index.html')), newest(path.join(WEB, 'vite.config.ts')), newest(path.join(WEB, 'vite-precompress.ts')), newest(path.join(WEB, 'public')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  console.log(existsSync(built) ? '[vigil] the console web app is older than its sources; rebuilding' : '[vigil] building the console web app');
  // Always a production build: under NODE_ENV=test (or development) vite ships React's development build.
  const r = spawnSync('npm', ['run', 'build:web', '-w', '@vigil/console'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error('building the console web app failed (npm run build:web -w @vigil/console)');
}

ensureInstalled();
await checkDatabases();
// Only a broker this script started is stopped on exit.
const startedKafka = kafkaIsLocal() && !(await portOpen(localKafka().firstPort));
// KAFKA_LOCAL_PROFILE=cluster: the three local brokers, and topics replicated three times (min.insync.replicas=2).
const kafkaEnv = process.env.KAFKA_BROKERS ? {} : { KAFKA_BROKERS: localKafka().brokers, KAFKA_REPLICATION_FACTOR: process.env.KAFKA_REPLICATION_FACTOR ?? String(localKafka().replicationFactor) };
startKafka();
ensureWebBuilt();
const { key, file } = devApiKey();

let stopping = false;
/** What the banner waits for and lists: every process's name and port. */
const processes = [];
const supervisor = new Supervisor();

function run(name, cwd, entry, port, env) {
  supervisor.add({
    name,
    start: () =>
      spawn(process.execPath, ['--import', 'tsx', entry], {
        cwd,
        env: { ...process.env, ...kafkaEnv, PORT: String(port), VIGIL_BOOTSTRAP_API_KEY: key, ...env },
        stdio: ['ignore', 'inherit', 'inherit'],
      }),
  });
  processes.push({ name, port });
}

// SDKs reach error-ingest through the console, so DSNs name the console's address. Once the
// first-start seed has written the "vigil" project's DSN, every service reports its own errors
// there (services started before it exists pick it up from the file: VIGIL_SENTRY_DSN_FILE).
const selfReport = {
  ERRORS_PUBLIC_URL: process.env.ERRORS_PUBLIC_URL ?? CONSOLE_URL,
  DR_RUNBOOK_BASE_URL: process.env.DR_RUNBOOK_BASE_URL ?? `${CONSOLE_URL}/runbooks`,
  VIGIL_SENTRY_DSN_FILE: DSN_FILE,
  VIGIL_SELF_METRICS_URL: process.env.VIGIL_SELF_METRICS_URL ?? `http://127.0.0.1:${BASE + 2}/v1/metrics`,
};
for (const s of SERVICES) {
  for (const [r, port] of replicaPorts(s).entries()) {
    const name = REPLICAS > 1 ? `${s.name}-${r + 1}` : s.name;
    run(name, path.join(root, 'services', s.name), 'src/server.ts', port, { ...selfReport, ...(REPLICAS > 1 ? { VIGIL_INSTANCE: String(r + 1) } : {}) });
  }
}
run('console', path.join(root, 'apps', 'console'), 'server/server.ts', CONSOLE_PORT, {
  ...selfReport,
  CONSOLE_SELF_SEED: process.env.CONSOLE_SELF_SEED ?? 'true',
  CONSOLE_INITIAL_PASSWORD_FILE: PASSWORD_FILE,
  CONSOLE_SELF_DSN_FILE: DSN_FILE,
  // With replicas, a comma-separated list: the front door spreads requests over the healthy ones.
  ...Object.fromEntries(SERVICES.map((s) => [s.url, replicaPorts(s).map((p) => `http://127.0.0.1:${p}`).join(',')])),
});

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n[vigil] stopping');
  await supervisor.stop();
  if (startedKafka && !process.env.VIGIL_KEEP_KAFKA) stopKafka();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const deadline = Date.now() + 120_000;
for (const s of processes) {
  while (!(await portOpen(s.port)) && Date.now() < deadline && !stopping) await new Promise((r) => setTimeout(r, 300));
}
const notUp = [];
for (const s of processes) if (!(await portOpen(s.port))) notUp.push(s.name);
if (notUp.length && !stopping) console.log(`[vigil] still starting after two minutes: ${notUp.join(', ')}`);
if (!stopping) {
  const rel = (p) => (path.relative(root, p).startsWith('..') ? p : path.relative(root, p));
  console.log(`\n[vigil] platform running — console ${CONSOLE_URL}`);
  console.log(
    existsSync(PASSWORD_FILE)
      ? `  sign in as ${process.env.CONSOLE_ADMIN_EMAIL ?? 'admin@vigil.local'}; the initial password is in ${rel(PASSWORD_FILE)} until you change it at first sign-in`
      : `  sign in as ${process.env.CONSOLE_ADMIN_EMAIL ?? 'admin@vigil.local'}`,
  );
  console.log('\n  services behind it:');
  for (const s of processes.filter((c) => c.name !== 'console')) console.log(`  ${s.name.padEnd(18)} http://127.0.0.1:${s.port}   docs http://127.0.0.1:${s.port}/docs`);
  console.log(`  kafka              ${process.env.KAFKA_BROKERS ?? localKafka().brokers}`);
  console.log(file ? `  admin API key      in ${rel(file)} (tenant "default")` : '  admin API key      from VIGIL_BOOTSTRAP_API_KEY');
  console.log('  A process that crashes is restarted (with backoff; given up after 5 crashes in 60 s). Ctrl-C stops everything.');
}
