// Cron schedules (croner): validation with a precise message, and the next due time.
import { Cron } from 'croner';

/** Returns undefined when valid, else why not. Five fields (minute precision) or six (seconds first). */
export function cronProblem(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) return `cron expression "${expr}" must have 5 or 6 fields, has ${fields}`;
  try {
    const job = new Cron(expr, { paused: true, timezone: 'UTC' });
    if (!job.nextRun(new Date())) return `cron expression "${expr}" never fires`;
    return undefined;
  } catch (err) {
    return `cron expression "${expr}" is invalid: ${(err as Error).message}`;
  }
}

/** The first fire time strictly after `after` (UTC). */
export function nextRunAfter(expr: string, after: Date): Date | undefined {
  return new Cron(expr, { paused: true, timezone: 'UTC' }).nextRun(after) ?? undefined;
}

/** Due when a fire time lies between the last run (or policy creation) and now. */
export function isDue(expr: string, lastRunAt: Date, now: Date): boolean {
  const next = nextRunAfter(expr, lastRunAt);
  return next !== undefined && next.getTime() <= now.getTime();
}
