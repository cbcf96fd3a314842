// Weekly report schedules: when the next delivery is due, which period it covers, and the
// signature a webhook receiver checks.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface WeeklySlot {
  /** 0 = Sunday … 6 = Saturday, UTC. */
  dayOfWeek: number;
  /** Hour of day, UTC. */
  hour: number;
}

/** The first slot strictly after `after`. */
export function nextWeeklyRun(slot: WeeklySlot, after: Date): Date {
  const d = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), slot.hour));
  d.setUTCDate(d.getUTCDate() + ((slot.dayOfWeek - d.getUTCDay() + 7) % 7));
  if (d <= after) d.setUTCDate(d.getUTCDate() + 7);
  return d;
}

/** A delivery due at `dueAt` reports the seven days before it. */
export const weekBefore = (dueAt: Date) => ({ from: new Date(dueAt.getTime() - 7 * 86_400_000), to: dueAt });

/** `X-Vigil-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` — the timestamp stops replays. */
export function signBody(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

export function signatureValid(secret: string, body: string, header: string, now: Date, toleranceSeconds = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}

/** Only http(s) receivers, no credentials in the URL. */
export function webhookUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `webhookUrl: "${url}" is not a URL`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'webhookUrl: only http and https receivers are allowed';
  if (u.username || u.password) return 'webhookUrl: credentials in the URL are not allowed; the body is signed instead';
  return null;
}
