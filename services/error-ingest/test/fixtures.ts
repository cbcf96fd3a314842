// Shared setup for error-ingest tests: an app on its own database and Kafka namespace,
// an API key, a project with a DSN key, a listener on the catalog topics, helpers to send.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { EventBus, type AnyEventDefinition, type Envelope } from '@vigil/events';
import { createTestEnv, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig, type Config } from '../src/config.js';

export interface Fixture {
  env: TestEnv;
  app: FastifyInstance;
  apiKey: string;
  auth: { authorization: string };
  project: { id: string; publicKey: string; keyId: string; dsnPath: string };
  close(): Promise<void>;
}

export async function startFixture(label: string, extraEnv: Record<string, string> = {}): Promise<Fixture> {
  const env = await createTestEnv(label);
  const app = await readyApp(loadServiceConfig({ ...env.env, ERRORS_SPIKE_MIN_COUNT: '8', ...extraEnv })).catch(async (err: unknown) => {
    await env.cleanup().catch(() => undefined);
    throw err;
  });
  const apiKey = await env.apiKey('acme', 'admin');
  const auth = { authorization: `Bearer ${apiKey}` };
  const project = await createProject(app, auth, `p-${randomBytes(3).toString('hex')}`);
  return {
    env,
    app,
    apiKey,
    auth,
    project,
    async close() {
      await app.close();
      await env.cleanup();
    },
  };
}

/** Builds and starts the app; one retry covers a transient topic-creation error on a busy shared broker. */
export async function readyApp(config: Config): Promise<FastifyInstance> {
  for (let attempt = 1; ; attempt++) {
    const app = await buildApp(config);
    try {
      await app.ready();
      return app;
    } catch (err) {
      await app.close().catch(() => undefined);
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
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
export async function listen(f: Fixture, defs: AnyEventDefinition[]): Promise<{ events: Envelope[]; stop(): Promise<void> }> {
  const events: Envelope[] = [];
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const bus = new EventBus({ brokers: [f.env.env.KAFKA_BROKERS!], service: `test-listener-${randomBytes(3).toString('hex')}`, logger: silent, registry: new Registry(), namespace: f.env.namespace });
  for (const d of defs) bus.subscribe(d, async (e) => void events.push(e));
  await bus.start();
  return { events, stop: () => bus.stop() };
}
