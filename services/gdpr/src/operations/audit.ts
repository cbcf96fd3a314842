// The Art. 30 processing log: processing-relevant events become hash-chained entries
// holding only HMAC subject refs, checkpoints are Ed25519-signed, and the chain verifies.
import type { Pool, PoolClient } from 'pg';
import type { Envelope } from '@vigil/events';
import { subjectRef } from '@vigil/privacy';
import { chainHead, checkChainSegment, hashesAt, insertAuditEntry, insertCheckpoint, listAuditEntries, listCheckpoints, lockChainHead, tenantsNeedingCheckpoint } from '../db/audit.js';
import { getRequest } from '../db/requests.js';
import { scopeTransaction, withTransaction } from '@vigil/service-kit';
import { asTenant, tenantScope } from './tenant-scope.js';
import { entryHash, GENESIS_HASH, reviewCheckpoints, signCheckpoint, type BrokenLink, type SigningKey } from '../domain/audit-chain.js';
import { auditContent, redactForAudit } from '../domain/audit-entry.js';

export interface AuditDeps {
  pool: Pool;
  pseudonymKey: string;
  signingKey: SigningKey;
}

/** Appends one event to its tenant's chain, inside the caller's transaction (the consumer's inbox one), scoped to the event's tenant. */
export async function appendToChain(tx: PoolClient, key: string, event: Envelope, topic: string): Promise<boolean> {
  await scopeTransaction(tx, tenantScope(event.tenantId));
  const redacted = redactForAudit(key, event, topic);
  const ref = redacted.requestId ? ((await getRequest(tx, redacted.requestId))?.subjectRef ?? null) : redacted.subjectRef;
  const content = auditContent(event, redacted.data);
  const head = await lockChainHead(tx, event.tenantId);
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  return insertAuditEntry(tx, event.tenantId, { seq, eventId: event.id, topic, subjectRef: ref, content, prevHash, hash: entryHash(prevHash, seq, content) });
}

/** A page of the tenant's log, optionally for one subject (looked up by its pseudonym) or topic. */
export async function auditEntries(deps: AuditDeps, tenantId: string, q: { afterSeq: number; limit: number; topic?: string; subjectId?: string }) {
  const ref = q.subjectId ? subjectRef(deps.pseudonymKey, tenantId, q.subjectId) : undefined;
  const rows = await withTransaction(deps.pool, (tx) => listAuditEntries(tx, { subjectRef: ref, topic: q.topic, afterSeq: q.afterSeq, limit: q.limit }), asTenant(tenantId));
  return rows.map((r) => ({ ...r, content: JSON.parse(r.content) as unknown }));
}

export const auditCheckpoints = (deps: AuditDeps, tenantId: string) => withTransaction(deps.pool, (tx) => listCheckpoints(tx, tenantId), asTenant(tenantId));

export interface VerifyResult {
  valid: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  checkpoints: { total: number; verified: number; latestSeq: number | null };
  firstBroken: BrokenLink | null;
  verifiedAt: string;
}

const SEGMENT = 50_000;
const PARALLEL = 3;

/**
 * Checks the tenant's whole chain, segment by segment in parallel (each recomputed and linked
 * inside PostgreSQL, so the rows never cross the wire), then every signed checkpoint. The first
 * broken link is the earliest of: a bad entry, a checkpoint whose signature or hash does not
 * hold, or entries missing after the latest checkpoint.
 */
export async function verifyChain(deps: AuditDeps, tenantId: string): Promise<VerifyResult> {
  const { head, checkpoints } = await withTransaction(deps.pool, async (tx) => ({ head: await chainHead(tx, tenantId), checkpoints: await listCheckpoints(tx, tenantId) }), asTenant(tenantId));
  const last = head?.seq ?? 0;
  const segments: [number, number][] = [];
  for (let from = 1; from <= last; from += SEGMENT) segments.push([from, Math.min(last, from + SEGMENT - 1)]);
  let broken: BrokenLink | undefined;
  let next = 0;
  const worker = async () => {
    while (next < segments.length) {
      const [from, to] = segments[next++]!;
      if (broken && broken.seq < from) return;
      const r = await withTransaction(deps.pool, (tx) => checkChainSegment(tx, tenantId, from, to, GENESIS_HASH), asTenant(tenantId));
      if (r.firstBroken && (!broken || r.firstBroken.seq < broken.seq)) broken = r.firstBroken;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, segments.length) }, worker));
  const entries = broken ? broken.seq - 1 : last;
  return withTransaction(deps.pool, async (tx) => {
    const intactUpTo = entries;
    const stored = await hashesAt(tx, tenantId, checkpoints.filter((c) => c.seq <= intactUpTo).map((c) => c.seq));
    const review = reviewCheckpoints(deps.signingKey, tenantId, checkpoints, intactUpTo, !!broken, stored);
    if (review.broken && (!broken || review.broken.seq < broken.seq)) broken = review.broken;
    const verifiedCheckpoints = review.verified;
    const latest = checkpoints[checkpoints.length - 1];
    return {
      valid: !broken,
      entries: broken ? Math.min(entries, broken.seq - 1) : entries,
      head: head ?? null,
      checkpoints: { total: checkpoints.length, verified: verifiedCheckpoints, latestSeq: latest?.seq ?? null },
      firstBroken: broken ?? null,
      verifiedAt: new Date().toISOString(),
    };
  }, asTenant(tenantId));
}

/** Signs the current head of one tenant's chain. */
export async function checkpointTenant(deps: AuditDeps, tenantId: string) {
  return withTransaction(deps.pool, async (tx) => {
    const head = await chainHead(tx, tenantId);
    if (!head) return null;
    const signature = signCheckpoint(deps.signingKey, tenantId, head.seq, head.hash);
    await insertCheckpoint(tx, tenantId, { seq: head.seq, hash: head.hash, signature, keyId: deps.signingKey.keyId });
    return { seq: head.seq, hash: head.hash, signature, keyId: deps.signingKey.keyId };
  }, asTenant(tenantId));
}

/** Periodic: one signed checkpoint per tenant whose chain grew. */
export async function checkpointAll(deps: AuditDeps): Promise<number> {
  const due = await withTransaction(deps.pool, (tx) => tenantsNeedingCheckpoint(tx));
  for (const t of due) await checkpointTenant(deps, t.tenantId);
  return due.length;
}
