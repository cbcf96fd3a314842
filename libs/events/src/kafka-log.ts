// kafkajs's log lines, mapped onto the service logger. kafkajs logs every error response at
// ERROR, even the retriable ones it recovers from by itself (a partition leader moving right
// after topic creation, a group rebalancing, a topic another instance just created): those go
// to debug. Anything else stays an error, with a hint of what to do.
import { createRequire } from 'node:module';
import { logLevel, type logCreator } from 'kafkajs';
import type { EventLogger } from './bus.js';

interface ProtocolError {
  type: string;
  message: string;
  retriable: boolean;
}

// Not retriable in kafkajs's table, but expected and recovered from in normal operation.
const EXPECTED = ['REBALANCE_IN_PROGRESS', 'TOPIC_ALREADY_EXISTS', 'UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION'];

function transientMessages(): string[] {
  try {
    const table = (createRequire(import.meta.url)('kafkajs/src/protocol/error') as { errorCodes: ProtocolError[] }).errorCodes;
    return table.filter((e) => e.retriable || EXPECTED.includes(e.type)).map((e) => e.message);
  } catch {
    return [
      'This server is not the leader for that topic-partition',
      'This server does not host this topic-partition',
      'There is no leader for this topic-partition as we are in the middle of a leadership election',
      'The group is rebalancing, so a rejoin is needed',
      'Topic with this name already exists',
    ];
  }
}

const TRANSIENT = transientMessages();
const TRANSIENT_LOGS = ['The coordinator is not aware of this member, re-joining the group', 'The group is rebalancing, re-joining'];

/** True for a kafkajs log entry about an error kafkajs retries or recovers from by itself. */
export function isTransientKafkaLog(message: string, fields: Record<string, unknown>): boolean {
  if (message.startsWith('Limiting retries for the idempotent producer')) return true; // known, accepted: consumers dedupe by event id
  if (TRANSIENT_LOGS.some((t) => message.startsWith(t))) return true;
  const error = typeof fields.error === 'string' ? fields.error : '';
  // Several instances creating the same topics at once: the losers' "already exists" arrives as this
  // aggregate. admin.createTopics itself throws on any other creation error, and ensureTopics fails boot.
  if (message.startsWith('Response CreateTopics') && error === 'Topic creation errors') return true;
  return TRANSIENT.some((t) => (error && error.includes(t)) || message.includes(t));
}

function hint(message: string, fields: Record<string, unknown>, brokers: string[]): string {
  const text = `${message} ${typeof fields.error === 'string' ? fields.error : ''}`;
  if (/connect|ECONNREFUSED|ENOTFOUND|Connection (error|timeout|closed)|broker/i.test(text)) {
    return `is Kafka reachable at ${brokers.join(',')}? Start the local broker with "npm run kafka:start" or fix KAFKA_BROKERS`;
  }
  if (/^Crash/.test(message)) return 'the consumer restarts by itself; if this repeats, check the broker and that the topics exist (services create them at start)';
  return 'kafkajs retries by itself; if this repeats, check the broker logs (infra/kafka)';
}

export function kafkaLogCreator(log: EventLogger, brokers: string[]): logCreator {
  return () =>
    ({ level, log: entry }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry as { message: string; timestamp?: string; logger?: string } & Record<string, unknown>;
      if (isTransientKafkaLog(message, fields)) log.debug({ kafka: fields }, message);
      else if (level <= logLevel.ERROR) {
        const todo = hint(message, fields, brokers);
        log.error({ kafka: fields, hint: todo }, `${message} (${todo})`);
      }
      else if (level === logLevel.WARN) log.warn({ kafka: fields }, message);
      else log.debug({ kafka: fields }, message);
    };
}
