// Small pieces the stream and the issue page share: the level marker, the status badge.
import type { ReactNode } from 'react';

export function LevelBadge({ level }: { level: string }) {
  return <span className={`level level-${level}`}>{level}</span>;
}

export function StatusBadge({ status, substatus }: { status: string; substatus: string }): ReactNode {
  if (status === 'resolved') return <span className="badge ok">resolved</span>;
  if (status === 'ignored') return <span className="badge">ignored</span>;
  if (substatus === 'regressed') return <span className="badge warning">regressed</span>;
  if (substatus === 'new') return <span className="badge info">new</span>;
  return <span className="badge">ongoing</span>;
}

export const compact = (n: number): string => (n < 1000 ? String(n) : n < 1_000_000 ? `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k` : `${(n / 1_000_000).toFixed(1)}M`);
