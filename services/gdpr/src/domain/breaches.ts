// Breach management (Art. 33/34): a register of every breach with its 72-hour clock from
// awareness, the Art. 33(3) fields, phased information (Art. 33(4)) and the Art. 34 decision.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { getBreach, insertBreach, insertBreachUpdate, listBreaches, listBreachUpdates, updateBreach, type BreachRow } from '../db/breaches.js';
import { withTenant } from '../db/tenant.js';
import { errors } from '../errors.js';
import { breachNotificationDeadline } from './deadlines.js';

export interface BreachInput {
  title: string;
  awareAt: string;
  nature: string;
  dataCategories: string[];
  approxSubjects?: number;
  approxRecords?: number;
  dpoContact: string;
  likelyConsequences: string;
  measures: string;
  risk: 'none' | 'risk' | 'high';
}

/** Art. 34(3)(a)-(c): when data subjects need not be told. */
export const ART34_EXEMPTIONS = ['Art. 34(3)(a)', 'Art. 34(3)(b)', 'Art. 34(3)(c)'] as const;

export interface BreachView extends BreachRow {
  notificationOverdue: boolean;
  updates: { phase: string; detail: string; addedAt: string }[];
}

async function view(tx: Parameters<typeof listBreachUpdates>[0], b: BreachRow, now: Date): Promise<BreachView> {
  const pending = !b.authorityNotifiedAt && !b.notNotifiedReason;
  return {
    ...b,
    notificationOverdue: pending && now.getTime() > new Date(b.notifyDeadline).getTime(),
    updates: await listBreachUpdates(tx, b.id),
  };
}

export function recordBreach(pool: Pool, tenantId: string, input: BreachInput, now = new Date()): Promise<BreachView> {
  const aware = new Date(input.awareAt);
  if (aware.getTime() > now.getTime() + 60_000) throw errors.breachInvalid('awareAt lies in the future');
  return withTenant(pool, tenantId, async (tx) => {
    const b = await insertBreach(tx, tenantId, {
      id: randomUUID(),
      title: input.title,
      awareAt: aware.toISOString(),
      notifyDeadline: breachNotificationDeadline(aware).toISOString(),
      nature: input.nature,
      dataCategories: input.dataCategories,
      approxSubjects: input.approxSubjects ?? null,
      approxRecords: input.approxRecords ?? null,
      dpoContact: input.dpoContact,
      likelyConsequences: input.likelyConsequences,
      measures: input.measures,
      risk: input.risk,
    });
    return view(tx, b, now);
  });
}

export interface BreachDecision {
  authorityNotifiedAt?: string;
  notNotifiedReason?: string;
  delayReason?: string;
  subjectsDecision?: 'notify' | 'exempt';
  subjectsExemption?: (typeof ART34_EXEMPTIONS)[number];
  subjectsNotifiedAt?: string;
  phase?: { phase: string; detail: string };
}

/** Records notification, the Art. 34 decision or a new phase of information, with the rules that tie them. */
export function updateBreachDecision(pool: Pool, tenantId: string, id: string, d: BreachDecision, now = new Date()): Promise<BreachView> {
  return withTenant(pool, tenantId, async (tx) => {
    const b = await getBreach(tx, id, true);
    if (!b) throw errors.breachNotFound(id);
    if (d.authorityNotifiedAt && d.notNotifiedReason) throw errors.breachInvalid('give either authorityNotifiedAt or notNotifiedReason, not both');
    if (d.notNotifiedReason && b.risk !== 'none') throw errors.breachInvalid('a breach with risk to rights and freedoms must be notified (Art. 33(1))');
    const notifiedAt = d.authorityNotifiedAt ? new Date(d.authorityNotifiedAt) : undefined;
    if (notifiedAt && notifiedAt.getTime() > new Date(b.notifyDeadline).getTime() && !d.delayReason && !b.delayReason) {
      throw errors.breachInvalid('notification after 72 hours needs delayReason (Art. 33(1))');
    }
    if (d.subjectsDecision === 'exempt' && !d.subjectsExemption) throw errors.breachInvalid('an exemption from informing subjects must cite Art. 34(3)(a), (b) or (c)');
    if (d.subjectsDecision === 'notify' && d.subjectsExemption) throw errors.breachInvalid('subjectsExemption only applies to decision "exempt"');
    const patch: Partial<BreachRow> = {};
    if (notifiedAt) patch.authorityNotifiedAt = notifiedAt.toISOString();
    if (d.notNotifiedReason) patch.notNotifiedReason = d.notNotifiedReason;
    if (d.delayReason) patch.delayReason = d.delayReason;
    if (d.subjectsDecision) {
      patch.subjectsDecision = d.subjectsDecision;
      patch.subjectsExemption = d.subjectsExemption ?? null;
    }
    if (d.subjectsNotifiedAt) patch.subjectsNotifiedAt = new Date(d.subjectsNotifiedAt).toISOString();
    const updated = Object.keys(patch).length ? await updateBreach(tx, id, patch) : b;
    if (d.phase) await insertBreachUpdate(tx, tenantId, { id: randomUUID(), breachId: id, ...d.phase });
    return view(tx, updated, now);
  });
}

export function breachDetail(pool: Pool, tenantId: string, id: string, now = new Date()): Promise<BreachView> {
  return withTenant(pool, tenantId, async (tx) => {
    const b = await getBreach(tx, id);
    if (!b) throw errors.breachNotFound(id);
    return view(tx, b, now);
  });
}

export function breachRegister(pool: Pool, tenantId: string, now = new Date()): Promise<BreachView[]> {
  return withTenant(pool, tenantId, async (tx) => {
    const out: BreachView[] = [];
    for (const b of await listBreaches(tx)) out.push(await view(tx, b, now));
    return out;
  });
}
