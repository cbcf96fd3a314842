// dr-orchestrator: backups, restore verification, recovery objectives and progress.
import { Type } from '@sinclair/typebox';
import { defineEvent } from '../define.js';
import { Id, Timestamp } from './common.js';

const Outcome = Type.Union([Type.Literal('passed'), Type.Literal('failed')]);

export const BackupFinished = defineEvent({
  type: 'BackupFinished',
  topic: 'dr.backups',
  version: 1,
  description: 'A backup completed (checksummed and fsynced) or failed.',
  key: (d) => d.policyId,
  schema: Type.Object({
    policyId: Id,
    backupId: Id,
    database: Type.String(),
    outcome: Type.Union([Type.Literal('completed'), Type.Literal('failed')]),
    sizeBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    durationMs: Type.Integer({ minimum: 0 }),
    error: Type.Optional(Type.String()),
    finishedAt: Timestamp,
    runbookUrl: Type.Optional(Type.String()),
  }),
});

export const VerificationFinished = defineEvent({
  type: 'VerificationFinished',
  topic: 'dr.verifications',
  version: 1,
  description: 'A backup restored into a scratch database and checked.',
  key: (d) => d.policyId,
  schema: Type.Object({
    policyId: Id,
    backupId: Id,
    verificationId: Type.Optional(Id),
    kind: Type.Optional(Type.Union([Type.Literal('verification'), Type.Literal('drill')])),
    database: Type.String(),
    outcome: Outcome,
    checks: Type.Array(Type.Object({ name: Type.String(), outcome: Outcome, detail: Type.String() })),
    rtoSeconds: Type.Number({ minimum: 0 }),
    finishedAt: Timestamp,
    runbookUrl: Type.Optional(Type.String()),
  }),
});

export const RecoveryObjectiveBreached = defineEvent({
  type: 'RecoveryObjectiveBreached',
  topic: 'dr.objectives',
  version: 1,
  description: 'Measured RPO or RTO above its target.',
  key: (d) => d.policyId,
  schema: Type.Object({
    policyId: Id,
    database: Type.String(),
    objective: Type.Union([Type.Literal('rpo'), Type.Literal('rto')]),
    targetSeconds: Type.Number({ minimum: 0 }),
    actualSeconds: Type.Number({ minimum: 0 }),
    detectedAt: Timestamp,
    runbookUrl: Type.Optional(Type.String()),
    /** Why the objective is at risk when it is not a measured age: WAL archiving failed or stalled (RPO unbounded). */
    cause: Type.Optional(Type.Union([Type.Literal('archiving-failed'), Type.Literal('archiving-stalled')])),
    detail: Type.Optional(Type.String()),
  }),
});

export const OperationProgressed = defineEvent({
  type: 'OperationProgressed',
  topic: 'dr.progress',
  version: 1,
  description: 'Progress of a long DR operation (backup, verification, drill), from pg_dump --verbose and pg_restore -l entries.',
  key: (d) => d.policyId,
  schema: Type.Object({
    policyId: Id,
    operationId: Id,
    kind: Type.Union([Type.Literal('backup'), Type.Literal('verification'), Type.Literal('drill')]),
    phase: Type.String(),
    percent: Type.Number({ minimum: 0, maximum: 100 }),
    at: Timestamp,
  }),
});
