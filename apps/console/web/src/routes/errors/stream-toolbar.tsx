// The stream's controls: project, the search box (tokens ↔ URL filters), status/level/time/sort
// selects, and the user's saved views of this screen.
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { consoleApi } from '../../api/console';
import type { Project } from '../../api/queries';
import { ProblemMessage } from '../../components/problem';
import { LEVELS, PERIODS, SORTS, STATUSES, type StreamSearch } from './routes';
import { savedViewsQuery } from './queries';
import { composeSearch, parseSearch } from './search-text';

const SORT_LABEL: Record<(typeof SORTS)[number], string> = { last_seen: 'Last seen', first_seen: 'First seen', count: 'Events', users: 'Users' };
const PERIOD_LABEL: Record<(typeof PERIODS)[number], string> = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', '14d': 'Last 14 days', '30d': 'Last 30 days' };

/** The part of the URL a saved view keeps (everything but the project and a legacy issue link). */
export function viewSearch(s: StreamSearch): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v !== undefined && k !== 'issue') params.set(k, String(v));
  return params.toString();
}

export function StreamToolbar({ search, projects }: { search: StreamSearch; projects: Project[] }) {
  const navigate = useNavigate({ from: '/errors' });
  const [text, setText] = useState(composeSearch(search));
  const [errors, setErrors] = useState<string[]>([]);
  useEffect(() => setText(composeSearch(search)), [search]);
  const set = (patch: Partial<StreamSearch>) => navigate({ search: (s) => ({ ...s, ...patch }), replace: false });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseSearch(text);
    setErrors(parsed.errors);
    const { errors: _ignored, ...filters } = parsed;
    navigate({ search: (s) => ({ project: s.project, period: s.period, sort: s.sort, ...filters }) });
  };

  return (
    <div className="stream-toolbar panel">
      <div className="toolbar-row">
        <div className="field">
          <label htmlFor="errors-project">Project</label>
          <select id="errors-project" value={search.project ?? ''} onChange={(e) => navigate({ search: { project: e.target.value || undefined } })}>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <form className="field grow search-field" role="search" onSubmit={submit}>
          <label htmlFor="errors-search">Search</label>
          <input
            id="errors-search"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="is:unresolved level:error release:shop@1.2 key:value text…"
            aria-describedby={errors.length ? 'errors-search-problem' : undefined}
            aria-invalid={errors.length ? true : undefined}
            spellCheck={false}
          />
          {errors.length ? (
            <div id="errors-search-problem" className="field-error">
              {errors.join('; ')}
            </div>
          ) : null}
        </form>
      </div>
      <div className="toolbar-row">
        <div className="field">
          <label htmlFor="errors-status">Status</label>
          <select id="errors-status" value={search.status ?? 'unresolved'} onChange={(e) => set({ status: e.target.value === 'unresolved' ? undefined : (e.target.value as StreamSearch['status']) })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="errors-level">Level</label>
          <select id="errors-level" value={search.level ?? ''} onChange={(e) => set({ level: e.target.value || undefined })}>
            <option value="">any</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="errors-period">Last seen</label>
          <select id="errors-period" value={search.period ?? ''} onChange={(e) => set({ period: (e.target.value || undefined) as StreamSearch['period'] })}>
            <option value="">Any time</option>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {PERIOD_LABEL[p]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="errors-sort">Sort by</label>
          <select id="errors-sort" value={search.sort ?? 'last_seen'} onChange={(e) => set({ sort: e.target.value === 'last_seen' ? undefined : (e.target.value as StreamSearch['sort']) })}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <SavedViews search={search} />
      </div>
    </div>
  );
}

function SavedViews({ search }: { search: StreamSearch }) {
  const qc = useQueryClient();
  const views = useQuery(savedViewsQuery);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const current = viewSearch(search);
  const save = useMutation({
    mutationFn: () => consoleApi.saveView({ area: 'errors', name: name.trim(), search: current }),
    onSuccess: async () => {
      setNaming(false);
      setName('');
      await qc.invalidateQueries({ queryKey: savedViewsQuery.queryKey });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => consoleApi.deleteView(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: savedViewsQuery.queryKey }),
  });
  return (
    <div className="saved-views" aria-label="Saved views" role="group">
      <span className="saved-label">Views</span>
      <ul>
        {(views.data ?? []).map((v) => {
          const params = Object.fromEntries(new URLSearchParams(v.search)) as StreamSearch;
          return (
            <li key={v.id} className={v.search === current ? 'active' : undefined}>
              <Link to="/errors" search={params} aria-current={v.search === current ? 'true' : undefined}>
                {v.name}
              </Link>
              <button type="button" className="ghost" aria-label={`Delete saved view ${v.name}`} onClick={() => remove.mutate(v.id)}>
                ×
              </button>
            </li>
          );
        })}
      </ul>
      {naming ? (
        <form
          className="save-view"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) save.mutate();
          }}
        >
          <label htmlFor="saved-view-name" className="visually-hidden">
            Name of the view
          </label>
          <input id="saved-view-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Name" maxLength={80} autoFocus />
          <button type="submit" className="primary" disabled={!name.trim() || save.isPending}>
            Save
          </button>
          <button type="button" onClick={() => setNaming(false)}>
            Cancel
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => setNaming(true)}>
          Save view
        </button>
      )}
      <ProblemMessage error={save.error ?? remove.error ?? views.error} title="Saved views" />
    </div>
  );
}
