// SQL for gdpr.subject_requests and gdpr.request_receipts (tenant-scoped transactions).
import type { PoolClient } from 'pg';
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import type { Identifier, RequestKind, RequestRow, RequestState } from '../domain/requests.js';

export type { Identifier, RequestKind, RequestRow, RequestState } from '../domain/requests.js';

export interface ReceiptRow {
  requestId: string;
  service: string;
  status: 'completed' | 'failed';
  tables: { table: string; rows: number; action: 'erased' | 'exported' | 'retained'; ground?: string }[];
  exportSha256: string | null;
  error: string | null;
  completedAt: string;
  receivedAt: string;
}

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);

const COLUMNS = `id, tenant_id, kind, subject_ref, identifiers, idempotency_key, state, verification_hash, received_at, verified_at, deadline,
  extended_deadline, extension_reason, refusal_reason, expected_services, completed_at, parent_id, origin, warned_state`;

function toRequest(r: Record<string, unknown>): RequestRow {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    kind: r.kind as RequestKind,
    subjectRef: r.subject_ref as string,
    identifiers: r.identifiers as Identifier[] | null,
    idempotencyKey: r.idempotency_key as string | null,
    state: r.state as RequestState,
    verificationHash: r.verification_hash as string,
    receivedAt: iso(r.received_at)!,
    verifiedAt: iso(r.verified_at),
    deadline: iso(r.deadline)!,
    extendedDeadline: iso(r.extended_deadline),
    extensionReason: r.extension_reason as string | null,
    refusalReason: r.refusal_reason as string | null,
    expectedServices: r.expected_services as string[],
    completedAt: iso(r.completed_at),
    parentId: r.parent_id as string | null,
    origin: r.origin as string,
    warnedState: r.warned_state as string | null,
  };
}

export type NewRequest = Pick<
  RequestRow,
  'id' | 'tenantId' | 'kind' | 'subjectRef' | 'identifiers' | 'idempotencyKey' | 'state' | 'verificationHash' | 'receivedAt' | 'deadline' | 'parentId' | 'origin'
> & { expectedServices?: string[]; verifiedAt?: string | null };

/** Inserts unless the idempotency key was used; returns the stored row and whether it is new. */
export async function insertRequest(tx: PoolClient, r: NewRequest): Promise<{ row: RequestRow; created: boolean }> {
  const { rows } = await tx.query(
    `INSERT INTO gdpr.subject_requests (id, tenant_id, kind, subject_ref, identifiers, idempotency_key, state, verification_hash, received_at, deadline,
       parent_id, origin, expected_services, verified_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
     RETURNING ${COLUMNS}`,
    [r.id, r.tenantId, r.kind, r.subjectRef, JSON.stringify(r.identifiers), r.idempotencyKey, r.state, r.verificationHash, r.receivedAt, r.deadline,
      r.parentId, r.origin, r.expectedServices ?? [], r.verifiedAt ?? null],
  );
  if (rows[0]) return { row: toRequest(rows[0]), created: true };
  const { rows: existing } = await tx.query(`SELECT ${COLUMNS} FROM gdpr.subject_requests WHERE tenant_id = $1 AND idempotency_key = $2`, [
    r.tenantId,
    r.idempotencyKey,
  ]);
  return { row: toRequest(existing[0]!), created: false };
}

/** An open request of the same kind for the same subject (duplicate intake). */
export async function findOpenDuplicate(tx: PoolClient, tenantId: string, kind: RequestKind, subjectRef: string): Promise<RequestRow | undefined> {
  const { rows } = await tx.query(
    `SELECT ${COLUMNS} FROM gdpr.subject_requests
     WHERE tenant_id = $1 AND kind = $2 AND subject_ref = $3 AND state IN ('unverified', 'in_progress') AND parent_id IS NULL
     ORDER BY received_at LIMIT 1`,
    [tenantId, kind, subjectRef],
  );
  return rows[0] ? toRequest(rows[0]) : undefined;
}

export async function getRequest(tx: PoolClient, id: string, forUpdate = false): Promise<RequestRow | undefined> {
  const { rows } = await tx.query(`SELECT ${COLUMNS} FROM gdpr.subject_requests WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toRequest(rows[0]) : undefined;
}

/** The subject refs of the requests among `ids` that exist (one statement for a batch). */
export async function requestSubjectRefs(tx: PoolClient, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const { rows } = await tx.query<{ id: string; subject_ref: string }>(`SELECT id, subject_ref FROM gdpr.subject_requests WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((r) => [r.id, r.subject_ref]));
}

export async function listRequests(tx: PoolClient, filter: { state?: RequestState; subjectRef?: string; limit: number }): Promise<RequestRow[]> {
  const { rows } = await tx.query(
    `SELECT ${COLUMNS} FROM gdpr.subject_requests
     WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR subject_ref = $2)
     ORDER BY received_at DESC LIMIT $3`,
    [filter.state ?? null, filter.subjectRef ?? null, filter.limit],
  );
  return rows.map(toRequest);
}

/** Newest first; `after` is [received_at as text, id] of the previous page's last request. */
export async function pageRequests(tx: PoolClient, filter: { state?: RequestState; limit: number; after?: CursorKey }): Promise<Page<RequestRow>> {
  const { rows } = await tx.query(
    `SELECT ${COLUMNS}, received_at::text AS cursor_at FROM gdpr.subject_requests
     WHERE ($1::text IS NULL OR state = $1) AND ($3::timestamptz IS NULL OR (received_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY received_at DESC, id DESC LIMIT $2`,
    [filter.state ?? null, filter.limit + 1, filter.after?.[0] ?? null, filter.after?.[1] ?? null],
  );
  return keysetPage(rows, filter.limit, (r) => [r.cursor_at, r.id], toRequest);
}

export async function updateRequest(
  tx: PoolClient,
  id: string,
  patch: Partial<Pick<RequestRow, 'state' | 'verifiedAt' | 'expectedServices' | 'extendedDeadline' | 'extensionReason' | 'refusalReason' | 'completedAt' | 'warnedState'>>,
): Promise<RequestRow> {
  const map: Record<string, string> = {
    state: 'state',
    verifiedAt: 'verified_at',
    expectedServices: 'expected_services',
    extendedDeadline: 'extended_deadline',
    extensionReason: 'extension_reason',
    refusalReason: 'refusal_reason',
    completedAt: 'completed_at',
    warnedState: 'warned_state',
  };
  const keys = Object.keys(patch) as (keyof typeof patch)[];
  const sets = keys.map((k, i) => `${map[k]} = $${i + 2}`);
  const { rows } = await tx.query(`UPDATE gdpr.subject_requests SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, [id, ...keys.map((k) => patch[k])]);
  return toRequest(rows[0]);
}

/**
 * Stores many receipts in one statement, with the same outcome as storing them one after another
 * in this order: per (request, service), a later receipt replaces a failed one,
 * never a completed one (folded here first, since one statement may not touch a row twice).
 */
export async function insertReceipts(tx: PoolClient, tenantId: string, list: (Omit<ReceiptRow, 'receivedAt'> & { exportData: unknown })[]): Promise<void> {
  const folded = new Map<string, (typeof list)[number]>();
  for (const r of list) {
    const key = `${r.requestId}\n${r.service}`;
    const held = folded.get(key);
    if (!held || held.status === 'failed') folded.set(key, r);
  }
  const rows = [...folded.values()];
  if (!rows.length) return;
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await tx.query(
    `INSERT INTO gdpr.request_receipts (tenant_id, request_id, service, status, tables, export_sha256, export_data, error, completed_at)
     SELECT $1, u.request_id, u.service, u.status, u.tables, u.export_sha256, u.export_data, u.error, u.completed_at
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::jsonb[], $8::text[], $9::timestamptz[])
       AS u(request_id, service, status, tables, export_sha256, export_data, error, completed_at)
     ON CONFLICT (request_id, service) DO UPDATE SET status = EXCLUDED.status, tables = EXCLUDED.tables, export_sha256 = EXCLUDED.export_sha256,
       export_data = EXCLUDED.export_data, error = EXCLUDED.error, completed_at = EXCLUDED.completed_at, received_at = now()
     WHERE gdpr.request_receipts.status = 'failed'`,
    [
      tenantId,
      col((r) => r.requestId),
      col((r) => r.service),
      col((r) => r.status),
      col((r) => JSON.stringify(r.tables)),
      col((r) => r.exportSha256),
      col((r) => (r.exportData === undefined ? null : JSON.stringify(r.exportData))),
      col((r) => r.error),
      col((r) => r.completedAt),
    ],
  );
}

function toReceipt(r: Record<string, unknown>): ReceiptRow {
  return {
    requestId: r.request_id as string,
    service: r.service as string,
    status: r.status as ReceiptRow['status'],
    tables: r.tables as ReceiptRow['tables'],
    exportSha256: r.export_sha256 as string | null,
    error: r.error as string | null,
    completedAt: iso(r.completed_at)!,
    receivedAt: iso(r.received_at)!,
  };
}

export async function listReceipts(tx: PoolClient, requestId: string): Promise<ReceiptRow[]> {
  const { rows } = await tx.query(
    `SELECT request_id, service, status, tables, export_sha256, error, completed_at, received_at FROM gdpr.request_receipts WHERE request_id = $1 ORDER BY service`,
    [requestId],
  );
  return rows.map(toReceipt);
}

/** Export parts one service at a time (each part is one row), for streaming. */
export async function exportPart(tx: PoolClient, requestId: string, service: string): Promise<{ sha256: string | null; data: unknown } | undefined> {
  const { rows } = await tx.query(`SELECT export_sha256, export_data FROM gdpr.request_receipts WHERE request_id = $1 AND service = $2`, [requestId, service]);
  return rows[0] ? { sha256: rows[0].export_sha256, data: rows[0].export_data } : undefined;
}

/** Open requests of every tenant whose (possibly extended) deadline is within `withinMs` (scheduler, system role). */
export async function openRequestsNearDeadline(tx: PoolClient, until: Date): Promise<RequestRow[]> {
  const { rows } = await tx.query(
    `SELECT ${COLUMNS} FROM gdpr.subject_requests WHERE state = 'in_progress' AND COALESCE(extended_deadline, deadline) <= $1`,
    [until],
  );
  return rows.map(toRequest);
}

/** Locks the requests that exist among `ids` (in id order, so concurrent lockers cannot deadlock); returns their ids. */
export async function lockRequests(tx: PoolClient, ids: string[]): Promise<Set<string>> {
  const { rows } = await tx.query<{ id: string }>(`SELECT id FROM gdpr.subject_requests WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  return new Set(rows.map((r) => r.id));
}

/** Completes the requests among `ids` that are in progress and have a completed receipt from every expected service. */
export async function completeAnswered(tx: PoolClient, ids: string[], completedAt: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE gdpr.subject_requests r SET state = 'completed', completed_at = $2
     WHERE r.id = ANY($1::uuid[]) AND r.state = 'in_progress'
       AND NOT EXISTS (SELECT 1 FROM unnest(r.expected_services) s
                       WHERE NOT EXISTS (SELECT 1 FROM gdpr.request_receipts x WHERE x.request_id = r.id AND x.service = s AND x.status = 'completed'))
     RETURNING r.id`,
    [ids, completedAt],
  );
  return rows.map((r) => r.id);
}

export async function missingServices(tx: PoolClient, requestId: string): Promise<string[]> {
  const { rows } = await tx.query(
    `SELECT s AS service FROM gdpr.subject_requests r, unnest(r.expected_services) s
     WHERE r.id = $1 AND NOT EXISTS (SELECT 1 FROM gdpr.request_receipts x WHERE x.request_id = r.id AND x.service = s AND x.status = 'completed')`,
    [requestId],
  );
  return rows.map((r) => r.service as string);
}

/** Drops raw identifiers and export data of requests closed before `cutoff`; returns how many. */
export async function setRequestHolds(tx: PoolClient, id: string, holds: ({ holdId: string } | { policyId: string })[]): Promise<void> {
  await tx.query(`UPDATE gdpr.subject_requests SET holds = $2 WHERE id = $1`, [id, JSON.stringify(holds)]);
}

export async function scrubClosedRequests(tx: PoolClient, cutoff: Date): Promise<number> {
  const { rows } = await tx.query(
    `UPDATE gdpr.subject_requests r SET identifiers = NULL, scrubbed_at = now()
     WHERE r.state IN ('completed', 'refused') AND r.completed_at < $1 AND r.scrubbed_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM gdpr.request_receipts x WHERE x.request_id = r.id AND x.tables @> '[{"action":"retained"}]'::jsonb
                       AND NOT EXISTS (SELECT 1 FROM gdpr.subject_requests c WHERE c.parent_id = r.id))
     RETURNING id`,
    [cutoff],
  );
  if (rows.length) await tx.query(`UPDATE gdpr.request_receipts SET export_data = NULL WHERE request_id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
  return rows.length;
}

/** Tenants with closed requests whose raw data has not been purged yet (cross-tenant, system role). */
export async function tenantsWithUnscrubbedClosedRequests(tx: PoolClient): Promise<string[]> {
  const { rows } = await tx.query<{ tenant_id: string }>(
    `SELECT DISTINCT tenant_id FROM gdpr.subject_requests WHERE state IN ('completed', 'refused') AND scrubbed_at IS NULL`,
  );
  return rows.map((r) => r.tenant_id);
}
