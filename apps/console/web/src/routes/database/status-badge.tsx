// A target's collection status as a badge.
const LEVEL: Record<string, string> = { ok: 'ok', pending: 'info', degraded: 'warning', unreachable: 'critical', timeout: 'critical', error: 'critical' };

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${LEVEL[status] ?? ''}`}>{status}</span>;
}
