// What every DR operation needs: the service's pool and outbox, config, a logger, runbook links.
import type { Outbox } from '@vigil/events';
import type { Pool } from 'pg';
import type { Config } from '../config.js';
import type { Policy } from '../db/policies.js';
import { openSecret } from '@vigil/service-kit';
import { parseSourceUrl, SOURCE_URL_SECRET_CONTEXT, type SourceParts } from '../domain/source-url.js';

export interface OperationLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OperationContext {
  pool: Pool;
  outbox: Outbox;
  config: Config;
  log: OperationLogger;
}

export type RunbookSlug =
  | 'backup-failure'
  | 'verification-failure'
  | 'rpo-breach'
  | 'rto-breach'
  | 'restoring-a-database'
  | 'kafka-broker-loss'
  | 'service-crash-loop'
  | 'gdpr-breach-notification'
  | 'archiving-stalled'
  | 'restore-failed'
  | 'repository-unreachable';

export const runbookUrl = (config: Config, slug: RunbookSlug) => `${config.DR_RUNBOOK_BASE_URL.replace(/\/$/, '')}/${slug}`;

export interface Source {
  url: string;
  parts: SourceParts;
}

export function sourceOf(config: Config, policy: Policy): Source {
  const url = openSecret(policy.sourceUrlEnc, config.DR_SOURCE_KEY, SOURCE_URL_SECRET_CONTEXT);
  const parts = parseSourceUrl(url);
  if (typeof parts === 'string') throw new Error(`stored source of policy ${policy.id} is unusable: ${parts}`);
  return { url, parts };
}

/** Application names tag the sessions of each run so a later run can end a dead run's leftovers. */
export const backupAppName = (backupId: string) => `vigil-dr-backup-${backupId}`;
export const restoreAppName = (verificationId: string) => `vigil-dr-restore-${verificationId}`;
export const scratchName = (verificationId: string) => `vigil_dr_scratch_${verificationId.replace(/-/g, '')}`;
