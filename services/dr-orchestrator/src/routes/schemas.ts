// Response and input shapes shared by the routes.
import { Type } from '@sinclair/typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Uuid = Type.String({ format: 'uuid' });
export const PolicyParams = Type.Object({ policyId: Uuid });
export const BackupParams = Type.Object({ backupId: Uuid });
export const VerificationParams = Type.Object({ verificationId: Uuid });

const Cron = Type.String({ minLength: 1, maxLength: 200 });
export const PhysicalBody = Type.Object(
  {
    stanza: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'pgBackRest stanza; default vigil-<policy id prefix>' })),
    pgDataPath: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Data directory of the source cluster (required for physical)' })),
    pgSocketPath: Type.Optional(Type.String({ maxLength: 1000 })),
    diffSchedule: Type.Optional(Nullable(Cron)),
    incrSchedule: Type.Optional(Nullable(Cron)),
    retentionFull: Type.Optional(Type.Integer({ minimum: 1, maximum: 9_999_999 })),
    retentionDiff: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 9_999_999 }))),
    heartbeatSchema: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'Vigil-owned schema in the source for the heartbeat table' })),
    heartbeatSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    archiveStallSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
    encryption: Type.Optional(Type.Boolean({ description: 'repo1-cipher-type=aes-256-cbc; default true' })),
    repoType: Type.Optional(Type.Union([Type.Literal('posix'), Type.Literal('azure')])),
    azure: Type.Optional(
      Nullable(
        Type.Object(
          { account: Type.String({ minLength: 1 }), container: Type.String({ minLength: 1 }), key: Type.String({ minLength: 1 }), endpoint: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

export const PolicyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    sourceUrl: Type.String({ minLength: 1, maxLength: 2000, description: 'postgres:// URL of the database to back up; stored encrypted, never returned' }),
    schedule: Type.String({ minLength: 1, maxLength: 200, description: 'Cron expression (UTC), 5 or 6 fields' }),
    jobs: Type.Optional(Type.Integer({ minimum: 1, maximum: 32, description: 'pg_dump/pg_restore parallel jobs' })),
    repositoryPath: Type.String({ minLength: 1, maxLength: 1000, description: 'Absolute local folder for backups' }),
    retentionCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    rpoTargetSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    rtoTargetSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
    drillSchedule: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    enabled: Type.Optional(Type.Boolean()),
    kind: Type.Optional(Type.Union([Type.Literal('logical'), Type.Literal('physical')], { description: 'logical (pg_dump, default) or physical (pgBackRest + WAL archiving)' })),
    physical: Type.Optional(PhysicalBody),
  },
  { additionalProperties: false },
);

export const PolicyPatchBody = Type.Partial(PolicyBody, { additionalProperties: false, minProperties: 1 });

export const Policy = Type.Object({
  id: Type.String(),
  name: Type.String(),
  database: Type.String(),
  source: Type.String({ description: 'Redacted source URL' }),
  schedule: Type.String(),
  jobs: Type.Integer(),
  repositoryPath: Type.String(),
  retentionCount: Type.Integer(),
  rpoTargetSeconds: Type.Integer(),
  rtoTargetSeconds: Type.Integer(),
  drillSchedule: Nullable(Type.String()),
  enabled: Type.Boolean(),
  kind: Type.String(),
  physical: Nullable(Type.Record(Type.String(), Type.Unknown())),
  nextBackupAt: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const Backup = Type.Object({
  id: Type.String(),
  policyId: Type.String(),
  status: Type.String(),
  trigger: Type.String(),
  verificationStatus: Type.String(),
  phase: Type.String(),
  progressPct: Type.Number(),
  path: Nullable(Type.String()),
  sizeBytes: Nullable(Type.Number()),
  fileCount: Nullable(Type.Integer()),
  manifestSha256: Nullable(Type.String()),
  snapshotAt: Nullable(Type.String()),
  tables: Nullable(Type.Integer()),
  rows: Nullable(Type.Number()),
  schemaSha256: Nullable(Type.String()),
  error: Nullable(Type.String()),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer()),
  backupType: Nullable(Type.String()),
  physical: Nullable(Type.Record(Type.String(), Type.Unknown())),
});

export const Check = Type.Object({ name: Type.String(), outcome: Type.String(), detail: Type.String() });

export const Verification = Type.Object({
  id: Type.String(),
  policyId: Type.String(),
  backupId: Type.String(),
  kind: Type.String(),
  trigger: Type.String(),
  status: Type.String(),
  phase: Type.String(),
  progressPct: Type.Number(),
  checks: Type.Array(Check),
  restoreMs: Nullable(Type.Integer()),
  rtoSeconds: Nullable(Type.Number()),
  error: Nullable(Type.String()),
  verifiedRpoSeconds: Nullable(Type.Number()),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

export const Accepted = Type.Object({ id: Type.String(), backupId: Type.Optional(Type.String()), status: Type.String(), href: Type.String() });
