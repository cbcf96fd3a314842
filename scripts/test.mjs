// `npm test`: every check. Installs if needed, starts the local Kafka, then lint,
// typecheck, and the unit + integration tests (vitest) against the real infrastructure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkDatabases, ensureInstalled, root, startKafka } from './infra.mjs';

function run(label, cmd, args, cwd = root) {
  console.log(`\n[vigil] ${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env } });
  console.log(`[vigil] ${label} ${r.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('system packages', 'bash', ['scripts/system-deps.sh']);
ensureInstalled();
// infra/azure (Pulumi) is its own package with its own lockfile, not a workspace: install it when missing.
const infraAzure = path.join(root, 'infra/azure');
if (!existsSync(path.join(infraAzure, 'node_modules/.package-lock.json'))) run('install (infra/azure)', 'npm', ['ci', '--no-audit', '--no-fund'], infraAzure);
await checkDatabases();
startKafka();
run('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
run('typecheck', 'npx', ['turbo', 'run', 'typecheck', '--concurrency=2', '--output-logs=errors-only']);
run('typecheck (cross-service tests)', 'npx', ['tsc', '-p', 'test/tsconfig.json']);
run('typecheck (benchmarks)', 'npx', ['tsc', '-p', 'bench/tsconfig.json']);
run('typecheck (infra/azure)', 'npx', ['tsc', '-p', 'infra/azure/tsconfig.json']);
run('tests', 'npx', ['vitest', 'run', ...process.argv.slice(2)]);
run('tests (infra/azure, Pulumi mocks)', 'npx', ['vitest', 'run', '--config', 'infra/azure/vitest.config.ts']);
