// Topic names (with the test namespace) and topic creation. After creating topics, wait until
// every partition has a leader: a consumer that joins (or a producer that sends) before that
// gets "not the leader for that topic-partition" and retries noisily, or fails its first join.
import kafkajs, { type Admin, type IResourceConfig } from 'kafkajs';

// Not named imports: Node's ESM loader sees only some of kafkajs' CommonJS exports by name.
const { ConfigResourceTypes, ConfigSource } = kafkajs;
import type { AnyEventDefinition } from './define.js';

export const DLQ_SUFFIX = '.dlq';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Maps catalogued (logical) topic and group names to physical ones under an optional namespace. */
export class TopicNames {
  private readonly prefix: string;
  constructor(namespace?: string) {
    this.prefix = namespace ? `${namespace}.` : '';
  }
  physical(name: string): string {
    return this.prefix + name;
  }
  logical(topic: string): string {
    return this.prefix && topic.startsWith(this.prefix) ? topic.slice(this.prefix.length) : topic;
  }
}

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
  /** false: the topics must already exist (a managed Kafka where IaC creates them). */
  create?: boolean;
}

/** Boot fails with this when topics are pre-created (KAFKA_CREATE_TOPICS=false) and some are not. */
export class MissingTopicsError extends Error {
  override readonly name = 'MissingTopicsError';
  constructor(readonly topics: string[]) {
    super(`Kafka topic${topics.length > 1 ? 's' : ''} missing: ${topics.join(', ')} (topic creation is disabled: create ${topics.length > 1 ? 'them' : 'it'} first, e.g. with infra/azure)`);
  }
}

/** Creates every topic of `defs` and its DLQ if missing, then waits for their partition leaders. */
export async function ensureTopics(admin: Admin, names: TopicNames, defs: readonly AnyEventDefinition[], settings: TopicSettings, timeoutMs: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = new Map<string, { compacted: boolean; maxMessageBytes?: number }>();
  for (const d of defs) {
    // Several versions share a topic: the largest message size any of them declares wins.
    const prior = wanted.get(names.physical(d.topic))?.maxMessageBytes;
    const maxMessageBytes = Math.max(prior ?? 0, d.maxMessageBytes ?? 0) || undefined;
    wanted.set(names.physical(d.topic), { compacted: d.compacted, maxMessageBytes });
    // A message too large for its topic is also too large for a DLQ with the broker default.
    wanted.set(names.physical(d.topic + DLQ_SUFFIX), { compacted: false, maxMessageBytes });
  }
  if (settings.create === false) {
    const missing = [...wanted.keys()].filter((t) => !existing.has(t));
    if (missing.length) throw new MissingTopicsError(missing);
  }
  const topics = [...wanted]
    .filter(([t]) => !existing.has(t))
    .map(([topic, t]) => ({
      topic,
      numPartitions: settings.partitions,
      replicationFactor: settings.replicationFactor,
      configEntries: [
        ...(t.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
        ...(t.maxMessageBytes ? [{ name: 'max.message.bytes', value: String(t.maxMessageBytes) }] : []),
      ],
    }));
  // Another instance may create the same topics at the same time: createTopics then resolves false.
  if (topics.length) await admin.createTopics({ topics, waitForLeaders: false });
  if (settings.create !== false) await raiseMessageLimits(admin, [...wanted].filter(([t, w]) => existing.has(t) && w.maxMessageBytes));
  await waitForLeaders(admin, [...wanted.keys()], timeoutMs);
}

/**
 * Topics created before a definition declared `maxMessageBytes` (an upgrade) get the larger
 * `max.message.bytes`; a limit already at or above it is left alone. kafkajs' alterConfigs
 * replaces the topic's dynamic configs, so the ones it has are sent back with the new value.
 */
async function raiseMessageLimits(admin: Admin, topics: [string, { compacted: boolean; maxMessageBytes?: number }][]): Promise<void> {
  if (!topics.length) return;
  const { resources } = await admin.describeConfigs({ resources: topics.map(([name]) => ({ type: ConfigResourceTypes.TOPIC, name })), includeSynonyms: false });
  const changes: IResourceConfig[] = [];
  for (const r of resources) {
    const want = topics.find(([name]) => name === r.resourceName)?.[1].maxMessageBytes ?? 0;
    const current = Number(r.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue ?? 0);
    if (current >= want) continue;
    const dynamic = r.configEntries.filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG && e.configName !== 'max.message.bytes').map((e) => ({ name: e.configName, value: e.configValue }));
    changes.push({ type: ConfigResourceTypes.TOPIC, name: r.resourceName, configEntries: [...dynamic, { name: 'max.message.bytes', value: String(want) }] });
  }
  if (changes.length) await admin.alterConfigs({ validateOnly: false, resources: changes });
}

/** Polls topic metadata until every partition of `topics` has a leader (or the timeout passes). */
export async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let missing = topics;
  let lastError = '';
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: missing });
      missing = meta
        .filter((t) => !t.partitions.length || t.partitions.some((p) => p.leader < 0 || (p.partitionErrorCode ?? 0) !== 0))
        .map((t) => t.name);
      if (!missing.length) return;
      lastError = `no leader yet for ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`;
    } catch (err) {
      lastError = (err as Error).message; // e.g. UNKNOWN_TOPIC_OR_PARTITION while the broker catches up
    }
    if (Date.now() + delay > deadline) {
      throw new Error(`Kafka topics have no partition leader after ${timeoutMs} ms (${lastError}); check that the broker is healthy (npm run kafka:start)`);
    }
    await sleep(delay);
  }
}

/** Like waitForLeaders for those of `topics` that exist (a consumer may subscribe to a topic nobody created yet). */
export async function waitForExistingLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((t) => existing.has(t));
  if (present.length) await waitForLeaders(admin, present, timeoutMs);
}
