// The Art. 30 processing log: processing-relevant events become hash-chained entries
// holding only HMAC subject refs, checkpoints are Ed25519-signed, and the chain verifies.
import type { Pool, PoolClient } from 'pg';
import type { Envelope } from '@vigil/events';
import { subjectRef } from '@vigil/privacy';
import { chainedEventIds, chainHead, chainPage, insertAuditEntries, insertCheckpoint, listAuditEntries, listCheckpoints, lockChainHead, tenantsNeedingCheckpoint } from '../db/audit.js';
import { getRequest } from '../db/requests.js';
import { cursorInvalid, decodeCursor, pageInMemory, scopeTransaction, withTransaction, type PageRequest } from '@vigil/service-kit';
import { asTenant, tenantScope } from './tenant-scope.js';
import { ChainVerifier, checkCheckpoint, entryHash, GENESIS_HASH, signCheckpoint, type BrokenLink, type SigningKey } from '../domain/audit-chain.js';
import { auditContent, redactForAudit } from '../domain/audit-entry.js';

export interface AuditDeps {
  pool: Pool;
  pseudonymKey: string;
  signingKey: SigningKey;
}

/**
 * Appends events to their tenants' chains inside the caller's transaction (the consumer's inbox
 * one, or the consent writer's), in the order given: per tenant, one chain lock, one multi-row
 * insert. Events already in the chain are skipped (a ConsentChanged is appended by the consent
 * writer in its own transaction and arrives again through the feed). Leaves the transaction
 * scoped to the last tenant. Returns how many entries were appended.
 */
export async function appendToChains(tx: PoolClient, key: string, events: readonly { event: Envelope; topic: string }[]): Promise<number> {
  const byTenant = new Map<string, { event: Envelope; topic: string }[]>();
  for (const e of events) byTenant.set(e.event.tenantId, [...(byTenant.get(e.event.tenantId) ?? []), e]);
  let appended = 0;
  for (const [tenantId, list] of byTenant) {
    await scopeTransaction(tx, tenantScope(tenantId));
    const refs = new Map<string, string | null>();
    const entries = [];
    for (const { event, topic } of list) {
      const redacted = redactForAudit(key, event, topic);
      let ref = redacted.subjectRef;
      if (redacted.requestId) {
        if (!refs.has(redacted.requestId)) refs.set(redacted.requestId, (await getRequest(tx, redacted.requestId))?.subjectRef ?? null);
        ref = refs.get(redacted.requestId)!;
      }
      entries.push({ eventId: event.id, topic, subjectRef: ref, content: auditContent(event, redacted.data) });
    }
    const head = await lockChainHead(tx, tenantId);
    const chained = await chainedEventIds(tx, tenantId, entries.map((e) => e.eventId));
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const rows = [];
    const seen = new Set<string>();
    for (const e of entries) {
      if (chained.has(e.eventId) || seen.has(e.eventId)) continue;
      seen.add(e.eventId);
      seq++;
      const hash = entryHash(prevHash, seq, e.content);
      rows.push({ ...e, seq, prevHash, hash });
      prevHash = hash;
    }
    await insertAuditEntries(tx, tenantId, rows);
    appended += rows.length;
  }
  return appended;
}

/** A page of the tenant's log, optionally for one subject (looked up by its pseudonym) or topic. */
/** Seq-keyed cursors (the audit log and consent history): the seq of the previous page's last entry. */
export function seqCursor(cursor: string | undefined): number | undefined {
  const key = decodeCursor(cursor, 1);
  if (key && !Number.isSafeInteger(key[0])) throw cursorInvalid();
  return key?.[0] as number | undefined;
}

/** The chain in order (seq ascending), one page. */
export async function auditEntries(deps: AuditDeps, tenantId: string, q: PageRequest & { topic?: string; subjectId?: string }) {
  const ref = q.subjectId ? subjectRef(deps.pseudonymKey, tenantId, q.subjectId) : undefined;
  const page = await withTransaction(deps.pool, (tx) => listAuditEntries(tx, { subjectRef: ref, topic: q.topic, afterSeq: seqCursor(q.cursor) ?? 0, limit: q.limit }), asTenant(tenantId));
  return { items: page.items.map((r) => ({ ...r, content: JSON.parse(r.content) as unknown })), nextCursor: page.nextCursor };
}

export const auditCheckpoints = async (deps: AuditDeps, tenantId: string, page: PageRequest) =>
  pageInMemory(await withTransaction(deps.pool, (tx) => listCheckpoints(tx, tenantId), asTenant(tenantId)), page, (c) => [c.seq], ['asc']);

export interface VerifyResult {
  valid: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  checkpoints: { total: number; verified: number; latestSeq: number | null; latestVerifiedSeq: number | null; latestSignedAt: string | null };
  firstBroken: BrokenLink | null;
  verifiedAt: string;
}

const PAGE = 5_000;

/**
 * Streams the tenant's chain in seq order (keyset pages of PAGE rows from one repeatable-read
 * snapshot; the next page is requested before the current one is hashed, so PostgreSQL reads
 * while Node hashes) and checks each signed checkpoint when the stream reaches it. Memory holds
 * two pages whatever the chain length. The first broken link is the earliest of: a bad entry, a
 * checkpoint whose signature or hash does not hold, or entries missing after the latest checkpoint.
 */
export async function verifyChain(deps: AuditDeps, tenantId: string): Promise<VerifyResult> {
  return withTransaction(
    deps.pool,
    async (tx) => {
      const head = (await chainHead(tx, tenantId)) ?? null;
      const checkpoints = await listCheckpoints(tx, tenantId);
      const chain = new ChainVerifier();
      let broken: BrokenLink | undefined;
      let verified = 0;
      let nextCheckpoint = 0;
      let pending: Promise<[number, string, string, string][]> | undefined = chainPage(tx, tenantId, 0, PAGE);
      while (pending && !broken) {
        const rows: [number, string, string, string][] = await pending;
        pending = rows.length === PAGE ? chainPage(tx, tenantId, rows[rows.length - 1]![0], PAGE) : undefined;
        const firstSeq = chain.checked + 1;
        let intact = true;
        for (const r of rows) if (!(intact = chain.feedRow(r[0], r[1], r[2], r[3]))) break;
        // Checkpoints inside the intact part of this page; one that fails is earlier than any later break.
        for (; nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.seq <= chain.checked; nextCheckpoint++) {
          const c = checkpoints[nextCheckpoint]!;
          const bad = checkCheckpoint(deps.signingKey, tenantId, c, rows[c.seq - firstSeq]![2]);
          if (bad) {
            broken = bad;
            break;
          }
          verified++;
        }
        if (!broken && !intact) broken = chain.broken;
      }
      if (pending) await pending.catch(() => undefined); // stopped early: let the prefetch finish before COMMIT
      const after = checkpoints[nextCheckpoint];
      if (!broken && after) broken = { seq: chain.checked + 1, reason: 'sequence-gap', expected: `entries up to checkpoint ${after.seq}`, found: `chain ends at ${chain.checked}` };
      const latest = checkpoints[checkpoints.length - 1];
      const latestVerified = verified ? checkpoints[verified - 1] : undefined;
      return {
        valid: !broken,
        entries: broken ? Math.min(chain.checked, broken.seq - 1) : chain.checked,
        head,
        checkpoints: {
          total: checkpoints.length,
          verified,
          latestSeq: latest?.seq ?? null,
          latestVerifiedSeq: latestVerified?.seq ?? null,
          latestSignedAt: latestVerified?.signedAt ?? null,
        },
        firstBroken: broken ?? null,
        verifiedAt: new Date().toISOString(),
      };
    },
    { ...asTenant(tenantId), isolation: 'repeatable read', readOnly: true },
  );
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
