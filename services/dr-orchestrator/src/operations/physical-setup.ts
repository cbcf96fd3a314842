// What every physical (pgBackRest) operation needs: the policy's settings, its generated
// config written into the Vigil-owned folder, the secrets opened, and the source configured
// for archiving (archive_command set by Vigil; archive_mode must already be on).
import { openSecret } from '@vigil/service-kit';
import type { Policy } from '../db/policies.js';
import { archiveSettings, ensureHeartbeatTable, setArchiveCommand } from '../clients/physical-source.js';
import { policyPaths, runPgBackRest, writeConfig, describePgBackRest, type PgBackRestRunner } from '../clients/pgbackrest.js';
import { withClient } from '../clients/scratch.js';
import { archiveCommand, AZURE_KEY_SECRET_CONTEXT, CIPHER_PASS_SECRET_CONTEXT, pgBackRestConfig, type PgBackRestPaths, type PhysicalSettings } from '../domain/physical-policy.js';
import { withDatabase } from '../domain/source-url.js';
import { sourceOf, type OperationContext, type Source } from './context.js';

export interface PhysicalSetup {
  settings: PhysicalSettings;
  paths: PgBackRestPaths;
  runner: PgBackRestRunner;
  source: Source;
  /** The source cluster's postgres database (admin SQL: archiver, settings). */
  adminUrl: string;
}

export async function preparePhysical(ctx: OperationContext, policy: Policy): Promise<PhysicalSetup> {
  if (policy.kind !== 'physical' || !policy.physical) throw new Error(`policy ${policy.id} is not a physical policy`);
  const settings = policy.physical;
  const source = sourceOf(ctx.config, policy);
  const paths = policyPaths(ctx.config.DR_PGBACKREST_DIR, policy.id);
  const cipherPass = settings.encryption && policy.cipherPassEnc ? openSecret(policy.cipherPassEnc, ctx.config.DR_SOURCE_KEY, CIPHER_PASS_SECRET_CONTEXT) : null;
  const azureKey = settings.azure ? openSecret(settings.azure.key, ctx.config.DR_SOURCE_KEY, AZURE_KEY_SECRET_CONTEXT) : null;
  const text = pgBackRestConfig({
    settings,
    paths,
    repositoryPath: policy.repositoryPath,
    pgPort: source.parts.port,
    pgUser: source.parts.user,
    pgHost: source.parts.host,
    cipherPass,
    azureKey,
    processMax: policy.jobs,
  });
  await writeConfig(paths, text, ctx.config.DR_PG_OS_USER, settings.repoType === 'posix' ? [policy.repositoryPath] : []);
  const runner: PgBackRestRunner = { bin: ctx.config.DR_PGBACKREST_BIN, osUser: ctx.config.DR_PG_OS_USER, env: ctx.config.toolEnv };
  return { settings, paths, runner, source, adminUrl: withDatabase(source.url, 'postgres') };
}

/** Sets archive_command on the source when it differs, creates the stanza (idempotent) and runs `pgbackrest check`. */
export async function ensureStanza(ctx: OperationContext, policy: Policy, s: PhysicalSetup, signal?: AbortSignal): Promise<void> {
  await withClient(s.adminUrl, 'vigil-dr-physical', async (c) => {
    const current = await archiveSettings(c);
    if (current.walLevel === 'minimal') throw new Error('wal_level is minimal on the source; physical backups need wal_level = replica (restart required)');
    if (current.archiveMode === 'off') throw new Error('archive_mode is off on the source; set archive_mode = on and restart it once (Vigil sets archive_command itself)');
    const wanted = archiveCommand(s.paths.config, s.settings.stanza, ctx.config.DR_PGBACKREST_BIN);
    if (current.archiveCommand !== wanted) await setArchiveCommand(c, wanted);
  });
  await withClient(s.source.url, 'vigil-dr-physical', (c) => ensureHeartbeatTable(c, s.settings.heartbeatSchema));
  const created = await runPgBackRest(s.runner, s.paths.config, s.settings.stanza, ['stanza-create'], signal);
  if (!created.ok) throw new Error(describePgBackRest('stanza-create', created));
  const checked = await runPgBackRest(s.runner, s.paths.config, s.settings.stanza, ['check'], signal);
  if (!checked.ok) throw new Error(describePgBackRest('check', checked));
}
