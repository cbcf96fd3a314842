// Breach rules (Art. 33/34): the 72-hour clock from awareness, the Art. 33(3) fields, and
// the rules that tie notification, delay reasons and the Art. 34 decision together.
import { breachInvalid } from '../errors.js';
import { breachNotificationDeadline } from './deadlines.js';

export interface BreachRow {
  id: string;
  title: string;
  awareAt: string;
  notifyDeadline: string;
  nature: string | null;
  dataCategories: string[];
  approxSubjects: number | null;
  approxRecords: number | null;
  dpoContact: string | null;
  likelyConsequences: string | null;
  measures: string | null;
  risk: 'none' | 'risk' | 'high';
  authorityNotifiedAt: string | null;
  notNotifiedReason: string | null;
  delayReason: string | null;
  subjectsDecision: 'notify' | 'exempt' | null;
  subjectsExemption: string | null;
  subjectsNotifiedAt: string | null;
  warnedState: string | null;
  createdAt: string;
}

/** Art. 33(4): the Art. 33(3) fields may be given later, in phases. */
export interface Art33Fields {
  nature?: string;
  dataCategories?: string[];
  approxSubjects?: number;
  approxRecords?: number;
  dpoContact?: string;
  likelyConsequences?: string;
  measures?: string;
}

export interface BreachInput extends Art33Fields {
  title: string;
  awareAt: string;
  risk: 'none' | 'risk' | 'high';
}

/** The information Art. 33(3) requires in a notification to the supervisory authority, in its order. */
export const ART33_FIELDS = [
  { field: 'nature', article: 'Art. 33(3)(a)', label: 'Nature of the breach' },
  { field: 'dataCategories', article: 'Art. 33(3)(a)', label: 'Categories of personal data' },
  { field: 'approxSubjects', article: 'Art. 33(3)(a)', label: 'Approximate number of data subjects' },
  { field: 'approxRecords', article: 'Art. 33(3)(a)', label: 'Approximate number of records' },
  { field: 'dpoContact', article: 'Art. 33(3)(b)', label: 'DPO or other contact point' },
  { field: 'likelyConsequences', article: 'Art. 33(3)(c)', label: 'Likely consequences' },
  { field: 'measures', article: 'Art. 33(3)(d)', label: 'Measures taken or proposed' },
] as const;

export type Art33Field = (typeof ART33_FIELDS)[number]['field'];

/** The Art. 33(3) fields not recorded yet (empty text and an empty category list count as missing). */
export function missingArt33Fields(b: Pick<BreachRow, Art33Field>): Art33Field[] {
  return ART33_FIELDS.filter(({ field }) => {
    const v = b[field];
    return v === null || v === undefined || (typeof v === 'string' && !v.trim()) || (Array.isArray(v) && v.length === 0);
  }).map((f) => f.field);
}

/** Art. 34(3)(a)-(c): when data subjects need not be told. */
export const ART34_EXEMPTIONS = ['Art. 34(3)(a)', 'Art. 34(3)(b)', 'Art. 34(3)(c)'] as const;

export interface BreachDecision extends Art33Fields {
  authorityNotifiedAt?: string;
  notNotifiedReason?: string;
  delayReason?: string;
  subjectsDecision?: 'notify' | 'exempt';
  subjectsExemption?: (typeof ART34_EXEMPTIONS)[number];
  subjectsNotifiedAt?: string;
  phase?: { phase: string; detail: string };
}

export type BreachFields = Omit<BreachRow, 'authorityNotifiedAt' | 'notNotifiedReason' | 'delayReason' | 'subjectsDecision' | 'subjectsExemption' | 'subjectsNotifiedAt' | 'warnedState' | 'createdAt'>;

/** A new breach's stored fields: the clock starts at awareness, which cannot lie in the future. */
export function newBreach(id: string, input: BreachInput, now: Date): BreachFields {
  const aware = new Date(input.awareAt);
  if (aware.getTime() > now.getTime() + 60_000) throw breachInvalid('awareAt lies in the future');
  return {
    id,
    title: input.title,
    awareAt: aware.toISOString(),
    notifyDeadline: breachNotificationDeadline(aware).toISOString(),
    nature: input.nature ?? null,
    dataCategories: input.dataCategories ?? [],
    approxSubjects: input.approxSubjects ?? null,
    approxRecords: input.approxRecords ?? null,
    dpoContact: input.dpoContact ?? null,
    likelyConsequences: input.likelyConsequences ?? null,
    measures: input.measures ?? null,
    risk: input.risk,
  };
}

/** The changes a decision makes to a breach, or a 400 naming the rule it breaks. */
export function decisionPatch(b: Pick<BreachRow, 'risk' | 'notifyDeadline' | 'delayReason'>, d: BreachDecision): Partial<BreachRow> {
  if (d.authorityNotifiedAt && d.notNotifiedReason) throw breachInvalid('give either authorityNotifiedAt or notNotifiedReason, not both');
  if (d.notNotifiedReason && b.risk !== 'none') throw breachInvalid('a breach with risk to rights and freedoms must be notified (Art. 33(1))');
  const notifiedAt = d.authorityNotifiedAt ? new Date(d.authorityNotifiedAt) : undefined;
  if (notifiedAt && notifiedAt.getTime() > new Date(b.notifyDeadline).getTime() && !d.delayReason && !b.delayReason) {
    throw breachInvalid('notification after 72 hours needs delayReason (Art. 33(1))');
  }
  if (d.subjectsDecision === 'exempt' && !d.subjectsExemption) throw breachInvalid('an exemption from informing subjects must cite Art. 34(3)(a), (b) or (c)');
  if (d.subjectsDecision === 'notify' && d.subjectsExemption) throw breachInvalid('subjectsExemption only applies to decision "exempt"');
  const patch: Partial<BreachRow> = {};
  if (notifiedAt) patch.authorityNotifiedAt = notifiedAt.toISOString();
  if (d.notNotifiedReason) patch.notNotifiedReason = d.notNotifiedReason;
  if (d.delayReason) patch.delayReason = d.delayReason;
  if (d.subjectsDecision) {
    patch.subjectsDecision = d.subjectsDecision;
    patch.subjectsExemption = d.subjectsExemption ?? null;
  }
  if (d.subjectsNotifiedAt) patch.subjectsNotifiedAt = new Date(d.subjectsNotifiedAt).toISOString();
  for (const { field } of ART33_FIELDS) if (d[field] !== undefined) (patch as Record<string, unknown>)[field] = d[field];
  return patch;
}

/** Neither notified nor documented as not notifiable, and past the 72 hours. */
export function notificationOverdue(b: Pick<BreachRow, 'authorityNotifiedAt' | 'notNotifiedReason' | 'notifyDeadline'>, now: Date): boolean {
  return !b.authorityNotifiedAt && !b.notNotifiedReason && now.getTime() > new Date(b.notifyDeadline).getTime();
}
