// Projects and their DSN keys, tenant-scoped. Changes that affect which keys ingest accepts
// (or their quotas) call `onKeysChanged`, so this process stops using a cached key at once.
import type { Pool } from 'pg';
import { pageInMemory, withTransaction, type Page, type PageRequest } from '@vigil/service-kit';
import { clientReportTotals } from '../db/accepted.js';
import {
  createKey,
  createProject,
  deleteProject,
  getProject,
  listKeys,
  listProjects,
  revokeKey,
  updateProject,
  type KeyRow,
  type ProjectChanges,
  type ProjectRow,
} from '../db/projects.js';
import { keyNotFound, projectExists, projectNotFound } from '../errors.js';

export interface ProjectDeps {
  pool: Pool;
  /** Scheme://host[:port] SDKs reach: the DSN is built from it. */
  publicUrl: string;
  /** Called after a key is revoked or rotated, so ingest stops accepting it at once. */
  onKeysChanged: () => void;
}

export type KeyView = KeyRow & { dsn: string };

function withDsn(d: ProjectDeps, k: KeyRow): KeyView {
  const base = new URL(d.publicUrl);
  return { ...k, dsn: `${base.protocol}//${k.publicKey}@${base.host}/${k.projectId}` };
}

export async function requireProject(d: ProjectDeps, tenantId: string, id: string): Promise<ProjectRow> {
  const p = await getProject(d.pool, tenantId, id);
  if (!p) throw projectNotFound(id);
  return p;
}

/** Oldest first (ids are ascending numbers); a tenant's projects are paged in memory. */
export const projectsOf = async (d: ProjectDeps, tenantId: string, page: PageRequest): Promise<Page<ProjectRow>> =>
  pageInMemory(await listProjects(d.pool, tenantId), page, (p) => [Number(p.id)], ['asc']);

export async function addProject(d: ProjectDeps, tenantId: string, body: ProjectChanges & { name: string }): Promise<ProjectRow> {
  const project = await createProject(d.pool, tenantId, body);
  if (!project) throw projectExists(body.name);
  return project;
}

export async function changeProject(d: ProjectDeps, tenantId: string, id: string, body: ProjectChanges): Promise<ProjectRow> {
  const p = await updateProject(d.pool, tenantId, id, body).catch((err: { code?: string }) => {
    throw err.code === '23505' ? projectExists(body.name) : err;
  });
  if (!p) throw projectNotFound(id);
  d.onKeysChanged();
  return p;
}

export async function removeProject(d: ProjectDeps, tenantId: string, id: string): Promise<void> {
  if (!(await withTransaction(d.pool, (tx) => deleteProject(tx, tenantId, id)))) throw projectNotFound(id);
  d.onKeysChanged();
}

export async function keysOf(d: ProjectDeps, tenantId: string, projectId: string, page: PageRequest): Promise<Page<KeyView>> {
  await requireProject(d, tenantId, projectId);
  return pageInMemory((await listKeys(d.pool, tenantId, projectId)).map((k) => withDsn(d, k)), page, (k) => [Number(k.id)], ['asc']);
}

export async function addKey(d: ProjectDeps, tenantId: string, projectId: string, body: { label?: string; rateLimitPerMinute?: number } | undefined): Promise<KeyView> {
  const key = await createKey(d.pool, tenantId, projectId, body?.label ?? '', body?.rateLimitPerMinute ?? null);
  if (!key) throw projectNotFound(projectId);
  return withDsn(d, key);
}

/** Issues a successor key with the same label and quota and revokes this one, atomically. */
export async function replaceKey(d: ProjectDeps, tenantId: string, projectId: string, keyId: string): Promise<KeyView> {
  const key = await withTransaction(d.pool, async (tx) => {
    const old = await revokeKey(tx, tenantId, projectId, keyId);
    return old && (await createKey(tx, tenantId, projectId, old.label, old.rateLimitPerMinute));
  });
  if (!key) throw keyNotFound(projectId, keyId);
  d.onKeysChanged();
  return withDsn(d, key);
}

export async function withdrawKey(d: ProjectDeps, tenantId: string, projectId: string, keyId: string): Promise<KeyView> {
  const k = await revokeKey(d.pool, tenantId, projectId, keyId);
  if (!k) throw keyNotFound(projectId, keyId);
  d.onKeysChanged();
  return withDsn(d, k);
}

export async function clientReports(d: ProjectDeps, tenantId: string, projectId: string, since: string | undefined, page: PageRequest) {
  await requireProject(d, tenantId, projectId);
  const totals = await clientReportTotals(d.pool, tenantId, projectId, new Date(since ?? Date.now() - 30 * 86_400_000));
  return pageInMemory(totals, page, (t) => [t.quantity, t.reason, t.category], ['desc', 'asc', 'asc']);
}
