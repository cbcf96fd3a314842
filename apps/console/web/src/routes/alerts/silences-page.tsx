// Silences: active, pending and expired tabs; create, edit, extend, expire, bulk expire; the ones expiring
// in the next 24 hours; the form (with its affected-alert preview) opens from the URL (?edit=new|<id>).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { alerting, unwrap } from '../../api/services';
import { useCan } from '../../app/session';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time, useNow } from '../../components/time';
import { actorName } from './actions';
import { AreaTabs } from './area-tabs';
import { silenceState, silencesQuery, type Silence } from './queries';
import { SILENCE_TABS } from './routes';
import { SilenceForm } from './silence-form';
import './alerts.css';

const DAY = 86_400_000;

export function SilencesPage() {
  const search = useSearch({ from: '/app/alerts/silences' });
  const navigate = useNavigate({ from: '/alerts/silences' });
  const canWrite = useCan('write');
  const now = useNow();
  const client = useQueryClient();
  const { data, error, isPending } = useQuery(silencesQuery);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmBulk, setConfirmBulk] = useState(false);
  const tab = search.tab ?? 'active';
  const all = data ?? [];
  const byTab = (t: (typeof SILENCE_TABS)[number]) => all.filter((s) => silenceState(s, now) === t);
  const rows = byTab(tab).sort((a, b) => (tab === 'expired' ? (b.expiredAt ?? b.endsAt ?? '').localeCompare(a.expiredAt ?? a.endsAt ?? '') : (a.endsAt ?? '9').localeCompare(b.endsAt ?? '9')));
  const expiringSoon = byTab('active').filter((s) => s.endsAt && Date.parse(s.endsAt) - now < DAY);
  const editing = search.edit === 'new' ? undefined : all.find((s) => s.id === search.edit);
  const expire = useMutation({
    mutationFn: (ids: string[]) => Promise.all(ids.map((id) => unwrap(alerting.DELETE('/v1/silences/{silenceId}', { params: { path: { silenceId: id } } })))),
    onSettled: () => client.invalidateQueries({ queryKey: ['alerting'] }),
  });
  const closeForm = () => navigate({ search: (s) => ({ tab: s.tab }) });
  const selectedRows = rows.filter((s) => selected.has(s.id));

  return (
    <>
      <div className="page-head">
        <h1>Silences</h1>
        {canWrite && !search.edit ? (
          <Link className="button primary" from="/alerts/silences" to="/alerts/silences" search={(s) => ({ ...s, edit: 'new' })}>
            New silence
          </Link>
        ) : null}
      </div>
      <AreaTabs current="/alerts/silences" />
      {canWrite && search.edit && (search.edit === 'new' || editing) ? (
        <SilenceForm
          key={search.edit}
          silence={editing}
          prefill={search.matchers}
          onDone={(saved) => (saved && search.from ? navigate({ to: '/alerts/$alertId', params: { alertId: search.from } }) : closeForm())}
        />
      ) : null}
      <ProblemMessage error={error ?? expire.error} title={expire.error ? 'Not expired' : 'Could not load silences'} />
      {isPending ? <Loading what="Loading silences…" /> : null}
      {expiringSoon.length && tab === 'active' ? (
        <section className="panel expiring" aria-labelledby="expiring-h">
          <h2 id="expiring-h">Expiring in the next 24 h</h2>
          <ul className="expiring-list">
            {expiringSoon.map((s) => (
              <li key={s.id}>
                <ul className="label-chips inline">
                  {s.matchers.map((m) => (
                    <li key={m}>
                      <span className="label-chip mono static">{m}</span>
                    </li>
                  ))}
                </ul>
                <span className="muted">ends</span> <Time at={s.endsAt} />
                {canWrite ? <ExtendButton silence={s} /> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="tabs" role="tablist" aria-label="Silence state">
        {SILENCE_TABS.map((t) => (
          <Link key={t} from="/alerts/silences" to="/alerts/silences" search={(s) => ({ ...s, tab: t === 'active' ? undefined : t })} role="tab" aria-selected={t === tab} id={`silences-tab-${t}`} aria-controls="silences-panel">
            {t[0]!.toUpperCase() + t.slice(1)} <span className="badge">{byTab(t).length}</span>
          </Link>
        ))}
      </div>
      <div role="tabpanel" id="silences-panel" aria-labelledby={`silences-tab-${tab}`}>
        {canWrite && selectedRows.length && tab !== 'expired' ? (
          <div className="selection-bar" role="region" aria-label="Selection">
            <strong>{selectedRows.length} selected</strong>
            <button type="button" className="danger" onClick={() => setConfirmBulk(true)}>
              Expire selected
            </button>
            <button type="button" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          </div>
        ) : null}
        {data && !rows.length ? <EmptyState title={`No ${tab} silence.`}>{tab === 'active' ? 'Silence an alert from its page, or create one here.' : null}</EmptyState> : null}
        {rows.length ? (
          <div className="panel table-wrap">
            <table className="silences">
              <caption className="visually-hidden">{tab} silences</caption>
              <thead>
                <tr>
                  {canWrite && tab !== 'expired' ? (
                    <th scope="col">
                      <input
                        type="checkbox"
                        aria-label="Select every silence shown"
                        checked={rows.every((s) => selected.has(s.id))}
                        onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((s) => s.id)) : new Set())}
                      />
                    </th>
                  ) : null}
                  <th scope="col">Matchers</th>
                  <th scope="col">{tab === 'pending' ? 'Starts' : tab === 'expired' ? 'Ended' : 'Ends'}</th>
                  <th scope="col">Created by</th>
                  <th scope="col">Comment</th>
                  {canWrite ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <SilenceRow
                    key={s.id}
                    silence={s}
                    tab={tab}
                    canWrite={canWrite}
                    selected={selected.has(s.id)}
                    onSelect={(on) =>
                      setSelected((prev) => {
                        const next = new Set(prev);
                        if (on) next.add(s.id);
                        else next.delete(s.id);
                        return next;
                      })
                    }
                    onExpire={() => expire.mutate([s.id])}
                    busy={expire.isPending}
                  />
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirmBulk}
        title={`Expire ${selectedRows.length} silence${selectedRows.length === 1 ? '' : 's'}?`}
        confirmLabel="Expire"
        busy={expire.isPending}
        onCancel={() => setConfirmBulk(false)}
        onConfirm={() =>
          expire.mutate(
            selectedRows.map((s) => s.id),
            {
              onSettled: () => {
                setConfirmBulk(false);
                setSelected(new Set());
              },
            },
          )
        }
      >
        The alerts they silence notify again at their next group flush.
      </ConfirmDialog>
    </>
  );
}

function SilenceRow(props: { silence: Silence; tab: string; canWrite: boolean; selected: boolean; onSelect: (on: boolean) => void; onExpire: () => void; busy: boolean }) {
  const s = props.silence;
  const label = s.matchers.join(', ');
  return (
    <tr data-testid="silence-row" className={props.selected ? 'selected' : undefined}>
      {props.canWrite && props.tab !== 'expired' ? (
        <td>
          <input type="checkbox" aria-label={`Select silence ${label}`} checked={props.selected} onChange={(e) => props.onSelect(e.target.checked)} />
        </td>
      ) : null}
      <td className="wrap-anywhere">
        <ul className="label-chips">
          {s.matchers.map((m) => (
            <li key={m}>
              <span className="label-chip mono static">{m}</span>
            </li>
          ))}
        </ul>
        {s.untilResolved ? <span className="badge info">until resolved</span> : null}
      </td>
      <td className="nowrap">{props.tab === 'pending' ? <Time at={s.startsAt} /> : props.tab === 'expired' ? <Time at={s.expiredAt ?? s.endsAt} /> : s.endsAt ? <Time at={s.endsAt} /> : <span className="muted">when resolved</span>}</td>
      <td>
        {actorName(s.createdBy)}
        {props.tab === 'expired' && s.expiredBy ? <div className="muted small">expired by {actorName(s.expiredBy)}</div> : null}
      </td>
      <td className="wrap-anywhere">{s.comment || <span className="muted">—</span>}</td>
      {props.canWrite ? (
        <td>
          {props.tab !== 'expired' ? (
            <span className="row-actions">
              <Link className="button" from="/alerts/silences" to="/alerts/silences" search={(q) => ({ ...q, edit: s.id })} aria-label={`Edit silence ${label}`}>
                Edit
              </Link>
              <ExtendButton silence={s} />
              <button type="button" className="danger" onClick={props.onExpire} disabled={props.busy} aria-label={`Expire silence ${label}`}>
                Expire
              </button>
            </span>
          ) : (
            <Link className="button" from="/alerts/silences" to="/alerts/silences" search={{ edit: 'new', matchers: s.matchers.join(', ') }} aria-label={`Recreate silence ${label}`}>
              Recreate
            </Link>
          )}
        </td>
      ) : null}
    </tr>
  );
}

/** +2 h from its current end (or from now): an edit of endsAt. */
function ExtendButton({ silence }: { silence: Silence }) {
  const client = useQueryClient();
  const extend = useMutation({
    mutationFn: () => {
      const base = Math.max(Date.now(), silence.endsAt ? Date.parse(silence.endsAt) : Date.now());
      return unwrap(
        alerting.PUT('/v1/silences/{silenceId}', {
          params: { path: { silenceId: silence.id } },
          body: { matchers: silence.matchers, startsAt: silence.startsAt, endsAt: new Date(base + 2 * 3_600_000).toISOString(), untilResolved: silence.untilResolved, comment: silence.comment },
        }),
      );
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['alerting'] }),
  });
  if (!silence.endsAt) return null;
  return (
    <>
      <button type="button" onClick={() => extend.mutate()} disabled={extend.isPending} aria-label={`Extend 2 h: silence ${silence.matchers.join(', ')}`}>
        Extend 2 h
      </button>
      <ProblemMessage error={extend.error} title="Not extended" />
    </>
  );
}
