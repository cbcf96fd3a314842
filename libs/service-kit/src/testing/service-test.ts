// `serviceTest` / `platformTest`: vitest fixtures that give a test file its own database
// (cloned from a migrated template), its own Kafka namespace, and the service app(s) built on
// them and ready; everything is closed and dropped when the file is done.
import { test as base } from '@vitest/runner';
import type { Role } from '../db/api-keys.js';
import { ensureDatabase } from '../db/pool.js';
import { createTestEnv, type TestEnv } from './env.js';
import { testTemplate } from './template.js';

/** What the fixtures need of an app (a FastifyInstance fits). */
export interface TestableApp {
  ready(): PromiseLike<unknown>;
  close(): PromiseLike<unknown>;
}

export type AppBuilder<A extends TestableApp = TestableApp> = (env: Record<string, string>) => Promise<A>;

export interface TestKit extends TestEnv {
  /** `{ authorization: 'Bearer <key>' }` for a new key of `tenantId` (default 'acme', role 'admin'). */
  auth(tenantId?: string, role?: Role): Promise<{ authorization: string }>;
}

interface CommonOptions {
  /** Names the database, the Kafka namespace and the template (letters and digits). */
  label: string;
  /** Extra variables over the test env (database, namespace, brokers, silent logs, port 0). */
  env?: Record<string, string>;
  /** Extra migration folders the app uses outside libs/service-kit, services/* and apps/* (test fixtures). */
  migrationDirs?: string[];
}

export interface ServiceTestOptions<A extends TestableApp> extends CommonOptions {
  /** Builds the app from env, the way its server.ts does: `(env) => buildApp(loadServiceConfig(env))`. */
  build: AppBuilder<A>;
}

export interface PlatformTestOptions<M extends Record<string, AppBuilder>> extends CommonOptions {
  /** Several apps on one database and namespace, built in order and readied together. */
  apps: M;
}

async function kitFor(o: CommonOptions, builders: AppBuilder[]): Promise<TestKit> {
  const template = await testTemplate({
    label: o.label,
    migrationDirs: o.migrationDirs,
    build: async (env) => {
      const apps: TestableApp[] = [];
      try {
        for (const b of builders) apps.push(await b({ ...env, ...o.env }));
      } catch (err) {
        for (const a of apps) await a.close();
        throw err;
      }
      return apps;
    },
  });
  const env = await createTestEnv(o.label, { template });
  return {
    ...env,
    env: { ...env.env, ...o.env },
    async auth(tenantId = 'acme', role: Role = 'admin') {
      return { authorization: `Bearer ${await env.apiKey(tenantId, role)}` };
    },
  };
}

async function startAll(kit: TestKit, builders: AppBuilder[]): Promise<TestableApp[]> {
  const apps: TestableApp[] = [];
  try {
    for (const b of builders) apps.push(await b(kit.env));
    await Promise.all(apps.map((a) => a.ready()));
    return apps;
  } catch (err) {
    await Promise.all(apps.map((a) => Promise.resolve(a.close()).catch(() => undefined)));
    throw err;
  }
}

/**
 * A vitest `test` whose file-scoped fixtures are `kit` (database, namespace, keys) and `app`
 * (built on them and ready). The first test that asks for `app` builds it; the file's end closes it.
 */
export function serviceTest<A extends TestableApp>(o: ServiceTestOptions<A>) {
  return base.extend<{ kit: TestKit; app: A }>({
    kit: [
      // eslint-disable-next-line no-empty-pattern
      async ({}, use) => {
        const kit = await kitFor(o, [o.build]);
        try {
          await use(kit);
        } finally {
          await kit.cleanup();
        }
      },
      { scope: 'file' },
    ],
    app: [
      async ({ kit }, use) => {
        const [app] = (await startAll(kit, [o.build])) as [A];
        try {
          await use(app);
        } finally {
          await app.close();
        }
      },
      { scope: 'file' },
    ],
  });
}

/** A test whose file-scoped `kit` fixture holds an empty database of its own (created) and a Kafka namespace; no app. */
export function databaseTest(o: CommonOptions) {
  return base.extend<{ kit: TestKit }>({
    kit: [
      // eslint-disable-next-line no-empty-pattern
      async ({}, use) => {
        const env = await createTestEnv(o.label);
        await ensureDatabase(env.databaseUrl);
        const kit: TestKit = {
          ...env,
          env: { ...env.env, ...o.env },
          auth: async () => {
            throw new Error('databaseTest has no identity schema: use serviceTest for API keys');
          },
        };
        try {
          await use(kit);
        } finally {
          await kit.cleanup();
        }
      },
      { scope: 'file' },
    ],
  });
}

type Built<M extends Record<string, AppBuilder>> = { [K in keyof M]: Awaited<ReturnType<M[K]>> };

/** Like serviceTest, for several services on one database and Kafka namespace: fixture `apps`. */
export function platformTest<M extends Record<string, AppBuilder>>(o: PlatformTestOptions<M>) {
  const names = Object.keys(o.apps) as (keyof M & string)[];
  const builders = names.map((n) => o.apps[n]!);
  return base.extend<{ kit: TestKit; apps: Built<M> }>({
    kit: [
      // eslint-disable-next-line no-empty-pattern
      async ({}, use) => {
        const kit = await kitFor(o, builders);
        try {
          await use(kit);
        } finally {
          await kit.cleanup();
        }
      },
      { scope: 'file' },
    ],
    apps: [
      async ({ kit }, use) => {
        const started = await startAll(kit, builders);
        try {
          await use(Object.fromEntries(names.map((n, i) => [n, started[i]])) as Built<M>);
        } finally {
          await Promise.all(started.map((a) => a.close()));
        }
      },
      { scope: 'file' },
    ],
  });
}
