// Console configuration: the kit's base plus CONSOLE_* (see /work/coord/CONSOLE.md), parsed once.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { BaseConfig, DevSecret, loadConfig } from '@vigil/service-kit';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const url = (port: number, name: string) =>
  Type.String({
    default: `http://127.0.0.1:${port}`,
    pattern: '^https?://[^,\\s]+(,https?://[^,\\s]+)*$',
    description: `Base URL of ${name}; several, comma-separated, when it runs as replicas (the front door spreads requests over the ready ones)`,
  });

export const ConfigSchema = {
  ...BaseConfig,
  PORT: Type.Integer({ default: 4100, minimum: 0, maximum: 65535 }),
  // Refused when NODE_ENV=production (the kit's DevSecret).
  CONSOLE_SESSION_SECRET: DevSecret('dev-only-console-session-secret-change-me', {
    minLength: 32,
    description: 'Secret from which the per-(tenant, role) service keys are derived; the same value on every console instance',
  }),
  CONSOLE_SESSION_IDLE_MINUTES: Type.Number({ default: 30, exclusiveMinimum: 0, maximum: 24 * 60 }),
  CONSOLE_SESSION_ABSOLUTE_HOURS: Type.Number({ default: 12, exclusiveMinimum: 0, maximum: 24 * 30 }),
  CONSOLE_COOKIE_SECURE: Type.Union([Type.Literal('auto'), Type.Literal('always'), Type.Literal('never')], {
    default: 'auto',
    description: 'auto: Secure when the request arrived over TLS',
  }),
  CONSOLE_ADMIN_EMAIL: Type.String({ default: 'admin@vigil.local', pattern: '^[^@\\s]+@[^@\\s]+$' }),
  CONSOLE_ADMIN_TENANT: Type.String({ default: 'default', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
  CONSOLE_INITIAL_PASSWORD_FILE: Type.String({ default: path.join(ROOT, '.data', 'console-admin-password'), minLength: 1 }),
  CONSOLE_SIGNIN_MAX_PER_ACCOUNT: Type.Integer({ default: 5, minimum: 1, description: 'Failed sign-ins per account per window' }),
  CONSOLE_SIGNIN_MAX_PER_IP: Type.Integer({ default: 30, minimum: 1, description: 'Failed sign-ins per client IP per window' }),
  CONSOLE_SIGNIN_WINDOW_SECONDS: Type.Integer({ default: 900, minimum: 1 }),
  CONSOLE_GDPR_URL: url(4101, 'gdpr'),
  CONSOLE_PERF_URL: url(4102, 'perf-collector'),
  CONSOLE_ALERTING_URL: url(4103, 'alerting'),
  CONSOLE_ERRORS_URL: url(4104, 'error-ingest'),
  CONSOLE_DR_URL: url(4105, 'dr-orchestrator'),
  CONSOLE_WEB_DIST: Type.String({ default: path.join(ROOT, 'apps', 'console', 'web', 'dist') }),
  CONSOLE_SELF_SEED: Type.Boolean({ default: false, description: 'Set Vigil up to watch itself on first start (npm start sets it); needs VIGIL_BOOTSTRAP_API_KEY' }),
  CONSOLE_SELF_DSN_FILE: Type.String({ default: path.join(ROOT, '.data', 'vigil-sentry-dsn'), description: 'Where the seed writes the "vigil" project DSN for the services' }),
  CONSOLE_SELF_BACKUP_DIR: Type.String({ default: path.join(ROOT, '.data', 'backups'), pattern: '^/', description: "Backup folder of the seeded DR policy for Vigil's own database" }),
  CONSOLE_STREAM_HEARTBEAT_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 300_000 }),
  CONSOLE_STREAM_REPLAY: Type.Integer({ default: 1000, minimum: 0, maximum: 100_000, description: 'Events kept per tenant for Last-Event-ID' }),
  CONSOLE_HISTORY_RETENTION_DAYS: Type.Integer({ default: 30, minimum: 1, maximum: 366, description: 'Days the event history (the incident timeline) keeps' }),
  CONSOLE_HISTORY_PURGE_EVERY_MS: Type.Integer({ default: 3_600_000, minimum: 1_000, description: 'How often the history retention task runs' }),
};

export type Config = ReturnType<typeof loadConsoleConfig>;

export const loadConsoleConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(ConfigSchema, env);

const urls = (list: string) => list.split(',');

/** The five services behind the front door: console prefix → the base URLs of its instances. */
export function upstreams(config: Config) {
  return [
    { name: 'gdpr', prefix: '/api/gdpr', urls: urls(config.CONSOLE_GDPR_URL) },
    { name: 'perf', prefix: '/api/perf', urls: urls(config.CONSOLE_PERF_URL) },
    { name: 'alerting', prefix: '/api/alerting', urls: urls(config.CONSOLE_ALERTING_URL) },
    { name: 'errors', prefix: '/api/errors', urls: urls(config.CONSOLE_ERRORS_URL) },
    { name: 'dr', prefix: '/api/dr', urls: urls(config.CONSOLE_DR_URL) },
  ] as const;
}
export type ServiceName = ReturnType<typeof upstreams>[number]['name'];
