// dr-orchestrator configuration: the shared base plus this service's own variables, parsed once.
import { Type } from '@sinclair/typebox';
import { BaseConfig, DevSecret, loadConfig } from '@vigil/service-kit';

export const ConfigSchema = {
  ...BaseConfig,
  PORT: Type.Integer({ default: 4105, minimum: 0, maximum: 65535 }),
  DR_SOURCE_KEY: DevSecret('dev-only-dr-source-encryption-key-change-me', {
    minLength: 32,
    description: 'Key that seals source connection strings at rest (sealSecret); the dev default is refused when NODE_ENV=production',
  }),
  DR_SCHEDULER_TICK_MS: Type.Integer({ default: 15_000, minimum: 100, description: 'How often schedules, RPO and drills are evaluated' }),
  DR_SCHEDULER_ENABLED: Type.Boolean({ default: true, description: 'Run scheduled backups, drills and RPO checks in this instance' }),
  DR_MAX_CONCURRENT_OPERATIONS: Type.Integer({ default: 2, minimum: 1, maximum: 32, description: 'Backups/restores running at once in this instance' }),
  DR_PG_BIN_DIR: Type.String({ default: '', description: 'Folder holding pg_dump/pg_restore; empty = from PATH' }),
  DR_SCRATCH_URL: Type.String({
    default: '',
    pattern: '^(postgres(ql)?://.*)?$',
    description: 'Server on which scratch databases for restore checks are created; empty = the source server',
  }),
  // Runbook links in events, alerts, Slack and PagerDuty open the console's runbook page (behind sign-in), not this
  // service's API (which needs an API key): <console public URL>/runbooks.
  DR_RUNBOOK_BASE_URL: Type.String({ default: 'http://127.0.0.1:4100/runbooks', pattern: '^https?://', description: "Base of the runbook links put in events: the console's /runbooks page" }),
  DR_REPOSITORY_ROOTS: Type.String({
    default: '',
    pattern: '^(/[^,]*(,/[^,]*)*)?$',
    description: 'Comma-separated absolute folders a policy repositoryPath must lie under; empty = anywhere',
  }),
  DR_PGBACKREST_BIN: Type.String({ default: 'pgbackrest', minLength: 1, description: 'pgBackRest executable (physical policies)' }),
  DR_PGBACKREST_DIR: Type.String({ default: '/var/lib/vigil-dr/pgbackrest', pattern: '^/', description: 'Vigil-owned folder of generated pgBackRest configs, logs, locks and spool (one subfolder per physical policy)' }),
  DR_PG_OS_USER: Type.String({ default: 'postgres', description: 'OS user pgBackRest, pg_ctl and scratch clusters run as when the service runs as root' }),
  DR_PG_SERVER_BIN_DIR: Type.String({ default: '/usr/lib/postgresql/15/bin', description: 'Folder holding pg_ctl (scratch clusters of physical verification restores)' }),
  DR_SCRATCH_CLUSTER_DIR: Type.String({ default: '/tmp', pattern: '^/', description: 'Where scratch data folders of physical restores are made' }),
  DR_HEARTBEAT_TICK_MS: Type.Integer({ default: 5_000, minimum: 100, description: 'How often heartbeats into physical sources are considered (each policy has its own period)' }),
  DR_PROGRESS_EVENT_STEP: Type.Integer({ default: 10, minimum: 1, maximum: 100, description: 'Publish a progress event every N percent' }),
};

export type Config = ReturnType<typeof loadServiceConfig>;

/** The environment pg_dump/pg_restore inherit (PATH, locale); libpq variables are set per run, never inherited. */
function toolEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = { PATH: env.PATH ?? process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
  for (const k of ['LANG', 'LC_ALL', 'HOME']) {
    const v = env[k] ?? process.env[k];
    if (v) out[k] = v;
  }
  return out;
}

export const loadServiceConfig = (env: NodeJS.ProcessEnv = process.env) => ({ ...loadConfig(ConfigSchema, env), toolEnv: toolEnv(env) });
