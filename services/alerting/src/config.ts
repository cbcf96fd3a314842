// alerting configuration: the shared base plus this service's own variables, parsed once.
import { Type } from '@sinclair/typebox';
import { BaseConfig, ConfigError, loadConfig } from '@vigil/service-kit';

export const ConfigSchema = {
  ...BaseConfig,
  PORT: Type.Integer({ default: 4103, minimum: 0, maximum: 65535 }),
  ALERTING_HEALTH_SCORE_FLOOR: Type.Integer({ default: 70, minimum: 0, maximum: 100, description: 'Health scores below this fire an alert' }),
  ALERTING_EXTERNAL_URL: Type.String({ default: 'http://127.0.0.1:4103', pattern: '^https?://', description: 'Link back to Vigil in notifications' }),
  ALERTING_RESOLVE_TIMEOUT_MS: Type.Integer({ default: 300_000, minimum: 1000, description: 'Alertmanager-API alerts without endsAt resolve after this' }),
  ALERTING_POLL_INTERVAL_MS: Type.Integer({ default: 250, minimum: 10, maximum: 60_000, description: 'Idle poll of groups, escalations and the delivery queue' }),
  ALERTING_DELIVERY_MAX_ATTEMPTS: Type.Integer({ default: 10, minimum: 1, maximum: 100 }),
  ALERTING_DELIVERY_BACKOFF_BASE_MS: Type.Integer({ default: 1000, minimum: 10 }),
  ALERTING_DELIVERY_BACKOFF_MAX_MS: Type.Integer({ default: 300_000, minimum: 10 }),
  ALERTING_DELIVERY_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 100, description: 'Per-request timeout; must stay below the lease' }),
  ALERTING_DELIVERY_LEASE_MS: Type.Integer({ default: 30_000, minimum: 500, description: 'A send not recorded within this is retried (its sender died)' }),
  ALERTING_DELIVERY_CONCURRENCY: Type.Integer({ default: 32, minimum: 1, maximum: 512 }),
};

export type Config = ReturnType<typeof loadServiceConfig>;

export const loadServiceConfig = (env: NodeJS.ProcessEnv = process.env) => {
  const config = loadConfig(ConfigSchema, env);
  if (config.ALERTING_DELIVERY_TIMEOUT_MS >= config.ALERTING_DELIVERY_LEASE_MS) {
    throw new ConfigError('invalid configuration:\n  ALERTING_DELIVERY_TIMEOUT_MS must be below ALERTING_DELIVERY_LEASE_MS');
  }
  return config;
};
