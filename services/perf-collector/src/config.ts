// perf-collector configuration: the shared base plus this service's own variables, parsed once.
import { Type } from '@sinclair/typebox';
import { BaseConfig, DevSecret, loadConfig } from '@vigil/service-kit';

export const ConfigSchema = {
  ...BaseConfig,
  PORT: Type.Integer({ default: 4102, minimum: 0, maximum: 65535 }),
  PERF_SECRET_KEY: DevSecret('0000000000000000000000000000000000000000000000000000000000000000', {
    pattern: '^[0-9a-fA-F]{64}$',
    description: 'Key (64 hex chars) sealing target connection strings at rest (sealSecret); the development default is refused when NODE_ENV=production',
  }),
  PERF_COLLECTOR_ENABLED: Type.Boolean({ default: true, description: 'Run the collection scheduler in this process' }),
  PERF_SCHEDULER_TICK_MS: Type.Integer({ default: 1_000, minimum: 50, description: 'How often due targets are looked for' }),
  PERF_COLLECT_CONCURRENCY: Type.Integer({ default: 16, minimum: 1, maximum: 500, description: 'Targets collected at the same time' }),
  PERF_TARGET_TIMEOUT_MS: Type.Integer({ default: 15_000, minimum: 100, description: 'Budget of one collection cycle of one target' }),
  PERF_DEFAULT_INTERVAL_S: Type.Integer({ default: 60, minimum: 5, maximum: 86_400 }),
  PERF_TOP_STATEMENTS: Type.Integer({ default: 50, minimum: 1, maximum: 1_000, description: 'Statements kept per interval (top-N by total time)' }),
  PERF_EXPLAIN_WORST: Type.Integer({ default: 5, minimum: 0, maximum: 50, description: 'Slow queries explained per cycle' }),
  PERF_ADVISOR_MIN_ROWS: Type.Integer({ default: 10_000, minimum: 0, description: 'A table needs this many live rows to get a missing-index candidate' }),
  PERF_OTLP_MAX_BYTES: Type.Integer({ default: 4 * 1024 * 1024, minimum: 1024, description: 'Largest OTLP request body (after decompression)' }),
  PERF_SELF_MONITOR_URLS: Type.String({
    default: '',
    pattern: '^([a-z0-9-]+=https?://[^,\\s]+(,[a-z0-9-]+=https?://[^,\\s]+)*)?$',
    description: 'Vigil health endpoints to poll, as name=url pairs separated by commas',
  }),
  PERF_RAW_RETENTION_DAYS: Type.Integer({ default: 7, minimum: 1, description: 'Raw samples are kept this long; hourly rollups beyond' }),
  PERF_SELF_MONITOR_INTERVAL_S: Type.Integer({ default: 30, minimum: 1 }),
};

export type Config = ReturnType<typeof loadServiceConfig>;

export const loadServiceConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ConfigSchema, env);
