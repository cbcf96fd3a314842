// `npm start`: the whole platform on this machine. Installs if needed, starts the local
// Kafka unless one is configured, boots the five services (each migrates its own schema)
// and prints their URLs. Ctrl-C stops everything cleanly.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkDatabases, ensureInstalled, kafkaIsLocal, portOpen, root, startKafka, stopKafka } from './infra.mjs';

export const SERVICES = [
  { name: 'gdpr', port: 4101 },
  { name: 'perf-collector', port: 4102 },
  { name: 'alerting', port: 4103 },
  { name: 'error-ingest', port: 4104 },
  { name: 'dr-orchestrator', port: 4105 },
];

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const token = (n) => [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

/** A development admin key kept in .data/dev-api-key (git-ignored, mode 600); never printed. */
function devApiKey() {
  if (process.env.VIGIL_BOOTSTRAP_API_KEY) return { key: process.env.VIGIL_BOOTSTRAP_API_KEY, file: undefined };
  const dir = path.join(root, '.data');
  const file = path.join(dir, 'dev-api-key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `vgl_${token(12)}_${token(32)}\n`, { mode: 0o600 });
  }
  return { key: readFileSync(file, 'utf8').trim(), file };
}

ensureInstalled();
await checkDatabases();
const startedKafka = kafkaIsLocal();
startKafka();
const { key, file } = devApiKey();

const children = SERVICES.map(({ name, port }) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: path.join(root, 'services', name),
    env: { PORT: String(port), ...process.env, VIGIL_BOOTSTRAP_API_KEY: key },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`[vigil] ${name} exited (${signal ?? code}); stopping the platform`);
    void shutdown(code ?? 1);
  });
  return { name, port, child };
});

let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n[vigil] stopping services');
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
  if (startedKafka && !process.env.VIGIL_KEEP_KAFKA) stopKafka();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const deadline = Date.now() + 120_000;
for (const s of children) {
  while (!(await portOpen(s.port)) && Date.now() < deadline && !stopping) await new Promise((r) => setTimeout(r, 300));
}
if (!stopping) {
  console.log('\n[vigil] platform running:');
  for (const s of children) console.log(`  ${s.name.padEnd(16)} http://127.0.0.1:${s.port}   docs http://127.0.0.1:${s.port}/docs`);
  console.log(`  kafka            ${process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'}`);
  console.log(file ? `  admin API key    in ${path.relative(root, file)} (tenant "default")` : '  admin API key    from VIGIL_BOOTSTRAP_API_KEY');
  console.log('  Ctrl-C stops everything.');
}
