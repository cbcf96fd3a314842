// The issue stream of one project, Sentry-style: search and filters in the URL, sort, saved views,
// bulk resolve/ignore/unresolve, keyboard triage (j/k move, x select, r resolve, e ignore, Enter
// open), live through the stream's invalidations, and virtualised so 10,000 issues scroll smoothly.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { projectsQuery } from '../../api/queries';
import { useCan } from '../../app/session';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { useTick } from '../../components/time';
import { useTimezone } from '../../app/preferences';
import { VirtualList, type VirtualListHandle } from '../../components/virtual-list';
import { HEADER_HEIGHT, LoadingRow, ROW_HEIGHT, StreamHeader, StreamRow } from './issue-rows';
import { changeStatus, issueStreamQuery, type StatusChange } from './queries';
import { StreamToolbar } from './stream-toolbar';
import './errors.css';

const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName));

export function IssueStreamPage() {
  const search = useSearch({ from: '/app/errors' });
  const navigate = useNavigate({ from: '/errors' });
  const projects = useQuery(projectsQuery);
  const projectId = search.project ?? projects.data?.[0]?.id;

  // Old links (the overview's) name an issue: open its page.
  useEffect(() => {
    if (search.issue && search.project) void navigate({ to: '/errors/$projectId/issues/$issueId', params: { projectId: search.project, issueId: search.issue }, replace: true });
  }, [search.issue, search.project, navigate]);

  const isAdmin = useCan('admin');
  if (projects.data && !projects.data.length)
    return (
      <>
        <h1>Issues</h1>
        <EmptyState title="No projects yet.">
          {isAdmin ? (
            <>
              <Link to="/settings" search={{ tab: 'projects' }}>
                Create one
              </Link>
              ; it gives you the DSN to put in your SDK.
            </>
          ) : (
            'An admin creates a project in Settings; its DSN goes into your SDK.'
          )}
        </EmptyState>
      </>
    );
  return (
    <>
      <div className="page-head">
        <h1>Issues</h1>
        <p className="muted keys-hint" id="stream-keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> select · <kbd>r</kbd> resolve · <kbd>e</kbd> ignore · <kbd>Enter</kbd> open
        </p>
      </div>
      <ProblemMessage error={projects.error} title="Could not load projects" />
      {projects.data && projectId ? <StreamToolbar search={{ ...search, project: projectId }} projects={projects.data} /> : null}
      {projectId ? <Stream key={projectId} projectId={projectId} /> : <Loading />}
    </>
  );
}

function Stream({ projectId }: { projectId: string }) {
  const search = useSearch({ from: '/app/errors' });
  const navigate = useNavigate();
  const qc = useQueryClient();
  const canWrite = useCan('write');
  const { project: _p, issue: _i, ...filters } = search;
  const stream = useInfiniteQuery(issueStreamQuery(projectId, filters));
  const issues = useMemo(() => stream.data?.pages.flatMap((p) => p.items) ?? [], [stream.data]);
  const zone = useTimezone();
  // One clock for every row, moving only on the shared 15 s tick: a page arriving or the cursor moving
  // re-renders the list, and a fresh Date.now() then would re-render every visible row (memo defeated).
  const clock = useTick();
  const [cursor, setCursor] = useState(-1);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const list = useRef<VirtualListHandle>(null);
  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    setSelected(new Set());
    setCursor(-1);
  }, [filterKey]);

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = stream;
  const onRange = useCallback(
    (_first: number, last: number) => {
      // Not cancelRefetch: two renders before isFetchingNextPage reaches this callback would otherwise each ask
      // for the page (the second cancelling the first), and every page would be fetched, parsed and drawn twice.
      if (hasNextPage && !isFetchingNextPage && last >= issues.length - 30) void fetchNextPage({ cancelRefetch: false });
    },
    [hasNextPage, isFetchingNextPage, fetchNextPage, issues.length],
  );

  const triage = useMutation({
    mutationFn: ({ ids, change }: { ids: string[]; change: StatusChange }) => changeStatus(qc, projectId, ids, change),
    onSuccess: () => setSelected(new Set()),
  });
  const targets = useCallback((): string[] => (selected.size ? [...selected] : cursor >= 0 && issues[cursor] ? [issues[cursor].id] : []), [selected, cursor, issues]);
  const act = useCallback(
    (change: StatusChange) => {
      const ids = targets();
      if (ids.length && canWrite) triage.mutate({ ids, change });
    },
    [targets, canWrite, triage],
  );
  const open = useCallback((issueId: string) => void navigate({ to: '/errors/$projectId/issues/$issueId', params: { projectId, issueId } }), [navigate, projectId]);
  const toggle = useCallback((id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id]))), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
      const move = (to: number) => {
        const next = Math.max(0, Math.min(issues.length - 1, to));
        setCursor(next);
        list.current?.scrollToIndex(next);
      };
      if (e.key === 'j') move(cursor + 1);
      else if (e.key === 'k') move(cursor - 1);
      else if (e.key === 'x' && issues[cursor]) toggle(issues[cursor].id);
      else if (e.key === 'r') act({ status: 'resolved', resolution: 'now' });
      else if (e.key === 'e') act({ status: 'ignored' });
      else if (e.key === 'Enter' && issues[cursor] && !(e.target instanceof HTMLAnchorElement || e.target instanceof HTMLButtonElement)) {
        void navigate({ to: '/errors/$projectId/issues/$issueId', params: { projectId, issueId: issues[cursor].id } });
      } else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [cursor, issues, toggle, act, navigate, projectId]);

  const renderRow = useCallback(
    (i: number, style: { top: number }) =>
      i < issues.length ? (
        <StreamRow key={issues[i]!.id} issue={issues[i]!} index={i} top={style.top} cursor={i === cursor} selected={selected.has(issues[i]!.id)} onToggle={toggle} onOpen={open} now={clock} zone={zone} />
      ) : (
        <LoadingRow key="loading" top={style.top} />
      ),
    [issues, cursor, selected, toggle, open, clock, zone],
  );

  if (stream.error) return <ProblemMessage error={stream.error} title="Could not load issues" />;
  if (!stream.data) return <Loading />;
  const allSelected = issues.length > 0 && issues.every((i) => selected.has(i.id));
  return (
    <section className="panel stream" aria-label="Issue stream" data-testid="issue-stream">
      <div className="stream-bar">
        <span className="muted" aria-live="polite">
          {`${issues.length.toLocaleString('en')}${hasNextPage ? '+' : ''} issue${issues.length === 1 && !hasNextPage ? '' : 's'}`}
          {selected.size ? ` · ${selected.size} selected` : ''}
        </span>
        {canWrite ? (
          <div className="bulk-actions" role="group" aria-label="Bulk actions">
            <button type="button" disabled={!selected.size || triage.isPending} onClick={() => act({ status: 'resolved', resolution: 'now' })}>
              Resolve
            </button>
            <button type="button" disabled={!selected.size || triage.isPending} onClick={() => act({ status: 'resolved', resolution: 'inNextRelease' })}>
              Resolve in next release
            </button>
            <button type="button" disabled={!selected.size || triage.isPending} onClick={() => act({ status: 'ignored' })}>
              Ignore
            </button>
            <button type="button" disabled={!selected.size || triage.isPending} onClick={() => act({ status: 'unresolved' })}>
              Unresolve
            </button>
          </div>
        ) : null}
      </div>
      <ProblemMessage error={triage.error} title="Not changed" />
      {issues.length ? (
        <VirtualList
          ref={list}
          role="table"
          label="Issues"
          ariaRowCount={hasNextPage ? -1 : issues.length + 1}
          className="stream-list"
          count={issues.length + (hasNextPage ? 1 : 0)}
          rowHeight={ROW_HEIGHT}
          height={`min(${HEADER_HEIGHT + (issues.length + (hasNextPage ? 1 : 0)) * ROW_HEIGHT + 2}px, calc(100vh - 290px))`}
          header={<StreamHeader allSelected={allSelected} someSelected={selected.size > 0} onSelectAll={(on) => setSelected(on ? new Set(issues.map((i) => i.id)) : new Set())} />}
          headerHeight={HEADER_HEIGHT}
          renderRow={renderRow}
          onRangeChange={onRange}
        />
      ) : (
        <EmptyState title="No issues match.">Exceptions sent with the project's DSN appear here as they arrive; try another status or time range.</EmptyState>
      )}
    </section>
  );
}
