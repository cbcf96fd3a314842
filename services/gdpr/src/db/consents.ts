// SQL for gdpr.consent_events (append-only).
import { keysetPage, type Page } from '@vigil/service-kit';
import type { Pool, PoolClient } from 'pg';

export interface ConsentRow {
  id: string;
  tenantId: string;
  subjectRef: string;
  purpose: string;
  granted: boolean;
  method: 'given' | 'withdrawn' | 'gpc';
  noticeVersion: string;
  channel: string;
  source: string;
  ipRef: string | null;
  userAgentRef: string | null;
  recordedAt: string;
}

const COLUMNS = `id, tenant_id, subject_ref, purpose, granted, method, notice_version, channel, source, ip_ref, user_agent_ref, recorded_at`;

function toRow(r: Record<string, unknown>): ConsentRow {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    subjectRef: r.subject_ref as string,
    purpose: r.purpose as string,
    granted: r.granted as boolean,
    method: r.method as ConsentRow['method'],
    noticeVersion: r.notice_version as string,
    channel: r.channel as string,
    source: r.source as string,
    ipRef: r.ip_ref as string | null,
    userAgentRef: r.user_agent_ref as string | null,
    recordedAt: (r.recorded_at as Date).toISOString(),
  };
}

/**
 * The INSERT of `list` (in order) as one statement with inlined literals, for a multi-statement
 * query (lockedAppendAndCommit). `recordedAt` is the writer's: the ledger, the event and its
 * chain entry carry the same instant.
 */
export function appendConsentsStatement(tx: Pick<PoolClient, 'escapeLiteral'>, list: ConsentRow[]): string {
  const lit = (v: string | null) => (v === null ? 'NULL' : tx.escapeLiteral(v));
  const values = list.map(
    (c) =>
      `(${lit(c.id)}, ${lit(c.tenantId)}, ${lit(c.subjectRef)}, ${lit(c.purpose)}, ${c.granted ? 'TRUE' : 'FALSE'}, ${lit(c.method)}, ${lit(c.noticeVersion)}, ${lit(c.channel)}, ${lit(c.source)}, ${lit(c.ipRef)}, ${lit(c.userAgentRef)}, ${lit(c.recordedAt)})`,
  );
  return `INSERT INTO gdpr.consent_events (id, tenant_id, subject_ref, purpose, granted, method, notice_version, channel, source, ip_ref, user_agent_ref, recorded_at) VALUES ${values.join(', ')}`;
}

export async function consentHistory(pool: Pool | PoolClient, tenantId: string, subjectRef: string): Promise<ConsentRow[]> {
  const { rows } = await pool.query(
    `SELECT ${COLUMNS} FROM gdpr.consent_events WHERE tenant_id = $1 AND subject_ref = $2 ORDER BY seq`,
    [tenantId, subjectRef],
  );
  return rows.map(toRow);
}

/** A subject's consent log in order (seq); `afterSeq` is the previous page's last. */
export async function pageConsentHistory(pool: Pool | PoolClient, tenantId: string, subjectRef: string, limit: number, afterSeq?: number): Promise<Page<ConsentRow>> {
  const { rows } = await pool.query(
    `SELECT ${COLUMNS}, seq FROM gdpr.consent_events WHERE tenant_id = $1 AND subject_ref = $2 AND ($4::bigint IS NULL OR seq > $4) ORDER BY seq LIMIT $3`,
    [tenantId, subjectRef, limit + 1, afterSeq ?? null],
  );
  return keysetPage(rows, limit, (r) => [Number(r.seq)], toRow);
}

export async function consentRowsByRefs(tx: PoolClient, refs: string[]): Promise<ConsentRow[]> {
  const { rows } = await tx.query(`SELECT ${COLUMNS} FROM gdpr.consent_events WHERE subject_ref = ANY($1::text[]) ORDER BY seq`, [refs]);
  return rows.map(toRow);
}

/** Current state per purpose (latest event wins), derived from the log. */
export async function currentConsents(tx: PoolClient, subjectRef: string): Promise<ConsentRow[]> {
  const { rows } = await tx.query(
    `SELECT DISTINCT ON (purpose) ${COLUMNS} FROM gdpr.consent_events WHERE subject_ref = $1 ORDER BY purpose, seq DESC`,
    [subjectRef],
  );
  return rows.map(toRow);
}

/** Consent rate per purpose: subjects whose latest event grants it, out of subjects with any event. */
export async function consentRates(tx: PoolClient): Promise<{ purpose: string; subjects: number; granted: number }[]> {
  const { rows } = await tx.query(
    `SELECT purpose, count(*)::int AS subjects, count(*) FILTER (WHERE granted)::int AS granted FROM (
       SELECT DISTINCT ON (subject_ref, purpose) purpose, granted FROM gdpr.consent_events ORDER BY subject_ref, purpose, seq DESC) latest
     GROUP BY purpose ORDER BY purpose`,
  );
  return rows;
}
