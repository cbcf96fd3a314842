// How close a subject request is to its Art. 12(3) deadline, and a breach to its 72 hours, as the
// badges show it: red once less than a quarter of the time is left (or it has passed).
export interface DaysLeft {
  /** Whole days left, negative when overdue. */
  days: number;
  /** Share of the period (receipt → deadline) still left, 0..1. */
  share: number;
  tone: 'critical' | 'warning' | 'ok' | 'muted';
  label: string;
}

const DAY = 86_400_000;

export function daysLeft(receivedAt: string, deadline: string, now: number, open: boolean): DaysLeft {
  const start = Date.parse(receivedAt);
  const end = Date.parse(deadline);
  const left = end - now;
  const share = Math.max(0, Math.min(1, left / Math.max(1, end - start)));
  const days = left >= 0 ? Math.floor(left / DAY) : -Math.ceil(-left / DAY);
  if (!open) return { days, share, tone: 'muted', label: 'closed' };
  if (left < 0) return { days, share: 0, tone: 'critical', label: `${-days} d overdue` };
  const label = days === 0 ? `${Math.max(1, Math.floor(left / 3_600_000))} h left` : `${days} d left`;
  return { days, share, tone: share < 0.25 ? 'critical' : share < 0.5 ? 'warning' : 'ok', label };
}

export interface BreachClock {
  hoursLeft: number;
  /** "68 h 12 min left" or "4 h 3 min overdue". */
  label: string;
  tone: 'critical' | 'warning' | 'ok';
  share: number;
}

export function breachClock(awareAt: string, notifyDeadline: string, now: number): BreachClock {
  const end = Date.parse(notifyDeadline);
  const left = end - now;
  const abs = Math.abs(left);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const text = `${h} h ${String(m).padStart(2, '0')} min ${String(s).padStart(2, '0')} s`;
  const share = Math.max(0, Math.min(1, left / Math.max(1, end - Date.parse(awareAt))));
  return { hoursLeft: left / 3_600_000, label: left >= 0 ? `${text} left` : `${text} overdue`, tone: left < 0 || share < 0.25 ? 'critical' : share < 0.5 ? 'warning' : 'ok', share };
}
