// Migrated template databases for tests. A test database is a copy of a template
// (`CREATE DATABASE … TEMPLATE …`, a file copy) instead of being migrated from scratch. The
// template's name carries a hash of every migration file, so a branch or worktree with other
// migrations gets its own template and never a stale one; an advisory lock on the server's
// `postgres` database makes creating it safe across parallel vitest forks.
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, dropDatabase, onServer, quoteIdent, TEST_BROKERS } from './env.js';

/** Bump when what goes into a template changes in a way the migration files do not show. */
const RECIPE = 'vigil-template-v1';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface TemplateOptions {
  /** Names the template; one per set of apps built into it (e.g. 'alerting', 'platform'). */
  label: string;
  /**
   * Builds (without readying) the apps whose migrations make up the template, on `env`, and
   * returns them; they are closed right after. createServiceApp migrates while it builds.
   */
  build: (env: Record<string, string>) => Promise<{ close(): PromiseLike<unknown> }[]>;
  /** Migration folders outside the usual places (libs/service-kit/migrations, services/<s>/migrations, apps/<a>/migrations). */
  migrationDirs?: string[];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

async function migrationFiles(extra: string[]): Promise<string[]> {
  const dirs = [path.join(ROOT, 'libs/service-kit/migrations'), ...extra.map((d) => path.resolve(d))];
  for (const group of ['services', 'apps']) {
    const names = await readdir(path.join(ROOT, group)).catch(() => [] as string[]);
    for (const n of names) dirs.push(path.join(ROOT, group, n, 'migrations'));
  }
  const files = (await Promise.all(dirs.map(filesUnder))).flat();
  files.push(path.join(ROOT, 'libs/events/src/migrations.ts'));
  return [...new Set(files)].filter((f) => !f.includes('node_modules')).sort();
}

/** The template database name for `label` under the current migration files. */
export async function templateName(label: string, migrationDirs: string[] = []): Promise<string> {
  const hash = createHash('sha256').update(RECIPE).update(label);
  for (const f of await migrationFiles(migrationDirs)) {
    if (!(await stat(f).catch(() => undefined))?.isFile()) continue;
    hash.update(path.relative(ROOT, f)).update('\0').update(await readFile(f)).update('\0');
  }
  const safe = label.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 24);
  return `vigil_tpl_${safe}_${hash.digest('hex').slice(0, 16)}`;
}

const inProcess = new Map<string, Promise<string>>();

/**
 * Returns the name of the migrated template for `o.label`, creating it first if no process has
 * yet. Set VIGIL_TEST_TEMPLATES=off to get undefined (each test database is then migrated from scratch).
 */
export async function testTemplate(o: TemplateOptions): Promise<string | undefined> {
  if (process.env.VIGIL_TEST_TEMPLATES === 'off') return undefined;
  const name = await templateName(o.label, o.migrationDirs);
  let pending = inProcess.get(name);
  if (!pending) {
    pending = ensureTemplate(name, o);
    inProcess.set(name, pending);
    pending.catch(() => inProcess.delete(name));
  }
  return pending;
}

async function ensureTemplate(name: string, o: TemplateOptions): Promise<string> {
  await onServer(async (c) => {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [`vigil-test-template:${name}`]);
    try {
      if ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) return;
      // Built under another name and renamed when complete: a template that exists is a finished one.
      const building = `vigil_tplb_${randomBytes(6).toString('hex')}`;
      await c.query(`CREATE DATABASE ${quoteIdent(building)}`);
      try {
        const apps = await o.build({
          DATABASE_URL: databaseUrl(building),
          KAFKA_NAMESPACE: `tpl-${randomBytes(4).toString('hex')}`,
          KAFKA_BROKERS: TEST_BROKERS,
          REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
          LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
          KAFKA_TOPIC_PARTITIONS: '1',
          PORT: '0',
        });
        for (const app of apps) await app.close();
        await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [building]);
        await c.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(name)}`);
        // Nobody connects to a template by accident (a connected template cannot be copied).
        await c.query(`ALTER DATABASE ${quoteIdent(name)} WITH ALLOW_CONNECTIONS false`);
      } catch (err) {
        await dropDatabase(building).catch(() => undefined);
        throw err;
      }
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [`vigil-test-template:${name}`]).catch(() => undefined);
    }
  });
  return name;
}
