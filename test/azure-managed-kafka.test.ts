// Vigil on a managed Kafka (issue 19 §3), against a private local broker with a SASL_PLAINTEXT
// listener: SASL PLAIN as Event Hubs does it (user `$ConnectionString`, password = connection
// string), OAUTHBEARER with a token endpoint, and pre-created topics (KAFKA_CREATE_TOPICS=false):
// nothing is created and boot fails naming the missing topic.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineEvent, DLQ_SUFFIX, EventBus, MAX_REQUEST_BYTES, MissingTopicsError, type EventLogger } from '@vigil/events';
import { BaseConfig, ConfigError, createServiceApp, kafkaConnection, loadConfig } from '@vigil/service-kit';
import { dedicatedKafka } from '@vigil/service-kit/testing';
import { requestsOf } from '../libs/events/src/producer.js';

// A port no other test uses: plaintext 19690, controller 19691, SASL 19692.
const CONNECTION_STRING = 'Endpoint=sb://vigil-test.servicebus.windows.net/;SharedAccessKeyName=vigil-apps;SharedAccessKey=bG9jYWwtdGVzdA';
const kafka = dedicatedKafka(19690, { sasl: { port: 19692, users: { $ConnectionString: CONNECTION_STRING } } });
const SASL = kafka.saslBrokers!;

const Ping = defineEvent({
  type: 'AzurePing', topic: 'azure.ping', version: 1, description: 'test event',
  key: (d) => d.key, schema: Type.Object({ key: Type.String({ minLength: 1 }), n: Type.Integer() }),
});
const Pong = defineEvent({
  type: 'AzurePong', topic: 'azure.pong', version: 1, description: 'test event',
  key: (d) => d.key, schema: Type.Object({ key: Type.String({ minLength: 1 }) }),
});

const silent: EventLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const ns = (label: string) => `${label}${randomBytes(3).toString('hex')}`;
const config = (env: Record<string, string>) => loadConfig(BaseConfig, { KAFKA_BROKERS: SASL, ...env });
const plain = { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: '$ConnectionString', KAFKA_SASL_PASSWORD: CONNECTION_STRING };
const buses: EventBus[] = [];
function bus(env: Record<string, string>, namespace: string, createTopics = true): EventBus {
  const b = new EventBus({ brokers: [SASL], service: 'azure-test', logger: silent, registry: new Registry(), partitions: 1, namespace, connection: kafkaConnection(config(env)), createTopics });
  buses.push(b);
  return b;
}

/** Publishes one event and resolves with what the subscriber received. */
async function roundTrip(b: EventBus): Promise<{ sent: string; received: string }> {
  await b.ensureTopics([Ping]);
  let got: (id: string) => void = () => undefined;
  const received = new Promise<string>((resolve) => (got = resolve));
  b.subscribe(Ping, async (e) => got(e.id));
  await b.start();
  const sent = await b.publish(Ping, { key: 'k', n: 1 }, { tenantId: 't' });
  return { sent: sent.id, received: await received };
}

function testDatabase(): string {
  const u = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vigil');
  u.pathname = '/vigil_azure_test';
  return u.toString();
}

async function topicsOnBroker(): Promise<string[]> {
  const admin = new Kafka({ brokers: [kafka.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).sort();
  } finally {
    await admin.disconnect();
  }
}

beforeAll(async () => {
  await kafka.destroy();
  await kafka.start();
}, 180_000);

afterAll(async () => {
  for (const b of buses) await b.stop().catch(() => undefined);
  await kafka.destroy();
}, 120_000);

describe('SASL PLAIN (Event Hubs style)', () => {
  it('publishes and consumes through the SASL listener as $ConnectionString', async () => {
    const { sent, received } = await roundTrip(bus(plain, ns('plain')));
    expect(received).toBe(sent);
  });

  it('a wrong connection string is refused by the broker (after the right one worked above)', async () => {
    const wrong = bus({ ...plain, KAFKA_SASL_PASSWORD: `${CONNECTION_STRING}x` }, ns('wrong'));
    await expect(wrong.ensureTopics([Ping])).rejects.toThrow(/SASL PLAIN authentication failed/);
  });

  it('config: PLAIN without a password fails boot naming the variable; SSL is passed through', () => {
    expect(() => kafkaConnection(config({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: '$ConnectionString' }))).toThrow(ConfigError);
    expect(() => kafkaConnection(config({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: '$ConnectionString' }))).toThrow(/KAFKA_SASL_PASSWORD/);
    expect(kafkaConnection(config({ KAFKA_SSL: 'true', KAFKA_REQUEST_TIMEOUT_MS: '60000' }))).toEqual({ ssl: true, requestTimeoutMs: 60_000 });
    expect(() => config({ KAFKA_SASL_MECHANISM: 'scram' })).toThrow(/KAFKA_SASL_MECHANISM/);
  });
});

describe('SASL OAUTHBEARER', () => {
  let server: http.Server;
  let tokenRequests = 0;
  beforeAll(async () => {
    // Kafka's default (unsecured) validator accepts an unsigned JWT with sub, iat and exp.
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    server = http.createServer((_req, res) => {
      tokenRequests++;
      const now = Math.floor(Date.now() / 1000);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: `${b64({ alg: 'none' })}.${b64({ sub: 'vigil', iat: now, exp: now + 3600 })}.`, expires_in: 3600 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches a token from KAFKA_OAUTH_TOKEN_URL and round-trips an event', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
    const { sent, received } = await roundTrip(bus({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_OAUTH_TOKEN_URL: url }, ns('oauth')));
    expect(received).toBe(sent);
    expect(tokenRequests).toBeGreaterThanOrEqual(1);
  });

  it('config: OAUTHBEARER without a token source fails naming KAFKA_OAUTH_TOKEN_URL', () => {
    expect(() => kafkaConnection(config({ KAFKA_SASL_MECHANISM: 'oauthbearer' }))).toThrow(/KAFKA_OAUTH_TOKEN_URL/);
  });
});

describe('Event Hubs request size limit', () => {
  it('splits produce requests well under 1,046,528 bytes, keeping per-topic order', () => {
    const msg = (topic: string, n: number) => ({ topic, key: `k${n}`, value: 'x'.repeat(100_000), headers: { 'vigil-type': 'AzurePing' } });
    const messages = Array.from({ length: 25 }, (_, n) => msg(n % 2 ? 'a' : 'b', n));
    const requests = requestsOf(messages);
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const r of requests) {
      const bytes = [...r.values()].flat().reduce((sum, m) => sum + m.value.length + m.key.length, 0);
      expect(bytes).toBeLessThan(MAX_REQUEST_BYTES);
    }
    const sent = requests.flatMap((r) => [...r.values()].flat());
    expect(sent.map((m) => m.key).sort()).toEqual(messages.map((m) => m.key).sort());
    for (const topic of ['a', 'b']) expect(requests.flatMap((r) => r.get(topic) ?? []).map((m) => m.key)).toEqual(messages.filter((m) => m.topic === topic).map((m) => m.key));
    expect(requestsOf([msg('a', 0)])).toHaveLength(1);
  });
});

describe('pre-created topics (KAFKA_CREATE_TOPICS=false)', () => {
  it('creates nothing and names every missing topic; passes once they all exist', async () => {
    const space = ns('pre');
    const checking = bus(plain, space, false);
    const before = await topicsOnBroker();
    const missing = await checking.ensureTopics([Ping, Pong]).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MissingTopicsError);
    const all = [`${space}.azure.ping`, `${space}.azure.ping${DLQ_SUFFIX}`, `${space}.azure.pong`, `${space}.azure.pong${DLQ_SUFFIX}`];
    expect((missing as MissingTopicsError).topics.sort()).toEqual(all.sort());
    expect(await topicsOnBroker()).toEqual(before);

    // IaC's part, played by a creating bus: every topic but azure.pong and its DLQ.
    await bus(plain, space, true).ensureTopics([Ping]);
    const one = (await checking.ensureTopics([Ping, Pong]).catch((e: unknown) => e)) as Error;
    expect(one.message).toMatch(new RegExp(`missing: ${space}\\.azure\\.pong, ${space}\\.azure\\.pong\\.dlq`));

    await bus(plain, space, true).ensureTopics([Pong]);
    const created = await topicsOnBroker();
    await checking.ensureTopics([Ping, Pong]);
    expect(await topicsOnBroker()).toEqual(created);
  });

  it('a service booting with KAFKA_CREATE_TOPICS=false over SASL fails naming a missing catalogued topic', async () => {
    const space = ns('boot');
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-azure-'));
    const app = await createServiceApp({
      name: 'azure-boot', schema: 'azure_boot', version: '0.0.0', description: 'boot test', migrationsDir: dir,
      config: { ...config({ ...plain, KAFKA_CREATE_TOPICS: 'false', KAFKA_NAMESPACE: space, DATABASE_URL: testDatabase() }), PORT: 0 },
      logger: false,
    });
    try {
      await expect(app.ready()).rejects.toThrow(new RegExp(`Kafka topics missing: ${space}\\.[a-z-]+\\.[a-z.-]+`));
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
