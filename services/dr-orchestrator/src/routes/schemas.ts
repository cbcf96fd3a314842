// Response and input shapes shared by the routes.
import { Type } from '@sinclair/typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

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
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
});

export const Accepted = Type.Object({ id: Type.String(), backupId: Type.Optional(Type.String()), status: Type.String(), href: Type.String() });
