// Definitions that declare maxMessageBytes: a new topic (and its DLQ) is created with that
// max.message.bytes, and an existing topic created before the declaration (an upgrade) is raised to it
// at the next ensureTopics, keeping its other topic-level settings.
import { Type } from '@sinclair/typebox';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { defineEvent } from '../src/index.js';
import { Ping, testBus, uniqueName } from './fixtures/harness.js';

const ns = uniqueName('topiccfg').replace(/_/g, '-');
const bus = testBus(ns);
const admin = new Kafka({ brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), logLevel: logLevel.NOTHING }).admin();

const Big = defineEvent({
  type: 'Big',
  topic: 'test.big',
  version: 1,
  description: 'large messages',
  key: (d) => d.key,
  maxMessageBytes: 2 * 1024 * 1024,
  compression: 'gzip',
  schema: Type.Object({ key: Type.String(), blob: Type.String() }),
});
// The same topic as Ping, declared later with a larger limit (as ErrorEventAccepted v2 did for errors.events).
const PingV2 = defineEvent({ ...Ping, version: 2, maxMessageBytes: 3 * 1024 * 1024 });

async function topicConfig(topic: string, name: string): Promise<string | undefined> {
  const { resources } = await admin.describeConfigs({ resources: [{ type: 2, name: `${ns}.${topic}`, configNames: [name] }], includeSynonyms: false });
  return resources[0]?.configEntries.find((e) => e.configName === name)?.configValue;
}

/** The value once the brokers report it (a config change reaches describeConfigs a moment after alterConfigs returns). */
async function settledConfig(topic: string, name: string, want: string): Promise<string | undefined> {
  const end = Date.now() + 15_000;
  let value = await topicConfig(topic, name);
  while (value !== want && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    value = await topicConfig(topic, name);
  }
  return value;
}

afterAll(async () => {
  await admin.deleteTopics({ topics: (await admin.listTopics()).filter((t) => t.startsWith(`${ns}.`)) }).catch(() => undefined);
  await admin.disconnect();
  await bus.stop();
});

describe('topic max.message.bytes from the catalog', () => {
  it('creates a topic and its DLQ with the declared limit, and a compressed message of 1.5 MiB goes through', async () => {
    await admin.connect();
    await bus.ensureTopics([Big]);
    expect(await topicConfig('test.big', 'max.message.bytes')).toBe(String(2 * 1024 * 1024));
    expect(await topicConfig('test.big.dlq', 'max.message.bytes')).toBe(String(2 * 1024 * 1024));
    // Random text (base64) compresses only to about three quarters: past the broker default of ~1 MiB.
    const { randomBytes } = await import('node:crypto');
    await bus.publish(Big, { key: 'k', blob: randomBytes(1_200_000).toString('base64') }, { tenantId: 't' });
  });

  it('raises the limit of an existing topic and keeps its other settings', async () => {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: `${ns}.test.ping`, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] });
    await bus.ensureTopics([Ping]);
    expect(await topicConfig('test.ping', 'max.message.bytes')).not.toBe(String(3 * 1024 * 1024));
    await bus.ensureTopics([Ping, PingV2]);
    expect(await settledConfig('test.ping', 'max.message.bytes', String(3 * 1024 * 1024))).toBe(String(3 * 1024 * 1024));
    expect(await settledConfig('test.ping', 'retention.ms', '3600000')).toBe('3600000');
  });
});
