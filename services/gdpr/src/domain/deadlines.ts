// Deadline arithmetic. Art. 12(3): one month from receipt, to the matching calendar date
// (clamped to the month's last day), extendable by two further months; Art. 33(1): 72 hours.
export const BREACH_NOTIFICATION_MS = 72 * 3_600_000;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** The same calendar date `months` later (UTC); the 31st of a shorter month becomes its last day. */
export function addCalendarMonths(from: Date, months: number): Date {
  const total = from.getUTCMonth() + months;
  const year = from.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const day = Math.min(from.getUTCDate(), daysInMonth(year, month));
  return new Date(Date.UTC(year, month, day, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()));
}

/** The period ends at the end of its last day (UTC). */
function endOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 23, 59, 59, 999));
}

export function requestDeadline(receivedAt: Date): Date {
  return endOfDay(addCalendarMonths(receivedAt, 1));
}

/** Counted from receipt (one month plus two), not chained from the clamped first deadline. */
export function extendedRequestDeadline(receivedAt: Date): Date {
  return endOfDay(addCalendarMonths(receivedAt, 3));
}

export function breachNotificationDeadline(awareAt: Date): Date {
  return new Date(awareAt.getTime() + BREACH_NOTIFICATION_MS);
}

export type DeadlineState = 'ok' | 'near' | 'missed';

export function deadlineState(now: Date, deadline: Date, warnBeforeMs: number): DeadlineState {
  if (now.getTime() > deadline.getTime()) return 'missed';
  if (deadline.getTime() - now.getTime() <= warnBeforeMs) return 'near';
  return 'ok';
}
