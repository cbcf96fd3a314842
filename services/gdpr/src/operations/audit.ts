// The Art. 30 processing log: processing-relevant events become hash-chained entries
// holding only HMAC subject refs, checkpoints are Ed25519-signed, and the chain verifies.
import { availableParallelism } from 'node:os';
import type { Pool, PoolClient } from 'pg';
import type { Envelope } from '@vigil/events';
import { subjectRef } from '@vigil/privacy';
import { chainedEventIds, chainHead, copyChainSegment, insertAuditEntries, insertCheckpoint, listAuditEntries, listCheckpoints, lockChainHead, tenantsNeedingCheckpoint } from '../db/audit.js';
import { requestSubjectRefs } from '../db/requests.js';
import { cursorInvalid, decodeCursor, pageInMemory, scopeTransaction, withTransaction, type PageRequest } from '@vigil/service-kit';
import { asTenant, tenantScope } from './tenant-scope.js';
import { ChainJoin, entryHash, GENESIS_HASH, signCheckpoint, type BrokenLink, type SigningKey } from '../domain/audit-chain.js';
import type { ChainPageResult } from '../domain/chain-page.mjs';
import { ChainHashers } from './chain-hashers.js';
import { auditContent, redactForAudit, type RedactedEvent } from '../domain/audit-entry.js';

export interface AuditDeps {
  pool: Pool;
  pseudonymKey: string;
  signingKey: SigningKey;
  /** Worker threads for verification (default: CPUs - 1, between 1 and 2, shared in the process; size 0: this thread). */
  hashers?: ChainHashers;
}

interface NewEntry {
  eventId: string;
  topic: string;
  subjectRef: string | null;
  content: string;
}

function entryOf(event: Envelope, topic: string, redacted: RedactedEvent, requestRef?: string | null): NewEntry {
  return { eventId: event.id, topic, subjectRef: redacted.requestId ? (requestRef ?? null) : redacted.subjectRef, content: auditContent(event, redacted.data) };
}

type ChainHead = { seq: number; hash: string } | undefined;

/** Appends `entries` in order after the chain head (locked by the caller's transaction: lockChainHead). */
async function appendEntries(tx: PoolClient, tenantId: string, entries: NewEntry[], head: ChainHead): Promise<number> {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  const rows = entries.map((e) => {
    seq++;
    const hash = entryHash(prevHash, seq, e.content);
    const row = { ...e, seq, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await insertAuditEntries(tx, tenantId, rows);
  return rows.length;
}

/**
 * Appends events to their tenants' chains inside the caller's transaction (the audit feed's
 * inbox one), in the order given: per tenant, one chain lock, one multi-row insert. Events
 * already in the chain are skipped (a ConsentChanged is appended by the consent writer in its own
 * transaction and arrives again through the feed). Leaves the transaction scoped to the last
 * tenant. Returns how many entries were appended.
 */
export async function appendToChains(tx: PoolClient, key: string, events: readonly { event: Envelope; topic: string }[]): Promise<number> {
  const byTenant = new Map<string, { event: Envelope; topic: string }[]>();
  for (const e of events) {
    const list = byTenant.get(e.event.tenantId);
    if (list) list.push(e);
    else byTenant.set(e.event.tenantId, [e]);
  }
  let appended = 0;
  for (const [tenantId, all] of byTenant) {
    await scopeTransaction(tx, tenantScope(tenantId));
    // Already chained (by the writer that produced them): skipped before any redaction work.
    const chained = await chainedEventIds(tx, tenantId, all.map((e) => e.event.id));
    const seen = new Set<string>();
    const list = all.filter(({ event }) => !chained.has(event.id) && !seen.has(event.id) && !!seen.add(event.id));
    if (!list.length) continue;
    // A request or receipt event carries no subject ref: it is the request's.
    const redacted = list.map(({ event, topic }) => redactForAudit(key, event, topic));
    const refs = await requestSubjectRefs(tx, [...new Set(redacted.flatMap((r) => (r.requestId ? [r.requestId] : [])))]);
    const head = await lockChainHead(tx, tenantId);
    appended += await appendEntries(tx, tenantId, list.map(({ event, topic }, i) => entryOf(event, topic, redacted[i]!, refs.get(redacted[i]!.requestId ?? ''))), head);
  }
  return appended;
}

/** Entries for events not yet in the chain, redacted and serialised (no chain position yet): for db lockedAppendAndCommit. */
export type PreparedEntries = NewEntry[];

/** Redacts and serialises events for a chain append; pure, so it runs before the chain lock is taken. */
export function prepareNewEntries(key: string, events: readonly { event: Envelope; topic: string }[]): PreparedEntries {
  return events.map(({ event, topic }) => entryOf(event, topic, redactForAudit(key, event, topic)));
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

/** Hashing workers shared by every verification of this process (idle ones hold nothing open). */
let sharedHashers: ChainHashers | undefined;
/** One worker per CPU, at most four: this thread only reads the pages and joins their results. */
const defaultHashers = () => (sharedHashers ??= new ChainHashers(Math.max(1, Math.min(4, availableParallelism()))));

/** Entries per COPY (a broken chain stops at the end of the segment it broke in). */
const SEGMENT = 50_000;
/** Below this many entries the pages are checked on this thread (no hand-over to a worker). */
const IN_THREAD_BELOW = 20_000;
/** Pages (~512 KB each) handed to the hashers and not yet joined; past this the COPY stream waits. */
const PAGES_IN_FLIGHT_PER_HASHER = 3;

/**
 * Streams the tenant's chain in seq order from one repeatable-read snapshot: COPY segments of
 * binary tuples (no row objects), cut into pages that the hashing workers check on their own
 * (each page to the least busy one) while this thread reads the next ones; the pages are joined in order
 * (ChainJoin), which checks each signed checkpoint when the intact chain reaches it. At most
 * `hashers × PAGES_IN_FLIGHT_PER_HASHER` pages are out: beyond that the COPY stream is paused
 * (TCP backpressure), so memory stays flat whatever the chain length. The first broken link is
 * the earliest of: a bad entry, a checkpoint whose signature or hash does not hold, or entries
 * missing after the latest checkpoint. `o` (for tests): entries per COPY, and the chain length
 * from which workers hash.
 */
export async function verifyChain(deps: AuditDeps, tenantId: string, o: { segment?: number; inThreadBelow?: number } = {}): Promise<VerifyResult> {
  const segment = o.segment ?? SEGMENT;
  return withTransaction(
    deps.pool,
    async (tx) => {
      const head = (await chainHead(tx, tenantId)) ?? null;
      const checkpoints = await listCheckpoints(tx, tenantId);
      const join = new ChainJoin(deps.signingKey, tenantId, checkpoints);
      const hashers = deps.hashers ?? defaultHashers();
      const inThread = (head?.seq ?? 0) < (o.inThreadBelow ?? IN_THREAD_BELOW);
      const joiner = new OrderedJoin(join, Math.max(1, hashers.size) * PAGES_IN_FLIGHT_PER_HASHER);
      let dispatched = 0;
      const end = head?.seq ?? 0;
      try {
        for (let after = 0; after < end && !join.broken; after += segment) {
          await copyChainSegment(tx, tenantId, after, Math.min(after + segment, end), (page, entries) => {
            if (join.broken) return;
            const from = dispatched + 1;
            dispatched += entries;
            return joiner.add(hashers.check(page, join.wanted(from, entries), { inThread }));
          });
        }
        await joiner.drained();
      } finally {
        await joiner.idle();
      }
      const broken = join.finish();
      const latest = checkpoints[checkpoints.length - 1];
      const latestVerified = join.verified ? checkpoints[join.verified - 1] : undefined;
      return {
        valid: !broken,
        entries: broken ? Math.min(join.checked, broken.seq - 1) : join.checked,
        head,
        checkpoints: {
          total: checkpoints.length,
          verified: join.verified,
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

/**
 * Page results fed to a ChainJoin in the order the pages were read, whichever worker finishes
 * first. `add` returns a promise (to hold the COPY stream back) while `limit` pages are out, and
 * that promise rejects if a page could not be checked (the COPY then fails with that error).
 */
class OrderedJoin {
  private tail: Promise<void> = Promise.resolve();
  private out = 0;
  private room?: { promise: Promise<void>; resolve: () => void };
  private error?: unknown;

  constructor(
    private readonly join: ChainJoin,
    private readonly limit: number,
  ) {}

  add(checked: Promise<ChainPageResult>): Promise<void> | undefined {
    this.out++;
    checked.catch(() => undefined); // awaited in order below
    this.tail = this.tail.then(async () => {
      try {
        const page = await checked;
        if (!this.join.broken && this.error === undefined) this.join.feed(page);
      } catch (err) {
        this.error ??= err;
      } finally {
        this.out--;
        if (this.room && this.out < this.limit) {
          this.room.resolve();
          this.room = undefined;
        }
      }
    });
    if (this.error !== undefined) return Promise.reject(this.error as Error);
    if (this.out < this.limit) return undefined;
    if (!this.room) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.room = { promise, resolve };
    }
    return this.room.promise.then(() => {
      if (this.error !== undefined) throw this.error;
    });
  }

  /** Every page added is joined; rethrows the first page that could not be checked. */
  async drained(): Promise<void> {
    await this.tail;
    if (this.error !== undefined) throw this.error;
  }

  /** Every page added is settled (never throws: for cleanup). */
  idle(): Promise<void> {
    return this.tail;
  }
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
