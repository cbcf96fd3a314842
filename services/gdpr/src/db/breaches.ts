// SQL for the breach register (Art. 33(5)) and its phased updates.
import type { PoolClient } from 'pg';
import type { BreachRow } from '../domain/breaches.js';

export type { BreachRow } from '../domain/breaches.js';

const COLUMNS = `id, title, aware_at, notify_deadline, nature, data_categories, approx_subjects, approx_records, dpo_contact, likely_consequences,
  measures, risk, authority_notified_at, not_notified_reason, delay_reason, subjects_decision, subjects_exemption, subjects_notified_at, warned_state, created_at`;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);

function toBreach(r: Record<string, unknown>): BreachRow {
  return {
    id: r.id as string,
    title: r.title as string,
    awareAt: iso(r.aware_at)!,
    notifyDeadline: iso(r.notify_deadline)!,
    nature: r.nature as string | null,
    dataCategories: r.data_categories as string[],
    approxSubjects: r.approx_subjects as number | null,
    approxRecords: r.approx_records as number | null,
    dpoContact: r.dpo_contact as string | null,
    likelyConsequences: r.likely_consequences as string | null,
    measures: r.measures as string | null,
    risk: r.risk as BreachRow['risk'],
    authorityNotifiedAt: iso(r.authority_notified_at),
    notNotifiedReason: r.not_notified_reason as string | null,
    delayReason: r.delay_reason as string | null,
    subjectsDecision: r.subjects_decision as BreachRow['subjectsDecision'],
    subjectsExemption: r.subjects_exemption as string | null,
    subjectsNotifiedAt: iso(r.subjects_notified_at),
    warnedState: r.warned_state as string | null,
    createdAt: iso(r.created_at)!,
  };
}

export type NewBreach = Pick<
  BreachRow,
  'id' | 'title' | 'awareAt' | 'notifyDeadline' | 'nature' | 'dataCategories' | 'approxSubjects' | 'approxRecords' | 'dpoContact' | 'likelyConsequences' | 'measures' | 'risk'
>;

export async function insertBreach(tx: PoolClient, tenantId: string, b: NewBreach): Promise<BreachRow> {
  const { rows } = await tx.query(
    `INSERT INTO gdpr.breaches (id, tenant_id, title, aware_at, notify_deadline, nature, data_categories, approx_subjects, approx_records, dpo_contact,
       likely_consequences, measures, risk) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING ${COLUMNS}`,
    [b.id, tenantId, b.title, b.awareAt, b.notifyDeadline, b.nature, b.dataCategories, b.approxSubjects, b.approxRecords, b.dpoContact,
      b.likelyConsequences, b.measures, b.risk],
  );
  return toBreach(rows[0]);
}

export async function getBreach(tx: PoolClient, id: string, forUpdate = false): Promise<BreachRow | undefined> {
  const { rows } = await tx.query(`SELECT ${COLUMNS} FROM gdpr.breaches WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toBreach(rows[0]) : undefined;
}

export async function listBreaches(tx: PoolClient): Promise<BreachRow[]> {
  const { rows } = await tx.query(`SELECT ${COLUMNS} FROM gdpr.breaches ORDER BY aware_at DESC`);
  return rows.map(toBreach);
}

const FIELD: Record<string, string> = {
  authorityNotifiedAt: 'authority_notified_at',
  notNotifiedReason: 'not_notified_reason',
  delayReason: 'delay_reason',
  subjectsDecision: 'subjects_decision',
  subjectsExemption: 'subjects_exemption',
  subjectsNotifiedAt: 'subjects_notified_at',
  warnedState: 'warned_state',
  risk: 'risk',
  nature: 'nature',
  dataCategories: 'data_categories',
  dpoContact: 'dpo_contact',
  likelyConsequences: 'likely_consequences',
  measures: 'measures',
  approxSubjects: 'approx_subjects',
  approxRecords: 'approx_records',
};

export async function updateBreach(tx: PoolClient, id: string, patch: Partial<BreachRow>): Promise<BreachRow> {
  const keys = Object.keys(patch).filter((k) => FIELD[k]);
  const sets = keys.map((k, i) => `${FIELD[k]} = $${i + 2}`);
  const { rows } = await tx.query(`UPDATE gdpr.breaches SET ${sets.join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`, [
    id,
    ...keys.map((k) => (patch as Record<string, unknown>)[k]),
  ]);
  return toBreach(rows[0]);
}

export async function insertBreachUpdate(tx: PoolClient, tenantId: string, u: { id: string; breachId: string; phase: string; detail: string }): Promise<void> {
  await tx.query(`INSERT INTO gdpr.breach_updates (id, tenant_id, breach_id, phase, detail) VALUES ($1, $2, $3, $4, $5)`, [u.id, tenantId, u.breachId, u.phase, u.detail]);
}

export async function listBreachUpdates(tx: PoolClient, breachId: string): Promise<{ phase: string; detail: string; addedAt: string }[]> {
  const { rows } = await tx.query(`SELECT phase, detail, added_at FROM gdpr.breach_updates WHERE breach_id = $1 ORDER BY added_at`, [breachId]);
  return rows.map((r) => ({ phase: r.phase, detail: r.detail, addedAt: r.added_at.toISOString() }));
}

/** Breaches of every tenant still awaiting an authority decision whose clock is within `until` (scheduler). */
export async function unnotifiedBreachesBefore(tx: PoolClient, until: Date): Promise<(BreachRow & { tenantId: string })[]> {
  const { rows } = await tx.query(
    `SELECT tenant_id, ${COLUMNS} FROM gdpr.breaches WHERE authority_notified_at IS NULL AND not_notified_reason IS NULL AND notify_deadline <= $1`,
    [until],
  );
  return rows.map((r) => ({ ...toBreach(r), tenantId: r.tenant_id }));
}

export async function markBreachWarned(tx: PoolClient, id: string, state: string): Promise<void> {
  await tx.query(`UPDATE gdpr.breaches SET warned_state = $2 WHERE id = $1`, [id, state]);
}
