// The Art. 30 processing log: processing-relevant events become hash-chained entries
// holding only HMAC subject refs, checkpoints are Ed25519-signed, and the chain verifies.
import type { Pool, PoolClient } from 'pg';
import type { Envelope } from '@vigil/events';
import { canonicalJson, sha256, subjectRef } from '@vigil/privacy';
import { chainHead, checkChainSegment, hashesAt, insertAuditEntry, insertCheckpoint, listCheckpoints, lockChainHead, tenantsNeedingCheckpoint } from '../db/audit.js';
import { getRequest } from '../db/requests.js';
import { asSystem, withTenant } from '../db/tenant.js';
import { checkpointSignatureValid, entryHash, GENESIS_HASH, signCheckpoint, type BrokenLink, type SigningKey } from './audit-chain.js';

export interface AuditDeps {
  pool: Pool;
  pseudonymKey: string;
  signingKey: SigningKey;
}

type Data = Record<string, unknown>;

/**
 * What of an event goes into the log: raw identifiers become HMAC refs, export data is
 * reduced to its checksum, free-text errors to a hash. Returns the subject ref if known.
 */
export async function redactForAudit(tx: PoolClient, key: string, event: Envelope, topic: string): Promise<{ data: Data; subjectRef: string | null }> {
  const data = { ...(event.data as Data) };
  const ref = (v: string) => subjectRef(key, event.tenantId, v);
  switch (topic) {
    case 'gdpr.subject-requests': {
      const ids = (data.identifiers as { type: string; value: string }[]) ?? [];
      data.identifiers = ids.map((i) => ({ type: i.type, ref: ref(i.value) }));
      const request = await getRequest(tx, data.requestId as string);
      return { data, subjectRef: request?.subjectRef ?? null };
    }
    case 'gdpr.request-receipts': {
      const part = data.exportPart as { format: string; sha256: string } | undefined;
      if (part) data.exportPart = { format: part.format, sha256: part.sha256 };
      if (typeof data.error === 'string') data.error = { sha256: sha256(data.error) };
      const request = await getRequest(tx, data.requestId as string);
      return { data, subjectRef: request?.subjectRef ?? null };
    }
    case 'gdpr.consent':
    case 'audit.processing':
      return { data, subjectRef: (data.subjectRef as string | undefined) ?? null };
    default:
      return { data, subjectRef: null };
  }
}

/** Appends one event to its tenant's chain, inside the caller's tenant-scoped transaction. */
export async function appendToChain(tx: PoolClient, key: string, event: Envelope, topic: string): Promise<boolean> {
  const { data, subjectRef: ref } = await redactForAudit(tx, key, event, topic);
  const content = canonicalJson({ eventId: event.id, type: event.type, version: event.version, source: event.source, occurredAt: event.occurredAt, data });
  const head = await lockChainHead(tx, event.tenantId);
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  return insertAuditEntry(tx, event.tenantId, { seq, eventId: event.id, topic, subjectRef: ref, content, prevHash, hash: entryHash(prevHash, seq, content) });
}

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
  const { head, checkpoints } = await withTenant(deps.pool, tenantId, async (tx) => ({ head: await chainHead(tx, tenantId), checkpoints: await listCheckpoints(tx, tenantId) }));
  const last = head?.seq ?? 0;
  const segments: [number, number][] = [];
  for (let from = 1; from <= last; from += SEGMENT) segments.push([from, Math.min(last, from + SEGMENT - 1)]);
  let broken: BrokenLink | undefined;
  let next = 0;
  const worker = async () => {
    while (next < segments.length) {
      const [from, to] = segments[next++]!;
      if (broken && broken.seq < from) return;
      const r = await withTenant(deps.pool, tenantId, (tx) => checkChainSegment(tx, tenantId, from, to, GENESIS_HASH));
      if (r.firstBroken && (!broken || r.firstBroken.seq < broken.seq)) broken = r.firstBroken;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, segments.length) }, worker));
  const entries = broken ? broken.seq - 1 : last;
  return withTenant(deps.pool, tenantId, async (tx) => {
    const intactUpTo = entries;
    const stored = await hashesAt(tx, tenantId, checkpoints.filter((c) => c.seq <= intactUpTo).map((c) => c.seq));
    let verifiedCheckpoints = 0;
    for (const c of checkpoints) {
      let bad: BrokenLink | undefined;
      if (c.seq > intactUpTo) {
        // Entries the checkpoint vouches for are gone (cut from the end), unless an earlier break explains it.
        if (!broken) bad = { seq: intactUpTo + 1, reason: 'sequence-gap', expected: `entries up to checkpoint ${c.seq}`, found: `chain ends at ${intactUpTo}` };
      } else if (!checkpointSignatureValid(deps.signingKey, tenantId, c.seq, c.hash, c.signature)) {
        bad = { seq: c.seq, reason: 'checkpoint-signature-invalid', expected: 'valid Ed25519 signature', found: c.signature };
      } else if (stored.get(c.seq) !== c.hash) {
        bad = { seq: c.seq, reason: 'checkpoint-mismatch', expected: c.hash, found: stored.get(c.seq) ?? '(missing)' };
      }
      if (bad) {
        if (!broken || bad.seq < broken.seq) broken = bad;
        break;
      }
      if (c.seq <= intactUpTo) verifiedCheckpoints++;
    }
    const latest = checkpoints[checkpoints.length - 1];
    return {
      valid: !broken,
      entries: broken ? Math.min(entries, broken.seq - 1) : entries,
      head: head ?? null,
      checkpoints: { total: checkpoints.length, verified: verifiedCheckpoints, latestSeq: latest?.seq ?? null },
      firstBroken: broken ?? null,
      verifiedAt: new Date().toISOString(),
    };
  });
}

/** Signs the current head of one tenant's chain. */
export async function checkpointTenant(deps: AuditDeps, tenantId: string) {
  return withTenant(deps.pool, tenantId, async (tx) => {
    const head = await chainHead(tx, tenantId);
    if (!head) return null;
    const signature = signCheckpoint(deps.signingKey, tenantId, head.seq, head.hash);
    await insertCheckpoint(tx, tenantId, { seq: head.seq, hash: head.hash, signature, keyId: deps.signingKey.keyId });
    return { seq: head.seq, hash: head.hash, signature, keyId: deps.signingKey.keyId };
  });
}

/** Periodic: one signed checkpoint per tenant whose chain grew. */
export async function checkpointAll(deps: AuditDeps): Promise<number> {
  const due = await asSystem(deps.pool, (tx) => tenantsNeedingCheckpoint(tx));
  for (const t of due) await checkpointTenant(deps, t.tenantId);
  return due.length;
}
