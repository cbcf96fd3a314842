// SQL for the hash-chained audit log and its signed checkpoints.
import type { PoolClient } from 'pg';
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

/** Serialises appends to one tenant's chain for the rest of the transaction; returns the chain head. */
export async function lockChainHead(tx: PoolClient, tenantId: string): Promise<{ seq: number; hash: string } | undefined> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gdpr-audit:${tenantId}`]);
  const { rows } = await tx.query(`SELECT seq, hash FROM gdpr.audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`, [tenantId]);
  return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined;
}

export async function chainHead(tx: PoolClient, tenantId: string): Promise<{ seq: number; hash: string } | undefined> {
  const { rows } = await tx.query(`SELECT seq, hash FROM gdpr.audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`, [tenantId]);
  return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined;
}

/** Returns false when the event is already in the chain. */
export async function insertAuditEntry(tx: PoolClient, tenantId: string, e: Omit<AuditEntryRow, 'recordedAt'>): Promise<boolean> {
  const { rowCount } = await tx.query(
    `INSERT INTO gdpr.audit_log (tenant_id, seq, event_id, topic, subject_ref, content, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (tenant_id, event_id) DO NOTHING`,
    [tenantId, e.seq, e.eventId, e.topic, e.subjectRef, e.content, e.prevHash, e.hash],
  );
  return rowCount === 1;
}

export interface SegmentCheck {
  entries: number;
  firstBroken: { seq: number; reason: 'sequence-gap' | 'prev-hash-mismatch' | 'hash-mismatch'; expected: string; found: string } | null;
}

/**
 * Verifies the entries with seq in [fromSeq, toSeq] inside PostgreSQL: every row's hash is
 * recomputed with the same formula as entryHash() (sha256 of prev_hash, seq and content,
 * UTF-8), every row must follow the one before it, and the first row must link to the stored
 * hash of row fromSeq - 1 (the genesis hash for row 1). Segments are independent, so a chain
 * can be checked in parallel; only the summary and the first broken link travel back.
 */
export async function checkChainSegment(tx: PoolClient, tenantId: string, fromSeq: number, toSeq: number, genesis: string): Promise<SegmentCheck> {
  const { rows } = await tx.query(
    `WITH linked AS (
       SELECT seq, prev_hash, hash,
              COALESCE(lag(seq) OVER w + 1, $2) AS want_seq,
              COALESCE(lag(hash) OVER w,
                CASE WHEN $2 = 1 THEN $4 ELSE COALESCE((SELECT b.hash FROM gdpr.audit_log b WHERE b.tenant_id = $1 AND b.seq = $2 - 1), '(missing)') END) AS want_prev,
              encode(sha256(convert_to(prev_hash || E'\n' || seq::text || E'\n' || content, 'UTF8')), 'hex') AS want_hash
       FROM gdpr.audit_log WHERE tenant_id = $1 AND seq BETWEEN $2 AND $3 WINDOW w AS (ORDER BY seq)
     ), judged AS (
       SELECT seq, CASE WHEN seq <> want_seq THEN want_seq ELSE seq END AS at_seq,
              CASE WHEN seq <> want_seq THEN 'sequence-gap' WHEN prev_hash <> want_prev THEN 'prev-hash-mismatch' WHEN hash <> want_hash THEN 'hash-mismatch' END AS reason,
              CASE WHEN seq <> want_seq THEN want_seq::text WHEN prev_hash <> want_prev THEN want_prev ELSE want_hash END AS expected,
              CASE WHEN seq <> want_seq THEN seq::text WHEN prev_hash <> want_prev THEN prev_hash ELSE hash END AS found
       FROM linked
     )
     SELECT count(*)::int AS entries,
            (SELECT jsonb_build_object('seq', at_seq, 'reason', reason, 'expected', expected, 'found', found) FROM judged WHERE reason IS NOT NULL ORDER BY seq LIMIT 1) AS first_broken
     FROM judged`,
    [tenantId, fromSeq, toSeq, genesis],
  );
  const r = rows[0];
  return { entries: r.entries, firstBroken: r.first_broken ? { ...r.first_broken, seq: Number(r.first_broken.seq) } : null };
}

/** Stored hashes at the given seqs (to compare with signed checkpoints). */
export async function hashesAt(tx: PoolClient, tenantId: string, seqs: number[]): Promise<Map<number, string>> {
  const { rows } = await tx.query(`SELECT seq, hash FROM gdpr.audit_log WHERE tenant_id = $1 AND seq = ANY($2::bigint[])`, [tenantId, seqs]);
  return new Map(rows.map((r) => [Number(r.seq), r.hash as string]));
}

export async function listAuditEntries(
  tx: PoolClient,
  f: { subjectRef?: string; topic?: string; afterSeq: number; limit: number },
): Promise<AuditEntryRow[]> {
  const { rows } = await tx.query(
    `SELECT seq, event_id, topic, subject_ref, content, prev_hash, hash, recorded_at FROM gdpr.audit_log
     WHERE seq > $1 AND ($2::text IS NULL OR subject_ref = $2) AND ($3::text IS NULL OR topic = $3) ORDER BY seq LIMIT $4`,
    [f.afterSeq, f.subjectRef ?? null, f.topic ?? null, f.limit],
  );
  return rows.map((r) => ({
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
