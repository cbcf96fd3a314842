// One row of the issue stream and its header: a grid of cells in a role=table, so a screen reader
// reads it as the table it is while only the visible rows exist in the DOM.
import { memo, type MouseEvent } from 'react';
import { formatAbsolute, formatPast } from '../../components/time';
import { LevelBadge, StatusBadge, compact } from './issue-badges';
import type { StreamIssue } from './queries';
import { TrendBars } from './trend-bars';

export const ROW_HEIGHT = 58;
export const HEADER_HEIGHT = 36;

export function StreamHeader({ allSelected, someSelected, onSelectAll }: { allSelected: boolean; someSelected: boolean; onSelectAll: (on: boolean) => void }) {
  return (
    <div className="stream-header" role="rowgroup" style={{ height: HEADER_HEIGHT }}>
      <div className="stream-grid" role="row" aria-rowindex={1}>
        <div role="columnheader" className="cell-check">
          <input
            type="checkbox"
            aria-label="Select all loaded issues"
            checked={allSelected}
            ref={(el) => {
              if (el) el.indeterminate = someSelected && !allSelected;
            }}
            onChange={(e) => onSelectAll(e.target.checked)}
          />
        </div>
        <div role="columnheader">Issue</div>
        <div role="columnheader">Level</div>
        <div role="columnheader">24 h</div>
        <div role="columnheader" className="num">
          Events
        </div>
        <div role="columnheader" className="num">
          Users
        </div>
        <div role="columnheader">First seen</div>
        <div role="columnheader">Last seen</div>
        <div role="columnheader">Release</div>
        <div role="columnheader">Status</div>
      </div>
    </div>
  );
}

export const issueHref = (projectId: string, issueId: string) => `/errors/${encodeURIComponent(projectId)}/issues/${encodeURIComponent(issueId)}`;

/** A left click without modifiers, which the app handles (it prevents the browser's own navigation); others are left to the browser. */
function plainClick(e: MouseEvent): boolean {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return false;
  e.preventDefault();
  return true;
}

/**
 * A relative time without hooks of its own: rows mount by the dozen while scrolling, the clock and zone come from the list.
 * The list's clock moves on the shared 15 s tick, so an issue seen since the last tick is after it: first and last
 * seen are in the past, and read "just now" then, never "in 6 sec".
 */
function RowTime({ at, now, zone }: { at: string; now: number; zone: 'local' | 'utc' }) {
  const d = new Date(at);
  return (
    <time dateTime={at} title={formatAbsolute(d, zone)}>
      {formatPast(d, now)}
    </time>
  );
}

export const StreamRow = memo(function StreamRow({
  issue,
  index,
  top,
  cursor,
  selected,
  onToggle,
  onOpen,
  now,
  zone,
}: {
  issue: StreamIssue;
  index: number;
  top: number;
  cursor: boolean;
  selected: boolean;
  onToggle: (id: string) => void;
  /** Opens the issue's page (a plain left click on its title; other clicks do what the browser does with a link). */
  onOpen: (issueId: string) => void;
  now: number;
  zone: 'local' | 'utc';
}) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-issue-id={issue.id}
      className={`stream-grid stream-row level-edge-${issue.level}${cursor ? ' cursor' : ''}${selected ? ' selected' : ''}`}
      style={{ position: 'absolute', top, left: 0, right: 0, height: ROW_HEIGHT }}
    >
      <div role="cell" className="cell-check">
        <input type="checkbox" aria-label={`Select ${issue.title}`} checked={selected} onChange={() => onToggle(issue.id)} />
      </div>
      <div role="cell" className="cell-issue">
        {/* A plain anchor, not the router's Link: rows mount by the dozen per frame while scrolling, and a Link
            subscribes to the router and builds its location on every mount. The click goes through the router. */}
        <a href={issueHref(issue.projectId, issue.id)} className="issue-title" onClick={(e) => plainClick(e) && onOpen(issue.id)}>
          {issue.exceptionType ? <strong>{issue.exceptionType}</strong> : null}
          <span>{issue.exceptionType && issue.title.startsWith(issue.exceptionType) ? issue.title.slice(issue.exceptionType.length).replace(/^:\s*/, '') : issue.title}</span>
        </a>
        <div className="issue-meta">
          {issue.culprit ? <span className="mono culprit">{issue.culprit}</span> : null}
        </div>
      </div>
      <div role="cell">
        <LevelBadge level={issue.level} />
      </div>
      <div role="cell">
        <TrendBars hours={issue.hours} label={`Trend of ${issue.title}`} />
      </div>
      <div role="cell" className="num" title={`${issue.count} events`}>
        {compact(issue.count)}
      </div>
      <div role="cell" className="num" title={`${issue.usersAffected} users`}>
        {compact(issue.usersAffected)}
      </div>
      <div role="cell" className="muted">
        <RowTime at={issue.firstSeen} now={now} zone={zone} />
      </div>
      <div role="cell" className="muted">
        <RowTime at={issue.lastSeen} now={now} zone={zone} />
      </div>
      <div role="cell" className="mono release" title={issue.lastRelease ?? ''}>
        {issue.lastRelease ?? <span className="muted">—</span>}
      </div>
      <div role="cell">
        <StatusBadge status={issue.status} substatus={issue.substatus} />
      </div>
    </div>
  );
});

export function LoadingRow({ top }: { top: number }) {
  return (
    <div role="row" className="stream-grid stream-row loading-row" style={{ position: "absolute", top, left: 0, right: 0, height: ROW_HEIGHT }}>
      <div role="cell" className="muted">
        Loading more issues…
      </div>
    </div>
  );
}
