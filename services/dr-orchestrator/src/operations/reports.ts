// Read models for the API: backup/verification views, objectives, trends, the continuity document.
import type { Pool } from 'pg';
import { decodeCursor, type PageRequest } from '@vigil/service-kit';
import { getBackup, lastVerifiedSnapshotAt, listBackups, pageBackups, type Backup } from '../db/backups.js';
import { listBreaches, openBreaches } from '../db/breaches.js';
import { listPolicies, type Policy } from '../db/policies.js';
import { getVerification, lastFinished, lastPassedRestore, lastProvenBackup, listVerifications, pageVerifications, type PassedRestore, type Verification, type VerificationKind } from '../db/verifications.js';
import { continuityDocument, type ContinuityEntry, type Proof } from '../domain/continuity.js';
import { rpoState, rtoState } from '../domain/objectives.js';
import { buildTrends } from '../domain/trends.js';
import { backupNotFound, verificationNotFound } from '../errors.js';
import { requirePolicy } from './policies.js';

export function backupView(b: Backup) {
  return {
    id: b.id,
    policyId: b.policyId,
    status: b.status,
    trigger: b.trigger,
    verificationStatus: b.verificationStatus,
    phase: b.phase,
    progressPct: b.progressPct,
    path: b.path,
    sizeBytes: b.sizeBytes,
    fileCount: b.fileCount,
    manifestSha256: b.manifestSha256,
    snapshotAt: b.snapshotAt?.toISOString() ?? null,
    tables: b.facts?.tables.length ?? null,
    rows: b.facts ? b.facts.tables.reduce((n, t) => n + t.rows, 0) : null,
    schemaSha256: b.facts?.schemaSha256 ?? null,
    error: b.error,
    startedAt: b.startedAt.toISOString(),
    finishedAt: b.finishedAt?.toISOString() ?? null,
    durationMs: b.durationMs,
    backupType: b.backupType,
    physical: b.physical as Record<string, unknown> | null,
  };
}

export function verificationView(v: Verification) {
  return {
    id: v.id,
    policyId: v.policyId,
    backupId: v.backupId,
    kind: v.kind,
    trigger: v.trigger,
    status: v.status,
    phase: v.phase,
    progressPct: v.progressPct,
    checks: v.checks,
    restoreMs: v.restoreMs,
    rtoSeconds: v.rtoSeconds,
    error: v.error,
    verifiedRpoSeconds: v.verifiedRpoSeconds,
    startedAt: v.startedAt.toISOString(),
    finishedAt: v.finishedAt?.toISOString() ?? null,
  };
}

export async function backupsOf(pool: Pool, tenantId: string, policyId: string, page: PageRequest) {
  await requirePolicy(pool, tenantId, policyId);
  const { items, nextCursor } = await pageBackups(pool, tenantId, policyId, page.limit, decodeCursor(page.cursor, 2));
  return { items: items.map(backupView), nextCursor };
}

export async function oneBackup(pool: Pool, tenantId: string, id: string) {
  const b = await getBackup(pool, tenantId, id);
  if (!b) throw backupNotFound(id);
  return backupView(b);
}

export async function verificationsOf(pool: Pool, tenantId: string, policyId: string, page: PageRequest, kind?: VerificationKind) {
  await requirePolicy(pool, tenantId, policyId);
  const { items, nextCursor } = await pageVerifications(pool, tenantId, policyId, kind, page.limit, decodeCursor(page.cursor, 2));
  return { items: items.map(verificationView), nextCursor };
}

export async function oneVerification(pool: Pool, tenantId: string, id: string) {
  const v = await getVerification(pool, tenantId, id);
  if (!v) throw verificationNotFound(id);
  return verificationView(v);
}

async function objectiveStates(pool: Pool, policy: Policy, now: Date) {
  const verifiedAt = await lastVerifiedSnapshotAt(pool, policy.id);
  const lastPassed = (await listVerifications(pool, policy.tenantId, policy.id, undefined, 50)).find((v) => v.status === 'passed' && v.rtoSeconds !== null);
  return {
    verifiedAt,
    rpo: rpoState(policy.rpoTargetSeconds, verifiedAt, policy.createdAt, now),
    rto: rtoState(policy.rtoTargetSeconds, lastPassed?.rtoSeconds ?? undefined),
  };
}

export async function objectivesOf(pool: Pool, tenantId: string, policyId: string, now = new Date()) {
  const policy = await requirePolicy(pool, tenantId, policyId);
  const s = await objectiveStates(pool, policy, now);
  const open = await openBreaches(pool, policy.id);
  return {
    policyId: policy.id,
    lastVerifiedSnapshotAt: s.verifiedAt?.toISOString() ?? null,
    rpo: { targetSeconds: s.rpo.targetSeconds, actualSeconds: s.rpo.actualSeconds ?? null, breached: s.rpo.breached },
    rto: { targetSeconds: s.rto.targetSeconds, actualSeconds: s.rto.actualSeconds ?? null, breached: s.rto.breached },
    openBreaches: open.map((b) => ({ objective: b.objective, targetSeconds: b.targetSeconds, actualSeconds: b.actualSeconds, detectedAt: b.detectedAt.toISOString() })),
  };
}

export async function trendsOf(pool: Pool, tenantId: string, policyId: string, days: number, now = new Date()) {
  const policy = await requirePolicy(pool, tenantId, policyId);
  const since = new Date(now.getTime() - days * 86_400_000);
  const backups = (await listBackups(pool, policy.tenantId, policy.id, 10_000)).filter((b) => b.startedAt >= since);
  const verifications = (await listVerifications(pool, policy.tenantId, policy.id, undefined, 10_000)).filter((v) => v.startedAt >= since);
  const breaches = await listBreaches(pool, policy.tenantId, policy.id, since);
  return {
    policyId: policy.id,
    since: since.toISOString(),
    ...buildTrends({ backups, verifications }),
    breaches: breaches.map((b) => ({
      objective: b.objective,
      targetSeconds: b.targetSeconds,
      actualSeconds: b.actualSeconds,
      detectedAt: b.detectedAt.toISOString(),
      resolvedAt: b.resolvedAt?.toISOString() ?? null,
    })),
  };
}

const proofFrom = (r: PassedRestore): Proof => ({ restoreKind: r.kind, provenAt: r.finishedAt, backupStartedAt: r.backupStartedAt, snapshotAt: r.snapshotAt });

export async function continuityOf(pool: Pool, tenantId: string, now = new Date()): Promise<string> {
  const entries: ContinuityEntry[] = [];
  for (const p of await listPolicies(pool, tenantId)) {
    const s = await objectiveStates(pool, p, now);
    const last = (await listBackups(pool, tenantId, p.id, 1))[0];
    const drill = await lastFinished(pool, p.id, 'drill');
    const verification = p.kind === 'physical' ? await lastFinished(pool, p.id, 'verification') : undefined;
    const proven = await lastProvenBackup(pool, p.id);
    const passed = proven ? undefined : await lastPassedRestore(pool, p.id);
    entries.push({
      kind: p.kind,
      verifiedRpoSeconds: verification?.status === 'passed' ? verification.verifiedRpoSeconds : null,
      name: p.name,
      database: p.database,
      source: p.sourceDisplay,
      schedule: p.schedule,
      drillSchedule: p.drillSchedule,
      repositoryPath: p.repositoryPath,
      retentionCount: p.retentionCount,
      enabled: p.enabled,
      rpo: s.rpo,
      rto: s.rto,
      lastBackup: last ? { at: last.startedAt, status: last.status, sizeBytes: last.sizeBytes } : undefined,
      lastProven: proven && proofFrom(proven),
      lastPassedRestore: !proven && passed ? { ...proofFrom(passed), backupStatus: passed.backupStatus, backupVerification: passed.backupVerification } : undefined,
      lastDrill: drill
        ? { at: drill.finishedAt ?? drill.startedAt, status: drill.status, rtoSeconds: drill.rtoSeconds, failedChecks: drill.checks.filter((c) => c.outcome === 'failed').map((c) => c.name) }
        : undefined,
    });
  }
  return continuityDocument(tenantId, entries, now);
}
