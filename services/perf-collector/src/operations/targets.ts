// Monitored databases: registration with the connection string sealed at rest, settings, and
// the public view (never the secret; the password is masked).
import { openSecret, type Page, pageInMemory, type PageRequest, redactUrl, sealSecret, withTransaction } from '@vigil/service-kit';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { deleteTarget, getTarget, insertTarget, listTargets, updateTargetSettings, type TargetRow } from '../db/targets.js';
import { connectionStringInvalid, targetNameTaken, targetNotFound } from '../errors.js';

/** What a target's sealed connection string is for: it opens in no other context. */
const DSN_CONTEXT = 'perf.target-dsn';

export const sealConnectionString = (secretKey: string, conn: string) => sealSecret(conn, secretKey, DSN_CONTEXT);
/** Throws SecretError when the current key (or a rotated one) cannot open it. */
export const openConnectionString = (secretKey: string, sealed: string) => openSecret(sealed, secretKey, DSN_CONTEXT);

export interface TargetView {
  id: string;
  name: string;
  connection: string;
  intervalSeconds: number;
  diskLimitBytes: number | null;
  status: string;
  statusDetail: string;
  serverVersion: number | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  createdAt: string;
}

export function checkConnectionString(conn: string): string {
  let u: URL;
  try {
    u = new URL(conn);
  } catch {
    throw connectionStringInvalid('connectionString is not a URL; use postgres://user:password@host:port/database');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw connectionStringInvalid(`connectionString scheme ${u.protocol} is not postgres: or postgresql:`);
  if (!u.hostname) throw connectionStringInvalid('connectionString has no host');
  if (u.pathname.length <= 1) throw connectionStringInvalid('connectionString names no database');
  return conn;
}

export function targetView(t: TargetRow, secretKey: string): TargetView {
  let connection = '(unreadable with the current key)';
  try {
    connection = redactUrl(openConnectionString(secretKey, t.connSealed));
  } catch {
    // a rotated key leaves old rows unreadable; the status says the rest
  }
  return {
    id: t.id,
    name: t.name,
    connection,
    intervalSeconds: t.intervalS,
    diskLimitBytes: t.diskLimitBytes,
    status: t.status,
    statusDetail: t.statusDetail,
    serverVersion: t.serverVersion,
    lastAttemptAt: t.lastAttemptAt,
    lastSuccessAt: t.lastSuccessAt,
    createdAt: t.createdAt,
  };
}

export interface TargetDeps {
  pool: Pool;
  /** PERF_SECRET_KEY. */
  secretKey: string;
  defaultIntervalS: number;
}

export async function registerTarget(d: TargetDeps, tenantId: string, body: { name: string; connectionString: string; intervalSeconds?: number; diskLimitBytes?: number }): Promise<TargetView> {
  const row = await insertTarget(d.pool, {
    id: randomUUID(),
    tenantId,
    name: body.name,
    connSealed: sealConnectionString(d.secretKey, checkConnectionString(body.connectionString)),
    intervalS: body.intervalSeconds ?? d.defaultIntervalS,
    diskLimitBytes: body.diskLimitBytes ?? null,
  });
  if (!row) throw targetNameTaken(body.name);
  return targetView(row, d.secretKey);
}

export async function requireTarget(pool: Pool, tenantId: string, id: string): Promise<TargetRow> {
  const t = await getTarget(pool, tenantId, id);
  if (!t) throw targetNotFound(id);
  return t;
}

export async function getTargetView(d: TargetDeps, tenantId: string, id: string): Promise<TargetView> {
  return targetView(await requireTarget(d.pool, tenantId, id), d.secretKey);
}

export async function listTargetViews(d: TargetDeps, tenantId: string, page: PageRequest): Promise<Page<TargetView>> {
  return pageInMemory((await listTargets(d.pool, tenantId)).map((t) => targetView(t, d.secretKey)), page, (t) => [t.name, t.id], ['asc', 'asc']);
}

export async function changeTarget(d: TargetDeps, tenantId: string, id: string, body: { intervalSeconds?: number; diskLimitBytes?: number | null; connectionString?: string }) {
  const row = await updateTargetSettings(d.pool, tenantId, id, {
    intervalS: body.intervalSeconds,
    diskLimitBytes: body.diskLimitBytes,
    connSealed: body.connectionString ? sealConnectionString(d.secretKey, checkConnectionString(body.connectionString)) : undefined,
  });
  if (!row) throw targetNotFound(id);
  return targetView(row, d.secretKey);
}

export async function removeTarget(d: TargetDeps, tenantId: string, id: string): Promise<void> {
  if (!(await withTransaction(d.pool, (tx) => deleteTarget(tx, tenantId, id)))) throw targetNotFound(id);
}
