// Shared setup for error-ingest tests: the app on its own database and Kafka namespace (the
// kit's serviceTest), an API key, a project with a DSN key, a listener on the catalog topics, helpers to send.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { EventBus, type AnyEventDefinition, type Envelope } from '@vigil/events';
import { createTestEnv, serviceTest, testTemplate, type TestEnv, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';

export interface Fixture {
  env: TestEnv | TestKit;
  app: FastifyInstance;
  auth: { authorization: string };
  project: { id: string; publicKey: string; keyId: string; dsnPath: string };
}

/** One label for every file: one migrated template database serves them all (each file gets its own copy). */
const LABEL = 'errors';

/**
 * The kit's serviceTest (the app on a database cloned from the migrated template, its own Kafka
 * namespace, readied once per file) plus `f`: an admin key of tenant acme and a project with a DSN key.
 */
export function errorIngestTest(extraEnv: Record<string, string> = {}) {
  return serviceTest({ label: LABEL, env: { ERRORS_SPIKE_MIN_COUNT: '8', ...extraEnv }, build }).extend<{ f: Fixture }>({
    f: [
      async ({ app, kit }, use) => {
        const auth = await kit.auth('acme', 'admin');
        const project = await createProject(app, auth, `p-${randomBytes(3).toString('hex')}`);
        await use({ env: kit, app, auth, project });
      },
      { scope: 'file' },
    ],
  });
}

const build = (env: Record<string, string>) => buildApp(loadServiceConfig(env));

/**
 * The same fixture with an explicit lifecycle, for a test that must order it against other
 * infrastructure (kafka-restart: the private broker starts before the app and goes after it).
 * The database is cloned from the same kind of migrated template as serviceTest's.
 */
export async function startFixture(extraEnv: Record<string, string> = {}): Promise<Fixture & { close(): Promise<void> }> {
  const template = await testTemplate({ label: LABEL, build: async (env) => [await build({ ...env, ...extraEnv })] });
  const env = await createTestEnv(LABEL, { template });
  const app = await build({ ...env.env, ERRORS_SPIKE_MIN_COUNT: '8', ...extraEnv });
  try {
    await app.ready();
  } catch (err) {
    await app.close().catch(() => undefined);
    await env.cleanup().catch(() => undefined);
    throw err;
  }
  const auth = { authorization: `Bearer ${await env.apiKey('acme', 'admin')}` };
  const project = await createProject(app, auth, `p-${randomBytes(3).toString('hex')}`);
  return {
    env,
    app,
    auth,
    project,
    async close() {
      await app.close();
      await env.cleanup();
    },
  };
}

export async function createProject(app: FastifyInstance, auth: { authorization: string }, name: string, extra: Record<string, unknown> = {}) {
  const p = await app.inject({ method: 'POST', url: '/v1/projects', headers: auth, payload: { name, ...extra } });
  if (p.statusCode !== 201) throw new Error(`project: ${p.body}`);
  const id = p.json().id as string;
  const k = await app.inject({ method: 'POST', url: `/v1/projects/${id}/keys`, headers: auth, payload: { label: 'default' } });
  if (k.statusCode !== 201) throw new Error(`key: ${k.body}`);
  return { id, publicKey: k.json().publicKey as string, keyId: k.json().id as string, dsnPath: `/api/${id}/envelope/` };
}

export const eventId = () => randomBytes(16).toString('hex');

export function envelopeOf(event: Record<string, unknown>, opts: { dsn?: string; withLength?: boolean; extraItems?: string[] } = {}): Buffer {
  const header = JSON.stringify({ event_id: event.event_id, sent_at: new Date().toISOString(), ...(opts.dsn ? { dsn: opts.dsn } : {}) });
  const payload = Buffer.from(JSON.stringify(event));
  const itemHeader = JSON.stringify(opts.withLength === false ? { type: 'event' } : { type: 'event', length: payload.length });
  return Buffer.concat([Buffer.from(`${header}\n${itemHeader}\n`), payload, Buffer.from('\n'), ...(opts.extraItems ?? []).map((i) => Buffer.from(i))]);
}

export function sentryAuth(publicKey: string) {
  return { 'x-sentry-auth': `Sentry sentry_version=7, sentry_client=test/1.0, sentry_key=${publicKey}` };
}

export async function sendEnvelope(f: Fixture, event: Record<string, unknown>, opts: { gzip?: boolean; project?: Fixture['project'] } = {}) {
  const project = opts.project ?? f.project;
  const body = envelopeOf(event);
  return f.app.inject({
    method: 'POST',
    url: project.dsnPath,
    headers: { ...sentryAuth(project.publicKey), 'content-type': 'application/x-sentry-envelope', ...(opts.gzip ? { 'content-encoding': 'gzip' } : {}) },
    payload: opts.gzip ? gzipSync(body) : body,
  });
}

export function errorEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: eventId(),
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    release: 'shop@1.0.0',
    environment: 'production',
    tags: { region: 'eu' },
    user: { id: 'u-1', email: 'alice@example.com', ip_address: '10.1.2.3' },
    exception: {
      values: [
        {
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'id')",
          stacktrace: {
            frames: [
              { filename: '/app/node_modules/express/lib/router.js', function: 'handle', in_app: false },
              { filename: '/app/src/orders/checkout.js', function: 'placeOrder', in_app: true, lineno: 42 },
            ],
          },
        },
      ],
    },
    ...overrides,
  };
}

/** Listens to catalogued topics in the fixture's namespace and keeps what arrives. */
export async function listen(f: Pick<Fixture, 'env'>, defs: AnyEventDefinition[]): Promise<{ events: Envelope[]; stop(): Promise<void> }> {
  const events: Envelope[] = [];
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const bus = new EventBus({ brokers: [f.env.env.KAFKA_BROKERS!], service: `test-listener-${randomBytes(3).toString('hex')}`, logger: silent, registry: new Registry(), namespace: f.env.namespace });
  for (const d of defs) bus.subscribe(d, async (e) => void events.push(e));
  await bus.start();
  return { events, stop: () => bus.stop() };
}

/** A sample of the app's /metrics carrying `label` (0 when absent). */
export async function metric(app: FastifyInstance, name: string, label = ''): Promise<number> {
  const text = (await app.inject({ url: '/metrics' })).body;
  const line = text.split('\n').find((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && l.includes(label));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Events in every issue of the project (the sum of issue counts), through `app`. */
export async function issueEventCount(app: FastifyInstance, f: Pick<Fixture, 'auth' | 'project'>): Promise<number> {
  const res = await app.inject({ url: `/v1/projects/${f.project.id}/issues?limit=200`, headers: f.auth });
  if (res.statusCode !== 200) throw new Error(`issues: ${res.statusCode} ${res.body}`);
  return (res.json().items as { count: number }[]).reduce((a, i) => a + i.count, 0);
}
