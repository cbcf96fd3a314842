// SQL for the hash-chained audit log and its signed checkpoints.
import type { PoolClient } from 'pg';
import { committedInQuery, copyOutBinary, keysetPage, type Page, type PageResult } from '@vigil/service-kit';
import type { ChainEntry } from '../domain/audit-chain.js';

export interface AuditEntryRow extends ChainEntry {
  eventId: string;
  topic: string;
  subjectRef: string | null;
  recordedAt: string;
}

export interface CheckpointRow {
  seq: number;
  hash: string;
  signature: string;
  keyId: string;
  signedAt: string;
}

/**
 * Serialises appends to one tenant's chain for the rest of the transaction; returns the chain
 * head. One round trip: the lock and the read are two statements of one simple query, so the
 * read takes its snapshot after the lock is held (and sees the previous holder's commit).
 */
export async function lockChainHead(tx: PoolClient, tenantId: string): Promise<{ seq: number; hash: string } | undefined> {
  const tenant = tx.escapeLiteral(tenantId);
  const results = (await tx.query(
    `SELECT pg_advisory_xact_lock(hashtext(${tx.escapeLiteral(`gdpr-audit:${tenantId}`)}));
     SELECT seq, hash FROM gdpr.audit_log WHERE tenant_id = ${tenant} ORDER BY seq DESC LIMIT 1`,
  )) as unknown as { rows: { seq: string; hash: string }[] }[];
  const head = results[1]?.rows[0];
  return head ? { seq: Number(head.seq), hash: head.hash } : undefined;
}

/** A new chain entry of lockedAppendAndCommit (its position and hashes are computed by the server). */
export interface NewChainEntry {
  eventId: string;
  topic: string;
  subjectRef: string | null;
  content: string;
}

/**
 * Ends the caller's transaction in one round trip: the tenant's chain lock, then `statements`
 * (built by their db modules with inlined literals, e.g. the ledger rows and the outbox rows:
 * they run under the lock, so they are ordered like the chain), then the entries appended after
 * the head by gdpr.append_chain (migration 0005: hashes computed in the server, the head read
 * after the lock was granted), then COMMIT. No client hop lies between the lock and the commit,
 * so the next holder waits only for this transaction's server time and WAL flush.
 * Resolves with the last seq. A failure leaves the transaction to the caller's ROLLBACK.
 */
export async function lockedAppendAndCommit(tx: PoolClient, tenantId: string, statements: string[], entries: NewChainEntry[]): Promise<number> {
  const lit = (v: string | null) => (v === null ? 'NULL' : tx.escapeLiteral(v));
  const arr = (values: (string | null)[], type: string) => `ARRAY[${values.map(lit).join(', ')}]::${type}[]`;
  const sql = [
    `SELECT pg_advisory_xact_lock(hashtext(${lit(`gdpr-audit:${tenantId}`)}))`,
    ...statements,
    `SELECT gdpr.append_chain(${lit(tenantId)}, ${arr(entries.map((e) => e.eventId), 'uuid')}, ${arr(entries.map((e) => e.topic), 'text')}, ${arr(entries.map((e) => e.subjectRef), 'text')}, ${arr(entries.map((e) => e.content), 'text')}) AS seq`,
    'COMMIT',
  ].join(';\n');
  const results = (await tx.query(sql)) as unknown as { rows: { seq?: string }[] }[];
  committedInQuery(tx);
  return Number(results[results.length - 2]?.rows[0]?.seq);
}

export async function chainHead(tx: PoolClient, tenantId: string): Promise<{ seq: number; hash: string } | undefined> {
  const { rows } = await tx.query(`SELECT seq, hash FROM gdpr.audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`, [tenantId]);
  return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined;
}

/** Event ids of this tenant already in the chain (an event appended by the writer that produced it). */
export async function chainedEventIds(tx: PoolClient, tenantId: string, eventIds: string[]): Promise<Set<string>> {
  if (!eventIds.length) return new Set();
  const { rows } = await tx.query(`SELECT event_id FROM gdpr.audit_log WHERE tenant_id = $1 AND event_id = ANY($2::uuid[])`, [tenantId, eventIds]);
  return new Set(rows.map((r) => r.event_id as string));
}

/** Appends consecutive entries of one tenant in one statement (the caller holds the chain lock). */
export async function insertAuditEntries(tx: PoolClient, tenantId: string, list: Omit<AuditEntryRow, 'recordedAt'>[]): Promise<void> {
  if (!list.length) return;
  const col = <K extends keyof Omit<AuditEntryRow, 'recordedAt'>>(k: K) => list.map((e) => e[k]);
  await tx.query(
    `INSERT INTO gdpr.audit_log (tenant_id, seq, event_id, topic, subject_ref, content, prev_hash, hash)
     SELECT $1, u.* FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u`,
    [tenantId, col('seq'), col('eventId'), col('topic'), col('subjectRef'), col('content'), col('prevHash'), col('hash')],
  );
}

/**
 * Chain entries with afterSeq < seq <= upToSeq, in seq order, streamed by COPY in PostgreSQL's
 * binary tuple layout (seq int8, prev_hash, hash, content): pages of whole entries for
 * domain/chain-page.mjs, with no row object or string per entry. Resolves with the entry count.
 * A promise returned by `onPage` holds the stream back until it settles (copyOutBinary).
 * The primary key's order is forced for the transaction: with stale statistics (a chain that
 * just grew) or a tenant owning most of the table, the planner otherwise sorts hundreds of MB
 * on disk (a bitmap or sequential scan, then Sort), three times slower than reading in index order.
 */
export function copyChainSegment(tx: PoolClient, tenantId: string, afterSeq: number, upToSeq: number, onPage: (page: Buffer, entries: number) => PageResult): Promise<number> {
  if (!Number.isSafeInteger(afterSeq) || !Number.isSafeInteger(upToSeq)) throw new Error('copyChainSegment: seq bounds must be integers');
  return copyOutBinary(
    tx,
    `SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off;
     COPY (SELECT seq, prev_hash, hash, content FROM gdpr.audit_log WHERE tenant_id = ${tx.escapeLiteral(tenantId)} AND seq > ${afterSeq} AND seq <= ${upToSeq} ORDER BY seq)
     TO STDOUT (FORMAT binary)`,
    onPage,
  );
}

export async function listAuditEntries(
  tx: PoolClient,
  f: { subjectRef?: string; topic?: string; afterSeq: number; limit: number },
): Promise<Page<AuditEntryRow>> {
  const { rows } = await tx.query(
    `SELECT seq, event_id, topic, subject_ref, content, prev_hash, hash, recorded_at FROM gdpr.audit_log
     WHERE seq > $1 AND ($2::text IS NULL OR subject_ref = $2) AND ($3::text IS NULL OR topic = $3) ORDER BY seq LIMIT $4`,
    [f.afterSeq, f.subjectRef ?? null, f.topic ?? null, f.limit + 1],
  );
  return keysetPage(rows, f.limit, (r) => [Number(r.seq)], (r) => ({
    seq: Number(r.seq),
    eventId: r.event_id,
    topic: r.topic,
    subjectRef: r.subject_ref,
    content: r.content,
    prevHash: r.prev_hash,
    hash: r.hash,
    recordedAt: r.recorded_at.toISOString(),
  }));
}

export async function insertCheckpoint(tx: PoolClient, tenantId: string, c: Omit<CheckpointRow, 'signedAt'>): Promise<void> {
  await tx.query(
    `INSERT INTO gdpr.audit_checkpoints (tenant_id, seq, hash, signature, key_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, seq) DO NOTHING`,
    [tenantId, c.seq, c.hash, c.signature, c.keyId],
  );
}

export async function listCheckpoints(tx: PoolClient, tenantId: string): Promise<CheckpointRow[]> {
  const { rows } = await tx.query(`SELECT seq, hash, signature, key_id, signed_at FROM gdpr.audit_checkpoints WHERE tenant_id = $1 ORDER BY seq`, [tenantId]);
  return rows.map((r) => ({ seq: Number(r.seq), hash: r.hash, signature: r.signature, keyId: r.key_id, signedAt: r.signed_at.toISOString() }));
}

/** Tenants whose chain grew past their last checkpoint (scheduler, system role). */
export async function tenantsNeedingCheckpoint(tx: PoolClient): Promise<{ tenantId: string; seq: number; hash: string }[]> {
  const { rows } = await tx.query(
    `SELECT DISTINCT ON (l.tenant_id) l.tenant_id, l.seq, l.hash FROM gdpr.audit_log l
     WHERE l.seq > COALESCE((SELECT max(c.seq) FROM gdpr.audit_checkpoints c WHERE c.tenant_id = l.tenant_id), 0)
     ORDER BY l.tenant_id, l.seq DESC`,
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, seq: Number(r.seq), hash: r.hash }));
}
