// SQL for errors.issues and errors.issue_users.
import { keysetPage, type CursorKey, type Page } from '@vigil/service-kit';
import type { Pool, PoolClient } from 'pg';
import type { IssueStatus, Resolution } from '../domain/issue-state.js';

type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface IssueRow {
  id: string;
  projectId: string;
  fingerprint: string;
  title: string;
  culprit: string | null;
  level: string;
  exceptionType: string | null;
  status: IssueStatus;
  substatus: 'new' | 'ongoing' | 'regressed';
  firstSeen: string;
  lastSeen: string;
  count: number;
  usersAffected: number;
  releases: string[];
  environments: string[];
  lastRelease: string | null;
  resolvedAt: string | null;
  resolvedInRelease: string | null;
  lastSpikeAt: string | null;
  resolution: Resolution | null;
  resolvedAfterRelease: string | null;
  regressedAt: string | null;
}

const COLS = `id, project_id, fingerprint, title, culprit, level, exception_type, status, substatus, first_seen, last_seen, times_seen,
  users_affected, releases, environments, last_release, resolved_at, resolved_in_release, last_spike_at, resolution, resolved_after_release, regressed_at`;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const toIssue = (r: any): IssueRow => ({
  id: String(r.id),
  projectId: String(r.project_id),
  fingerprint: r.fingerprint,
  title: r.title,
  culprit: r.culprit,
  level: r.level,
  exceptionType: r.exception_type,
  status: r.status,
  substatus: r.substatus,
  firstSeen: r.first_seen.toISOString(),
  lastSeen: r.last_seen.toISOString(),
  count: Number(r.times_seen),
  usersAffected: Number(r.users_affected),
  releases: r.releases,
  environments: r.environments,
  lastRelease: r.last_release,
  resolvedAt: iso(r.resolved_at),
  resolvedInRelease: r.resolved_in_release,
  lastSpikeAt: iso(r.last_spike_at),
  resolution: r.resolution ?? null,
  resolvedAfterRelease: r.resolved_after_release ?? null,
  regressedAt: iso(r.regressed_at ?? null),
});

export async function lockIssues(tx: PoolClient, projectId: string, fingerprints: string[]): Promise<Map<string, IssueRow>> {
  const { rows } = await tx.query(`SELECT ${COLS} FROM errors.issues WHERE project_id = $1 AND fingerprint = ANY($2::text[]) FOR UPDATE`, [projectId, fingerprints]);
  return new Map(rows.map((r) => [r.fingerprint as string, toIssue(r)]));
}

export interface IssueOccurrences {
  title: string;
  culprit?: string;
  level: string;
  exceptionType?: string;
  firstSeen: Date;
  lastSeen: Date;
  count: number;
  releases: string[];
  environments: string[];
  lastRelease?: string;
}

export async function insertIssue(tx: PoolClient, tenantId: string, projectId: string, fingerprint: string, o: IssueOccurrences): Promise<IssueRow> {
  const { rows } = await tx.query(
    `INSERT INTO errors.issues (project_id, tenant_id, fingerprint, title, culprit, level, exception_type, first_seen, last_seen, times_seen, releases, environments, last_release)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLS}`,
    [projectId, tenantId, fingerprint, o.title, o.culprit ?? null, o.level, o.exceptionType ?? null, o.firstSeen, o.lastSeen, o.count, o.releases, o.environments, o.lastRelease ?? null],
  );
  return toIssue(rows[0]);
}

/** Adds occurrences; `regressed` reopens a resolved issue. */
export async function addOccurrences(tx: PoolClient, id: string, o: IssueOccurrences, regressed: boolean): Promise<IssueRow> {
  const { rows } = await tx.query(
    `UPDATE errors.issues SET
       title = $2, culprit = COALESCE($3, culprit), level = $4, exception_type = COALESCE($5, exception_type),
       first_seen = LEAST(first_seen, $6), last_seen = GREATEST(last_seen, $7), times_seen = times_seen + $8,
       releases = (SELECT coalesce(array_agg(DISTINCT r), '{}') FROM (SELECT unnest(releases || $9::text[]) AS r LIMIT 200) x),
       environments = (SELECT coalesce(array_agg(DISTINCT e), '{}') FROM (SELECT unnest(environments || $10::text[]) AS e LIMIT 100) x),
       last_release = COALESCE($11, last_release),
       status = CASE WHEN $12 THEN 'unresolved' ELSE status END,
       substatus = CASE WHEN $12 THEN 'regressed' ELSE substatus END,
       resolved_at = CASE WHEN $12 THEN NULL ELSE resolved_at END,
       resolution = CASE WHEN $12 THEN NULL ELSE resolution END,
       resolved_after_release = CASE WHEN $12 THEN NULL ELSE resolved_after_release END,
       regressed_at = CASE WHEN $12 THEN now() ELSE regressed_at END
     WHERE id = $1 RETURNING ${COLS}`,
    [id, o.title, o.culprit ?? null, o.level, o.exceptionType ?? null, o.firstSeen, o.lastSeen, o.count, o.releases, o.environments, o.lastRelease ?? null, regressed],
  );
  return toIssue(rows[0]);
}

/** Records users (pseudonyms) per issue and bumps users_affected by the new ones. */
export async function addIssueUsers(tx: PoolClient, pairs: { issueId: string; userRef: string }[]): Promise<void> {
  if (!pairs.length) return;
  await tx.query(
    `WITH added AS (
       INSERT INTO errors.issue_users (issue_id, user_ref) SELECT DISTINCT * FROM unnest($1::bigint[], $2::text[])
       ON CONFLICT DO NOTHING RETURNING issue_id)
     UPDATE errors.issues i SET users_affected = users_affected + a.n
       FROM (SELECT issue_id, count(*) AS n FROM added GROUP BY issue_id) a WHERE i.id = a.issue_id`,
    [pairs.map((p) => p.issueId), pairs.map((p) => p.userRef)],
  );
}

/** Adds tag value counts (already summed per issue/key/value). */
export async function addIssueTags(tx: PoolClient, rows: { issueId: string; key: string; value: string; count: number }[]): Promise<void> {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO errors.issue_tags (issue_id, key, value, count) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[])
     ON CONFLICT (issue_id, key, value) DO UPDATE SET count = errors.issue_tags.count + excluded.count`,
    [rows.map((r) => r.issueId), rows.map((r) => r.key), rows.map((r) => r.value), rows.map((r) => r.count)],
  );
}

export async function topIssueTags(pool: Pool, issueId: string): Promise<{ key: string; values: { value: string; count: number }[] }[]> {
  const { rows } = await pool.query(
    `SELECT key, value, count FROM (
       SELECT key, value, count, row_number() OVER (PARTITION BY key ORDER BY count DESC, value) AS n FROM errors.issue_tags WHERE issue_id = $1) t
      WHERE n <= 10 ORDER BY key, count DESC, value LIMIT 500`,
    [issueId],
  );
  const out = new Map<string, { value: string; count: number }[]>();
  for (const r of rows) out.set(r.key, [...(out.get(r.key) ?? []), { value: r.value, count: Number(r.count) }]);
  return [...out].map(([key, values]) => ({ key, values }));
}

export async function markSpiked(tx: PoolClient, ids: string[], at: Date): Promise<void> {
  if (ids.length) await tx.query(`UPDATE errors.issues SET last_spike_at = $2 WHERE id = ANY($1::bigint[])`, [ids, at]);
}

export interface IssueFilter {
  status?: IssueStatus;
  substatus?: 'new' | 'ongoing' | 'regressed';
  level?: string;
  release?: string;
  environment?: string;
  exceptionType?: string;
  tag?: { key: string; value: string };
  since?: string;
  until?: string;
  query?: string;
  sort: 'last_seen' | 'first_seen' | 'count' | 'users';
  limit: number;
  /** Keyset cursor: [sort, sort column as text, id] of the previous page's last issue. */
  after?: CursorKey;
}

// Every order is (column, id) descending, so one row comparison continues after a cursor.
const SORT: Record<IssueFilter['sort'], { column: string; type: string }> = {
  last_seen: { column: 'last_seen', type: 'timestamptz' },
  first_seen: { column: 'first_seen', type: 'timestamptz' },
  count: { column: 'times_seen', type: 'bigint' },
  users: { column: 'users_affected', type: 'bigint' },
};

export async function listIssues(pool: Pool, tenantId: string, projectId: string, f: IssueFilter): Promise<Page<IssueRow>> {
  const where = ['tenant_id = $1', 'project_id = $2'];
  const args: unknown[] = [tenantId, projectId];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (f.status) add('status = ?', f.status);
  if (f.substatus) add('substatus = ?', f.substatus);
  if (f.level) add('level = ?', f.level);
  if (f.release) add('? = ANY(releases)', f.release);
  if (f.environment) add('? = ANY(environments)', f.environment);
  if (f.exceptionType) add('exception_type = ?', f.exceptionType);
  if (f.tag) {
    args.push(f.tag.key, f.tag.value);
    where.push(`EXISTS (SELECT 1 FROM errors.issue_tags t WHERE t.issue_id = errors.issues.id AND t.key = $${args.length - 1} AND t.value = $${args.length})`);
  }
  if (f.since) add('last_seen >= ?', f.since);
  if (f.until) add('first_seen <= ?', f.until);
  if (f.query) add(`(title ILIKE ? ESCAPE '\\' OR culprit ILIKE $${args.length + 1} ESCAPE '\\')`, `%${f.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const { column, type } = SORT[f.sort];
  if (f.after) {
    args.push(f.after[1], f.after[2]);
    where.push(`(${column}, id) < ($${args.length - 1}::${type}, $${args.length}::bigint)`);
  }
  args.push(f.limit + 1);
  const { rows } = await pool.query(
    `SELECT ${COLS}, ${column}::text AS cursor_value FROM errors.issues WHERE ${where.join(' AND ')} ORDER BY ${column} DESC, id DESC LIMIT $${args.length}`,
    args,
  );
  return keysetPage(rows, f.limit, (r) => [f.sort, r.cursor_value, String(r.id)], toIssue);
}

export async function getIssue(db: Queryable, tenantId: string, projectId: string, id: string): Promise<IssueRow | undefined> {
  const { rows } = await db.query(`SELECT ${COLS} FROM errors.issues WHERE tenant_id = $1 AND project_id = $2 AND id = $3`, [tenantId, projectId, id]);
  return rows[0] && toIssue(rows[0]);
}

export interface StatusChange {
  id: string;
  status: IssueStatus;
  resolution: Resolution | null;
  resolvedInRelease: string | null;
  resolvedAfterRelease: string | null;
}

/** Issues of a project by id, locked for a status change. */
export async function lockIssuesById(tx: PoolClient, tenantId: string, projectId: string, ids: string[]): Promise<IssueRow[]> {
  const { rows } = await tx.query(`SELECT ${COLS} FROM errors.issues WHERE tenant_id = $1 AND project_id = $2 AND id = ANY($3::bigint[]) ORDER BY id FOR UPDATE`, [tenantId, projectId, ids]);
  return rows.map(toIssue);
}

/** Applies status changes (fields computed by the domain); an issue reopened by hand is `ongoing`. */
export async function setIssueStatuses(tx: PoolClient, changes: StatusChange[]): Promise<IssueRow[]> {
  if (!changes.length) return [];
  const { rows } = await tx.query(
    `UPDATE errors.issues i SET status = c.status,
       substatus = CASE WHEN c.status = 'unresolved' AND i.status <> 'unresolved' THEN 'ongoing' ELSE i.substatus END,
       resolved_at = CASE WHEN c.status = 'resolved' THEN now() ELSE NULL END,
       resolution = c.resolution, resolved_in_release = c.rel, resolved_after_release = c.after
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS c(id, status, resolution, rel, after)
     WHERE i.id = c.id RETURNING ${COLS.split(/,\s*/).map((c) => `i.${c}`).join(', ')}`,
    [changes.map((c) => c.id), changes.map((c) => c.status), changes.map((c) => c.resolution), changes.map((c) => c.resolvedInRelease), changes.map((c) => c.resolvedAfterRelease)],
  );
  return rows.map(toIssue);
}
