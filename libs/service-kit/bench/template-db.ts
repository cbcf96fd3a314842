// What template databases save: time to get a migrated test database by migrating from scratch
// (what every test file did before) versus copying the migrated template; both include building
// (and closing) the apps on the new database, as a test file does.
// Run: npx tsx libs/service-kit/bench/template-db.ts
import { performance } from 'node:perf_hooks';
import * as alerting from '../../../services/alerting/src/app.js';
import { loadServiceConfig as alertingConfig } from '../../../services/alerting/src/config.js';
import * as dr from '../../../services/dr-orchestrator/src/app.js';
import { loadServiceConfig as drConfig } from '../../../services/dr-orchestrator/src/config.js';
import * as errorIngest from '../../../services/error-ingest/src/app.js';
import { loadServiceConfig as errorIngestConfig } from '../../../services/error-ingest/src/config.js';
import * as gdpr from '../../../services/gdpr/src/app.js';
import { loadServiceConfig as gdprConfig } from '../../../services/gdpr/src/config.js';
import * as perf from '../../../services/perf-collector/src/app.js';
import { loadServiceConfig as perfConfig } from '../../../services/perf-collector/src/config.js';
import { createTestEnv, dropDatabase, onServer, testTemplate, type AppBuilder } from '../src/testing/index.js';

const sets: Record<string, AppBuilder[]> = {
  gdpr: [(env) => gdpr.buildApp(gdprConfig(env))],
  alerting: [(env) => alerting.buildApp(alertingConfig(env))],
  platform: [
    (env) => gdpr.buildApp(gdprConfig(env)),
    (env) => perf.buildApp(perfConfig(env)),
    (env) => alerting.buildApp(alertingConfig(env)),
    (env) => errorIngest.buildApp(errorIngestConfig(env)),
    (env) => dr.buildApp(drConfig(env)),
  ],
};
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const [label, builders] of Object.entries(sets)) {
  const scratch: number[] = [];
  const cloned: number[] = [];
  const build = async (env: Record<string, string>) => {
    const apps = [];
    for (const b of builders) apps.push(await b(env));
    return apps;
  };
  const template = (await testTemplate({ label: `bench${label}`, build }))!;
  for (let i = 0; i < ROUNDS; i++) {
    const a = await createTestEnv('benchscratch');
    let t = performance.now();
    for (const app of await build(a.env)) await app.close(); // createServiceApp creates the database and migrates
    scratch.push(performance.now() - t);
    await dropDatabase(new URL(a.databaseUrl).pathname.slice(1));

    t = performance.now();
    const b = await createTestEnv('benchclone', { template });
    for (const app of await build(b.env)) await app.close(); // the migrations are already applied: only their check runs
    cloned.push(performance.now() - t);
    await dropDatabase(new URL(b.databaseUrl).pathname.slice(1));
  }
  console.log(`${label}: migrate from scratch median ${median(scratch).toFixed(0)} ms, clone from template + build median ${median(cloned).toFixed(0)} ms (${ROUNDS} rounds)`);
  await onServer((c) => c.query(`DROP DATABASE IF EXISTS "${template}"`));
}
process.exit(0);
