// Configuration from the environment, parsed and validated once at boot.
// A bad value stops boot with a message that names the variable.
import { Type, type Static, type TObject, type TProperties, type TString } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { SelfReportConfig } from './self-report.js';

const DEV_SECRET = 'x-vigil-dev-secret';

export interface DevSecretOptions {
  description: string;
  minLength?: number;
  pattern?: string;
}

/**
 * A secret with a development default: boot works out of the box in dev and tests, and
 * `loadConfig` refuses the default when NODE_ENV=production, naming the variable.
 */
export function DevSecret(devDefault: string, options: DevSecretOptions): TString {
  return Type.String({ ...options, default: devDefault, [DEV_SECRET]: true });
}

/** Whether a schema was declared with DevSecret. */
export const isDevSecret = (schema: unknown): boolean => typeof schema === 'object' && schema !== null && (schema as Record<string, unknown>)[DEV_SECRET] === true;

export const BaseConfig = {
  HOST: Type.String({ default: '127.0.0.1', description: 'Interface the HTTP server binds to' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/vigil', pattern: '^postgres(ql)?://' }),
  DATABASE_POOL_MAX: Type.Integer({ default: 10, minimum: 1, maximum: 200 }),
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379', pattern: '^rediss?://' }),
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092', pattern: '^[^,\\s]+(,[^,\\s]+)*$', description: 'Comma-separated host:port list' }),
  KAFKA_TOPIC_PARTITIONS: Type.Integer({ default: 3, minimum: 1, maximum: 1000 }),
  KAFKA_NAMESPACE: Type.String({ default: '', pattern: '^[a-z0-9_-]*$', description: 'Prefix for topics and consumer groups (test isolation)' }),
  KAFKA_REPLICATION_FACTOR: Type.Integer({ default: 1, minimum: 1, maximum: 10 }),
  // Managed Kafka (Azure Event Hubs): docs/deploy/azure.md §6, libs/service-kit/src/kafka-connection.ts.
  KAFKA_SSL: Type.Boolean({ default: false, description: 'TLS to the brokers (Event Hubs: true)' }),
  KAFKA_SASL_MECHANISM: Type.Union([Type.Literal('none'), Type.Literal('plain'), Type.Literal('oauthbearer')], { default: 'none' }),
  KAFKA_SASL_USERNAME: Type.Optional(Type.String({ minLength: 1, description: 'SASL PLAIN user (Event Hubs: $ConnectionString)' })),
  KAFKA_SASL_PASSWORD: Type.Optional(Type.String({ minLength: 1, description: 'SASL PLAIN password (Event Hubs: the connection string)' })),
  KAFKA_OAUTH_TOKEN_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'OAUTHBEARER: a GET answering {access_token, expires_in|expires_on}' })),
  KAFKA_OAUTH_RESOURCE: Type.Optional(Type.String({ pattern: '^https://', description: 'OAUTHBEARER through the managed identity: the token audience, e.g. https://<namespace>.servicebus.windows.net' })),
  IDENTITY_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://', description: 'Set by Azure Container Apps for its managed identity' })),
  IDENTITY_HEADER: Type.Optional(Type.String({ description: 'Set by Azure Container Apps for its managed identity' })),
  AZURE_CLIENT_ID: Type.Optional(Type.String({ description: 'Client id of the user-assigned identity to use for OAUTHBEARER' })),
  KAFKA_CREATE_TOPICS: Type.Boolean({ default: true, description: 'false: topics are pre-created; boot fails naming a missing one' }),
  KAFKA_REQUEST_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 1_000, maximum: 300_000, description: 'Event Hubs recommends 60000' }),
  VIGIL_BOOTSTRAP_API_KEY: Type.Optional(Type.String({ pattern: '^vgl_[A-Za-z0-9]{8,}_[A-Za-z0-9]{24,}$', description: 'Admin key seeded at boot' })),
  VIGIL_BOOTSTRAP_TENANT: Type.String({ default: 'default', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
  NODE_ENV: Type.String({ default: 'development', description: 'production refuses every development default secret' }),
  VIGIL_PSEUDONYM_KEY: DevSecret('dev-only-pseudonymisation-key-change-me', {
    minLength: 32,
    description: "Secret from which each tenant's HMAC key for subject pseudonyms is derived; the same value in every service",
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100 }),
  VIGIL_INSTANCE: Type.Optional(Type.Integer({ minimum: 1, maximum: 64, description: 'Replica number (npm start --replicas N sets it); names the process vigil-<service>-<n>' })),
  ...SelfReportConfig,
};

export type BaseConfig = Static<TObject<typeof BaseConfig>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses env into a typed config: defaults, then string→number/boolean conversion, then validation. */
export function loadConfig<P extends TProperties>(props: P, env: NodeJS.ProcessEnv = process.env): Static<TObject<P>> {
  const schema = Type.Object(props);
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(props)) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const value = Value.Convert(schema, Value.Default(schema, raw));
  const errors = [...Value.Errors(schema, value)];
  if (errors.length) {
    const lines = errors.map((e) => {
      const name = e.path.replace(/^\//, '') || '(root)';
      const shown = /KEY|SECRET|PASSWORD|TOKEN|URL/.test(name) ? '(hidden)' : JSON.stringify(raw[name]);
      return `  ${name}=${shown}: ${e.message}`;
    });
    throw new ConfigError(`invalid configuration:\n${[...new Set(lines)].join('\n')}`);
  }
  const nodeEnv = (value as Record<string, unknown>).NODE_ENV ?? env.NODE_ENV;
  if (nodeEnv === 'production') {
    const refused = Object.entries(props)
      .filter(([key, schema]) => isDevSecret(schema) && (value as Record<string, unknown>)[key] === (schema as TString).default)
      .map(([key]) => `  ${key}: the development default is refused when NODE_ENV=production; set a secret`);
    if (refused.length) throw new ConfigError(`invalid configuration:\n${refused.join('\n')}`);
  }
  return value as Static<TObject<P>>;
}

export function kafkaBrokers(config: Pick<BaseConfig, 'KAFKA_BROKERS'>): string[] {
  return config.KAFKA_BROKERS.split(',').map((b) => b.trim());
}
