// SQL for gdpr.consent_events (append-only).
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

export async function appendConsent(tx: PoolClient, c: Omit<ConsentRow, 'recordedAt'>): Promise<ConsentRow> {
  const { rows } = await tx.query(
    `INSERT INTO gdpr.consent_events (id, tenant_id, subject_ref, purpose, granted, method, notice_version, channel, source, ip_ref, user_agent_ref)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
    [c.id, c.tenantId, c.subjectRef, c.purpose, c.granted, c.method, c.noticeVersion, c.channel, c.source, c.ipRef, c.userAgentRef],
  );
  return toRow(rows[0]);
}

export async function consentHistory(pool: Pool, tenantId: string, subjectRef: string): Promise<ConsentRow[]> {
  const { rows } = await pool.query(
    `SELECT ${COLUMNS} FROM gdpr.consent_events WHERE tenant_id = $1 AND subject_ref = $2 ORDER BY seq`,
    [tenantId, subjectRef],
  );
  return rows.map(toRow);
}
