// error-ingest configuration: the shared base plus this service's own variables, parsed once.
import { Type } from '@sinclair/typebox';
import { BaseConfig, loadConfig } from '@vigil/service-kit';

export const ConfigSchema = {
  ...BaseConfig,
  PORT: Type.Integer({ default: 4104, minimum: 0, maximum: 65535 }),
  ERRORS_PUBLIC_URL: Type.String({
    default: 'http://127.0.0.1:4104',
    pattern: '^https?://[^/@]+$',
    description: 'Scheme://host[:port] that SDKs reach; used to build DSNs and issue links',
  }),
  ERRORS_MAX_ENVELOPE_BYTES: Type.Integer({
    default: 20 * 1024 * 1024,
    minimum: 64 * 1024,
    maximum: 200 * 1024 * 1024,
    description: 'Largest envelope accepted, before and after decompression (413 beyond)',
  }),
  ERRORS_MAX_EVENT_BYTES: Type.Integer({ default: 1024 * 1024, minimum: 1024, description: 'Largest event item after decompression (413 beyond)' }),
  ERRORS_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 600_000, minimum: 1, description: 'Default per-project quota (token bucket refill per minute)' }),
  ERRORS_KEY_RATE_LIMIT_PER_MINUTE: Type.Integer({ default: 600_000, minimum: 1, description: 'Default per-DSN-key quota' }),
  ERRORS_RATE_BURST_SECONDS: Type.Integer({ default: 10, minimum: 1, maximum: 3600, description: 'Bucket capacity, in seconds of quota' }),
  ERRORS_INGEST_BATCH_MAX: Type.Integer({ default: 256, minimum: 1, maximum: 5000, description: 'Accepted events written to PostgreSQL per transaction' }),
  ERRORS_INGEST_BATCH_BYTES: Type.Integer({ default: 8 * 1024 * 1024, minimum: 1024 }),
  ERRORS_PROCESS_BATCH_MAX: Type.Integer({ default: 500, minimum: 1, maximum: 5000, description: 'Most events per processing batch (one transaction)' }),
  ERRORS_PROCESS_BATCH_BYTES: Type.Integer({
    default: 8 * 1024 * 1024,
    minimum: 64 * 1024,
    maximum: 256 * 1024 * 1024,
    description: 'Most Kafka message bytes per processing batch: bounds the memory of a batch of large events (an event larger than this is processed alone)',
  }),
  ERRORS_KEY_CACHE_MS: Type.Integer({ default: 10_000, minimum: 0, description: 'How long a DSN key lookup is cached (revocation delay across instances)' }),
  ERRORS_KEY_STALE_MS: Type.Integer({
    default: 600_000,
    minimum: 0,
    description: 'How long an expired cached DSN key is still honoured while PostgreSQL is unreachable (a key never seen then gets 503)',
  }),
  ERRORS_KAFKA_ACK_DEADLINE_MS: Type.Integer({
    default: 1_000,
    minimum: 10,
    maximum: 60_000,
    description: 'How long an accept waits for the Kafka acknowledgement before the event goes to the PostgreSQL spool instead',
  }),
  ERRORS_SPOOL_HOLD_MS: Type.Integer({
    default: 2_000,
    minimum: 0,
    description: 'After Kafka failed or missed the deadline, events go straight to the spool this long before Kafka is tried again',
  }),
  ERRORS_KAFKA_MAX_PENDING: Type.Integer({
    default: 2_000,
    minimum: 1,
    description: 'Accepts waiting for a Kafka acknowledgement at once; beyond that they go to the spool (bounds memory when the broker is slow)',
  }),
  ERRORS_SPIKE_MIN_COUNT: Type.Integer({ default: 20, minimum: 1, description: 'Events in one minute below which no spike is reported' }),
  ERRORS_SPIKE_Z: Type.Number({ default: 4, minimum: 1, description: 'z-score of the current minute against the baseline that counts as a spike' }),
  ERRORS_SPIKE_COOLDOWN_MINUTES: Type.Integer({ default: 30, minimum: 1 }),
  ERRORS_ROLE: Type.Union([Type.Literal('all'), Type.Literal('ingest'), Type.Literal('process')], {
    default: 'all',
    description: 'ingest: serve the Sentry paths only; process: consume and process only (the Sentry paths answer 404); all: both. The /v1 API and health are served in every role',
  }),
  ERRORS_RETENTION_INTERVAL_MS: Type.Integer({ default: 3_600_000, minimum: 1_000, description: 'How often events past their project retention are purged' }),
};

export type Config = ReturnType<typeof loadServiceConfig>;

export const loadServiceConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ConfigSchema, env);
