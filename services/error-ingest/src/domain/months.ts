// UTC months: the partitions of errors.events (events_YYYYMM holds received_at in [start, end)).
export interface Month {
  suffix: string;
  start: Date;
  end: Date;
}

export function monthOf(at: Date): Month {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  return { suffix: `${y}${String(m + 1).padStart(2, '0')}`, start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
}

/** The month named by a partition suffix (YYYYMM), or undefined for another name. */
export function monthOfSuffix(suffix: string): Month | undefined {
  const match = /^(\d{4})(\d{2})$/.exec(suffix);
  if (!match) return undefined;
  const month = Number(match[2]) - 1;
  if (month < 0 || month > 11) return undefined;
  return monthOf(new Date(Date.UTC(Number(match[1]), month, 1)));
}

/** The months around `now` that must exist before events arrive: the previous, this and the next. */
export function monthsAround(now: Date): Month[] {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return [-1, 0, 1].map((k) => monthOf(new Date(Date.UTC(y, m + k, 1))));
}

/** Partitions wholly older than `cutoff` (every project's retention has passed for all their rows). */
export function expiredMonths(partitions: Month[], cutoff: Date): Month[] {
  return partitions.filter((p) => p.end.getTime() <= cutoff.getTime());
}
