// Physical policies (pgBackRest): their settings, validation, the generated pgBackRest config,
// and the reading of `pgbackrest info --output=json`. Pure: no processes, no SQL.
import { cronProblem } from './schedule.js';

/** sealSecret contexts of a physical policy's secrets. */
export const CIPHER_PASS_SECRET_CONTEXT = 'dr.pgbackrest-cipher';
export const AZURE_KEY_SECRET_CONTEXT = 'dr.azure-key';

export type PolicyKind = 'logical' | 'physical';
export const POLICY_KINDS: readonly PolicyKind[] = ['logical', 'physical'];
export type BackupType = 'full' | 'diff' | 'incr';

export interface AzureRepository {
  account: string;
  container: string;
  /** Sealed (sealSecret, context dr.azure-key) when stored; plain only in the request. */
  key: string;
  endpoint?: string;
}

export interface PhysicalSettings {
  /** pgBackRest stanza (one per source cluster). */
  stanza: string;
  /** The source cluster's data directory, as seen by pgBackRest (it runs on the database host). */
  pgDataPath: string;
  /** Unix socket folder of the source cluster; empty = TCP to the source URL's host. */
  pgSocketPath: string;
  /** The full-backup cron is the policy's `schedule`; these two are optional. */
  diffSchedule: string | null;
  incrSchedule: string | null;
  /** repo1-retention-full (the policy's retentionCount is not used for physical policies). */
  retentionFull: number;
  retentionDiff: number | null;
  /** Vigil-owned schema in the source holding the heartbeat table. */
  heartbeatSchema: string;
  heartbeatSeconds: number;
  /** No WAL archived for this long while the source writes, or a failure newer than the last success → breach. */
  archiveStallSeconds: number;
  /** repo1-cipher-type=aes-256-cbc (on unless turned off explicitly). */
  encryption: boolean;
  repoType: 'posix' | 'azure';
  azure: AzureRepository | null;
}

export type PhysicalInput = Partial<Omit<PhysicalSettings, 'stanza'>> & { stanza?: string };

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
const STANZA = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function defaultStanza(policyId: string): string {
  return `vigil-${policyId.slice(0, 8)}`;
}

export function physicalSettings(input: PhysicalInput, policyId: string, prev?: PhysicalSettings): PhysicalSettings {
  return {
    stanza: input.stanza ?? prev?.stanza ?? defaultStanza(policyId),
    pgDataPath: input.pgDataPath ?? prev?.pgDataPath ?? '',
    pgSocketPath: input.pgSocketPath ?? prev?.pgSocketPath ?? '',
    diffSchedule: input.diffSchedule !== undefined ? input.diffSchedule : (prev?.diffSchedule ?? null),
    incrSchedule: input.incrSchedule !== undefined ? input.incrSchedule : (prev?.incrSchedule ?? null),
    retentionFull: input.retentionFull ?? prev?.retentionFull ?? 2,
    retentionDiff: input.retentionDiff !== undefined ? input.retentionDiff : (prev?.retentionDiff ?? null),
    heartbeatSchema: input.heartbeatSchema ?? prev?.heartbeatSchema ?? 'vigil_dr',
    heartbeatSeconds: input.heartbeatSeconds ?? prev?.heartbeatSeconds ?? 10,
    archiveStallSeconds: input.archiveStallSeconds ?? prev?.archiveStallSeconds ?? 300,
    encryption: input.encryption ?? prev?.encryption ?? true,
    repoType: input.repoType ?? prev?.repoType ?? 'posix',
    azure: input.azure !== undefined ? input.azure : (prev?.azure ?? null),
  };
}

/** Problems with a physical policy's settings, each naming its field. */
export function physicalProblems(s: PhysicalSettings): string[] {
  const problems: string[] = [];
  if (!STANZA.test(s.stanza)) problems.push('physical.stanza must be 1-64 letters, digits, "-" or "_"');
  if (!s.pgDataPath.startsWith('/')) problems.push('physical.pgDataPath is required for a physical policy and must be an absolute path');
  if (s.pgSocketPath && !s.pgSocketPath.startsWith('/')) problems.push('physical.pgSocketPath must be an absolute path');
  for (const [k, v] of [['diffSchedule', s.diffSchedule], ['incrSchedule', s.incrSchedule]] as const) {
    const p = v ? cronProblem(v) : undefined;
    if (p) problems.push(`physical.${k}: ${p}`);
  }
  if (!IDENT.test(s.heartbeatSchema) || s.heartbeatSchema.startsWith('pg_')) problems.push('physical.heartbeatSchema must be a lower-case SQL identifier not starting with pg_');
  if (s.repoType === 'azure' && !s.azure) problems.push('physical.azure (account, container, key) is required when physical.repoType is azure');
  return problems;
}

export interface PgBackRestPaths {
  /** Folder Vigil owns for this policy: config, logs, locks, spool. Regenerated, never hand-edited. */
  root: string;
  config: string;
}

/**
 * The pgbackrest.conf of a policy. Regenerated before every command from the stored policy,
 * so a hand edit is overwritten. The passphrase is in the file because archive-push, which
 * PostgreSQL runs, must read it; the file is mode 0600 and owned by the database OS user.
 */
export function pgBackRestConfig(o: {
  settings: PhysicalSettings;
  paths: PgBackRestPaths;
  repositoryPath: string;
  pgPort: number;
  pgUser: string;
  pgHost: string;
  cipherPass: string | null;
  azureKey: string | null;
  processMax: number;
  archiveTimeoutSeconds?: number;
}): string {
  const s = o.settings;
  const repo =
    s.repoType === 'azure' && s.azure
      ? [
          'repo1-type=azure',
          `repo1-path=${o.repositoryPath}`,
          `repo1-azure-account=${s.azure.account}`,
          `repo1-azure-container=${s.azure.container}`,
          `repo1-azure-key=${o.azureKey ?? ''}`,
          ...(s.azure.endpoint ? [`repo1-azure-endpoint=${s.azure.endpoint}`] : []),
        ]
      : ['repo1-type=posix', `repo1-path=${o.repositoryPath}`];
  const lines = [
    '# Generated by Vigil dr-orchestrator from the policy; every command rewrites it. Do not edit.',
    '[global]',
    ...repo,
    `repo1-retention-full=${s.retentionFull}`,
    ...(s.retentionDiff ? [`repo1-retention-diff=${s.retentionDiff}`] : []),
    ...(s.encryption && o.cipherPass ? ['repo1-cipher-type=aes-256-cbc', `repo1-cipher-pass=${o.cipherPass}`] : []),
    `log-path=${o.paths.root}/log`,
    `lock-path=${o.paths.root}/lock`,
    `spool-path=${o.paths.root}/spool`,
    'log-level-console=warn',
    'log-level-stderr=warn',
    'log-level-file=info',
    `process-max=${o.processMax}`,
    'start-fast=y',
    `archive-timeout=${o.archiveTimeoutSeconds ?? 60}`,
    '',
    `[${s.stanza}]`,
    `pg1-path=${s.pgDataPath}`,
    `pg1-port=${o.pgPort}`,
    `pg1-user=${o.pgUser}`,
    ...(s.pgSocketPath ? [`pg1-socket-path=${s.pgSocketPath}`] : []),
    '',
  ];
  return lines.join('\n');
}

export const archiveCommand = (configPath: string, stanza: string, bin = 'pgbackrest') => `${bin} --config=${configPath} --stanza=${stanza} archive-push %p`;

/** One backup of `pgbackrest info --output=json`, reduced to what Vigil keeps. */
export interface PgBackRestBackup {
  label: string;
  type: BackupType;
  prior: string | null;
  reference: string[];
  startedAt: string;
  stoppedAt: string;
  sizeBytes: number;
  deltaBytes: number;
  repoBytes: number;
  repoDeltaBytes: number;
  walStart: string | null;
  walStop: string | null;
  lsnStart: string | null;
  lsnStop: string | null;
  error: boolean;
}

export interface StanzaInfo {
  name: string;
  /** status.code: 0 = ok; anything else is an error pgBackRest reports in the JSON, whatever the exit code. */
  statusCode: number;
  statusMessage: string;
  backups: PgBackRestBackup[];
  archive: { min: string | null; max: string | null }[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : null);
const iso = (epochSeconds: unknown) => new Date(num(epochSeconds) * 1000).toISOString();

/** Parses `info --output=json`; throws on anything that is not the documented shape. */
export function parseInfo(json: string): StanzaInfo[] {
  const data = JSON.parse(json) as unknown;
  if (!Array.isArray(data)) throw new Error('pgbackrest info: expected a JSON array of stanzas');
  return data.map((raw) => {
    const s = obj(raw);
    const status = obj(s.status);
    return {
      name: String(s.name ?? ''),
      statusCode: num(status.code),
      statusMessage: String(status.message ?? ''),
      archive: (Array.isArray(s.archive) ? s.archive : []).map((a) => ({ min: str(obj(a).min), max: str(obj(a).max) })),
      backups: (Array.isArray(s.backup) ? s.backup : []).map((b): PgBackRestBackup => {
        const o = obj(b);
        const info = obj(o.info);
        const repo = obj(info.repository);
        const archive = obj(o.archive);
        const lsn = obj(o.lsn);
        const ts = obj(o.timestamp);
        return {
          label: String(o.label ?? ''),
          type: String(o.type ?? 'full') as BackupType,
          prior: str(o.prior),
          reference: Array.isArray(o.reference) ? o.reference.map(String) : [],
          startedAt: iso(ts.start),
          stoppedAt: iso(ts.stop),
          sizeBytes: num(info.size),
          deltaBytes: num(info.delta),
          repoBytes: num(repo.size),
          repoDeltaBytes: num(repo.delta),
          walStart: str(archive.start),
          walStop: str(archive.stop),
          lsnStart: str(lsn.start),
          lsnStop: str(lsn.stop),
          error: o.error === true,
        };
      }),
    };
  });
}

/** pgBackRest log lines that mean failure even when the exit code says 0 (pgBackRest #2502). */
export const errorLines = (text: string) => text.split('\n').filter((l) => /\b(ERROR|ASSERT): \[\d+\]/.test(l));

export interface ArchiverState {
  archivedCount: number;
  lastArchivedAt: Date | null;
  failedCount: number;
  lastFailedAt: Date | null;
  lastFailedWal: string | null;
  /** Current WAL insert position has moved past the last archived segment (there is something to archive). */
  pendingWal: boolean;
}

export type ArchivingVerdict = { ok: true } | { ok: false; cause: 'archiving-failed' | 'archiving-stalled'; seconds: number; detail: string };

/**
 * Archiving is broken when the newest attempt failed (a failure newer than the last success)
 * for longer than the threshold, or stalled: WAL is waiting and nothing was archived for longer.
 */
export function archivingVerdict(a: ArchiverState, stallSeconds: number, now: Date, since: Date): ArchivingVerdict {
  const lastOk = a.lastArchivedAt ?? since;
  const age = (now.getTime() - lastOk.getTime()) / 1000;
  if (a.lastFailedAt && (!a.lastArchivedAt || a.lastFailedAt > a.lastArchivedAt)) {
    const failingFor = (now.getTime() - Math.max(lastOk.getTime(), since.getTime())) / 1000;
    if (failingFor >= Math.min(stallSeconds, 10) || age >= stallSeconds)
      return { ok: false, cause: 'archiving-failed', seconds: Math.max(0, age), detail: `archive_command failed ${a.failedCount} times; last failure ${a.lastFailedAt.toISOString()} on ${a.lastFailedWal ?? '?'}` };
  }
  if (a.pendingWal && age >= stallSeconds)
    return { ok: false, cause: 'archiving-stalled', seconds: age, detail: `no WAL archived for ${Math.round(age)} s while WAL is waiting` };
  return { ok: true };
}

/** A restore target time as pgBackRest parses it (an ISO string with T and Z defeats its backup-set selection). */
export const pgBackRestTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '+00');
