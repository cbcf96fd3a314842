// Erasure exceptions (Art. 17(3)) as rules: the grounds, and when a retention period ends.
const DAY_MS = 86_400_000;

/** Art. 17(3)(a)-(e). */
export const ERASURE_GROUNDS = ['Art. 17(3)(a)', 'Art. 17(3)(b)', 'Art. 17(3)(c)', 'Art. 17(3)(d)', 'Art. 17(3)(e)'] as const;
export type ErasureGround = (typeof ERASURE_GROUNDS)[number];

export interface PolicyInput {
  category: string;
  ground: ErasureGround;
  description: string;
  retentionDays: number;
}

export interface HoldInput {
  category: string;
  ground: ErasureGround;
  reason: string;
  subjectId?: string;
}

/** A retention period is counted from the original request (the root of a re-run chain). */
export const retentionEndsAt = (rootReceivedAt: string, retentionDays: number) => new Date(new Date(rootReceivedAt).getTime() + retentionDays * DAY_MS);

export const retentionInForce = (rootReceivedAt: string, retentionDays: number, now: Date) => retentionEndsAt(rootReceivedAt, retentionDays).getTime() > now.getTime();

/** Closed requests keep raw identifiers and export data until this cutoff (Art. 5(1)(e)). */
export const closedRequestCutoff = (now: Date, retentionDays: number) => new Date(now.getTime() - retentionDays * DAY_MS);
