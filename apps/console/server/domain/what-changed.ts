// "What changed around this alert": from the history of the minutes before an alert, the changes
// a person looks at first — issues first seen or regressed, error spikes, health-score drops (with
// the check that moved most), new slow queries, failed backups and verifications. Pure.
import type { HistoryEntry } from './history.js';

export type ChangeKind = 'issue-opened' | 'issue-regressed' | 'error-spike' | 'health-drop' | 'slow-query' | 'backup-failed' | 'verification-failed';

export interface Change {
  kind: ChangeKind;
  at: string;
  title: string;
  severity: HistoryEntry['severity'];
  link: string | null;
  eventId: string;
  /** Health drops: the score before and after, and the check whose penalty grew most. */
  health?: { databaseId: string; before: number; after: number; check: { name: string; penaltyBefore: number; penaltyAfter: number; detail: string } | null };
}

const DISCRETE: Record<string, ChangeKind> = {
  'issue.opened': 'issue-opened',
  'issue.regressed': 'issue-regressed',
  'error.spike': 'error-spike',
  'query.slow': 'slow-query',
  'backup.failed': 'backup-failed',
  'verification.failed': 'verification-failed',
};

interface Component {
  name: string;
  penalty: number;
  detail: string;
}
const componentsOf = (e: Pick<HistoryEntry, 'data'>): Component[] =>
  Array.isArray(e.data.components)
    ? (e.data.components as unknown[]).flatMap((c) => {
        const o = c as Record<string, unknown>;
        return typeof o.name === 'string' && typeof o.penalty === 'number' ? [{ name: o.name, penalty: o.penalty, detail: typeof o.detail === 'string' ? o.detail : '' }] : [];
      })
    : [];

/** The check whose penalty grew most between two scorings of one database. */
export function checkThatMoved(before: Pick<HistoryEntry, 'data'>, after: Pick<HistoryEntry, 'data'>): NonNullable<Change['health']>['check'] {
  const was = new Map(componentsOf(before).map((c) => [c.name, c.penalty]));
  let best: NonNullable<Change['health']>['check'] = null;
  for (const c of componentsOf(after)) {
    const grew = c.penalty - (was.get(c.name) ?? 0);
    if (grew > 0 && (!best || grew > best.penaltyAfter - best.penaltyBefore)) best = { name: c.name, penaltyBefore: was.get(c.name) ?? 0, penaltyAfter: c.penalty, detail: c.detail };
  }
  return best;
}

/**
 * `window`: history entries of the minutes before the alert, oldest first. `previousScores`: per
 * database, its last health scoring before the window (so the first scoring inside it is compared
 * with something). Returns the changes, newest first.
 */
export function whatChanged(window: HistoryEntry[], previousScores: Map<string, HistoryEntry>): Change[] {
  const changes: Change[] = [];
  const last = new Map(previousScores);
  for (const e of window) {
    const discrete = DISCRETE[e.kind];
    if (discrete) {
      changes.push({ kind: discrete, at: e.occurredAt, title: e.title, severity: e.severity, link: e.link, eventId: e.eventId });
      continue;
    }
    if (e.kind !== 'health.scored' || e.value === null) continue;
    const prev = last.get(e.subjectId);
    last.set(e.subjectId, e);
    if (!prev || prev.value === null || e.value >= prev.value) continue;
    const check = checkThatMoved(prev, e);
    changes.push({
      kind: 'health-drop',
      at: e.occurredAt,
      title: `${String(e.data.databaseName ?? e.subjectId)} health ${prev.value} → ${e.value}${check ? ` (${check.name.replace(/_/g, ' ')})` : ''}`,
      severity: e.severity === 'ok' ? 'warning' : e.severity,
      link: e.link,
      eventId: e.eventId,
      health: { databaseId: e.subjectId, before: prev.value, after: e.value, check },
    });
  }
  return changes.reverse();
}
