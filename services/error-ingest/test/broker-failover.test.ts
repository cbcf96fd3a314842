// Scale-out, lightly: two instances of error-ingest on one database, over a private three-broker cluster
// (replication factor 3, min.insync.replicas=2). Mid-load the broker that leads the most partitions is
// SIGKILLed, then restarted. Every accepted event becomes part of an issue exactly once, and both
// instances keep answering throughout. The full chaos run (`npm run chaos`) does this for every service.
import type { FastifyInstance } from 'fastify';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, dedicatedKafkaCluster, eventually, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { createProject, errorEvent, sendEnvelope, type Fixture } from './fixtures.js';

const cluster = dedicatedKafkaCluster(29510);
let env: TestEnv;
const apps: FastifyInstance[] = [];
let f: Fixture;

beforeAll(async () => {
  await cluster.start();
  env = await createTestEnv('errors_failover');
  const config = { ...env.env, KAFKA_BROKERS: cluster.brokers, KAFKA_REPLICATION_FACTOR: '3', ERRORS_SPIKE_MIN_COUNT: '1000' };
  for (let i = 0; i < 2; i++) {
    const app = await buildApp(loadServiceConfig(config));
    apps.push(app);
    await app.ready();
  }
  const auth = { authorization: `Bearer ${await env.apiKey('acme', 'admin')}` };
  f = { env, app: apps[0]!, auth, project: await createProject(apps[0]!, auth, 'failover') };
}, 240_000);

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await env?.cleanup().catch(() => undefined);
  await cluster.destroy();
}, 120_000);

/** Events in every issue of the project, read through instance `i`. */
async function processed(i: number): Promise<number> {
  const res = await apps[i]!.inject({ url: `/v1/projects/${f.project.id}/issues?limit=200`, headers: f.auth });
  return (res.json().items as { count: number }[]).reduce((a, x) => a + x.count, 0);
}

async function withAdmin<T>(fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = new Kafka({ brokers: cluster.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Per consumer group of this test: how many partitions each member holds. */
async function assignments(): Promise<Record<string, number[]>> {
  return withAdmin(async (admin) => {
    const ids = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(env.namespace));
    const { groups } = await admin.describeGroups(ids);
    return Object.fromEntries(
      groups.map((g) => [
        g.groupId,
        g.members.map((m) => Object.values(AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment ?? {}).reduce((a, p) => a + p.length, 0)),
      ]),
    );
  });
}

/** The node (1..3) that leads the most partitions of this test's topics. */
async function busiestLeader(): Promise<number> {
  return withAdmin(async (admin) => {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(env.namespace));
    const { topics: meta } = await admin.fetchTopicMetadata({ topics });
    const leads = new Map<number, number>();
    for (const t of meta) for (const p of t.partitions) leads.set(p.leader, (leads.get(p.leader) ?? 0) + 1);
    return [...leads.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  });
}

describe('a broker SIGKILLed under load, two instances', () => {
  it('accepts throughout and applies every accepted event exactly once', async () => {
    let sent = 0;
    const send = async () => {
      const via = { ...f, app: apps[sent % 2]! };
      const res = await sendEnvelope(via, errorEvent({ exception: { values: [{ type: `Failover${sent % 4}`, value: 'x' }] } }));
      expect(res.statusCode, res.body).toBe(200);
      sent++;
    };
    for (let n = 0; n < 20; n++) await send();
    await eventually(async () => (await processed(0)) === 20, 120_000, 250);
    // The two instances split each consumer group's partitions: two members, each holding some.
    const groups = await eventually(async () => {
      const a = await assignments();
      return Object.keys(a).length > 0 && Object.values(a).every((m) => m.length === 2 && m.every((n) => n > 0)) ? a : undefined;
    }, 60_000, 500);
    expect(Object.keys(groups).length).toBeGreaterThan(0);

    const victim = await busiestLeader();
    const killedAt = Date.now();
    await cluster.killNode(victim);
    for (let n = 0; n < 20; n++) await send();
    const acceptedAfterKillMs = Date.now() - killedAt;
    await eventually(async () => (await processed(1)) === 40, 120_000, 250);
    const caughtUpMs = Date.now() - killedAt;

    await cluster.startNode(victim);
    for (let n = 0; n < 20; n++) await send();
    await eventually(async () => (await processed(0)) === 60, 120_000, 250);

    // Nothing twice: a marker on the same key (the project) is processed after everything before it.
    await send();
    await eventually(async () => (await processed(1)) >= 61, 60_000, 250);
    expect(await processed(0)).toBe(61);
    expect(await processed(1)).toBe(61);
    console.log(JSON.stringify({ killed_node: victim, accepted_20_after_kill_ms: acceptedAfterKillMs, processing_caught_up_ms: caughtUpMs }));
  }, 420_000);
});
