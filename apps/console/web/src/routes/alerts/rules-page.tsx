// Rules: the builtins Vigil ships and the tenant's own, each with its state (firing, pending, inactive,
// disabled), last evaluation and current value; threshold rules are created and edited here.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { alerting, unwrap } from '../../api/services';
import { useCan } from '../../app/session';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { AreaTabs } from './area-tabs';
import { rulesQuery, type Rule } from './queries';
import { RuleForm } from './rule-form';
import './alerts.css';

const STATE_BADGE: Record<Rule['state'], string> = { firing: 'critical', pending: 'warning', inactive: 'ok', disabled: '' };

/** "> 1000 warning · > 5000 critical, for 5m" for thresholds; "on IssueOpened" for events. */
function condition(r: Rule): string {
  const s = r.spec as { kind?: string; metric?: string; op?: string; for?: string; levels?: { severity: string; value: number }[]; event?: string; severity?: string };
  if (s.kind === 'threshold') {
    const levels = (s.levels ?? []).map((l) => `${s.op} ${l.value} ${l.severity}`).join(' · ');
    return `${s.metric} ${levels}${s.for && s.for !== '0s' ? `, for ${s.for}` : ''}`;
  }
  return `on ${s.event} → ${s.severity}`;
}

const formatValue = (v: number | null) => (v === null ? '—' : Math.abs(v) >= 1000 ? v.toLocaleString('en-GB', { maximumFractionDigits: 0 }) : String(Number(v.toFixed(3))));

export function RulesPage() {
  const search = useSearch({ from: '/app/alerts/rules' });
  const navigate = useNavigate({ from: '/alerts/rules' });
  const canWrite = useCan('write');
  const client = useQueryClient();
  const { data, error, isPending } = useQuery(rulesQuery);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(alerting.DELETE('/v1/rules/{ruleId}', { params: { path: { ruleId: id } } })),
    onSettled: () => client.invalidateQueries({ queryKey: ['alerting', 'rules'] }),
  });
  const rules = (data ?? []).filter((r) => !search.kind || (search.kind === 'builtin') === r.builtin);
  const custom = rules.filter((r) => !r.builtin);
  const builtin = rules.filter((r) => r.builtin);
  const editing = search.edit && search.edit !== 'new' ? data?.find((r) => r.id === search.edit) : undefined;
  const close = () => navigate({ search: (s) => ({ kind: s.kind }) });
  const firing = (data ?? []).filter((r) => r.state === 'firing').length;

  return (
    <>
      <div className="page-head">
        <h1>Rules</h1>
        <p className="head-counts">
          <span className={`count-pill ${firing ? 'critical' : ''}`}>
            <strong>{firing}</strong> firing
          </span>
          <span className="count-pill">
            <strong>{data?.length ?? 0}</strong> rules
          </span>
        </p>
        {canWrite && !search.edit ? (
          <Link className="button primary" from="/alerts/rules" to="/alerts/rules" search={(s) => ({ ...s, edit: 'new' })}>
            New threshold rule
          </Link>
        ) : null}
      </div>
      <AreaTabs current="/alerts/rules" />
      {canWrite && (search.edit === 'new' || editing) ? <RuleForm key={search.edit} rule={editing} onDone={close} /> : null}
      <ProblemMessage error={error ?? remove.error} title={remove.error ? 'Not deleted' : 'Could not load rules'} />
      {isPending ? <Loading what="Loading rules…" /> : null}
      {data ? (
        <>
          <RuleTable title="Custom rules" rules={custom} canWrite={canWrite} onDelete={setDeleting} empty={<EmptyState title="No rule of your own yet.">Create a threshold rule over any metric the services publish.</EmptyState>} />
          <RuleTable title="Built-in rules" rules={builtin} canWrite={canWrite} onDelete={setDeleting} />
        </>
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete the rule ${deleting?.name ?? ''}?`}
        confirmLabel="Delete rule"
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSettled: () => setDeleting(null) })}
      >
        Its open alerts stay open until resolved by hand.
      </ConfirmDialog>
    </>
  );
}

function RuleTable({ title, rules, canWrite, onDelete, empty }: { title: string; rules: Rule[]; canWrite: boolean; onDelete: (r: Rule) => void; empty?: React.ReactNode }) {
  const id = title.toLowerCase().replace(/\W+/g, '-');
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="badge">{rules.length}</span>
      </h2>
      {!rules.length ? empty : null}
      {rules.length ? (
        <div className="table-wrap">
          <table className="rules">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">State</th>
                <th scope="col">Condition</th>
                <th scope="col">Last evaluation</th>
                <th scope="col">Current value</th>
                {canWrite ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr key={r.id} data-testid="rule-row">
                  <td>
                    <strong className="mono wrap-anywhere">{r.name}</strong>
                    <span className="muted rule-kind">
                      {r.kind}
                      {r.enabled ? '' : ' · disabled'}
                    </span>
                  </td>
                  <td>
                    <span className={`badge ${STATE_BADGE[r.state]}`}>{r.state}</span>
                    {r.openAlerts ? <span className="muted"> {r.openAlerts} open</span> : null}
                  </td>
                  <td className="mono wrap-anywhere">{condition(r)}</td>
                  <td>
                    <Time at={r.lastEvaluatedAt} />
                  </td>
                  <td>
                    <span className="mono">{formatValue(r.lastValue)}</span>
                    {Object.keys(r.lastSeries).length ? (
                      <div className="muted mono small wrap-anywhere">
                        {Object.entries(r.lastSeries)
                          .map(([k, v]) => `${k}=${v}`)
                          .join(' ')}
                      </div>
                    ) : null}
                  </td>
                  {canWrite && r.builtin ? (
                    <td>
                      <span className="muted" title="Built-in rules ship with Vigil; create a rule of your own to change one">
                        read-only
                      </span>
                    </td>
                  ) : null}
                  {canWrite && !r.builtin ? (
                    <td>
                      <span className="row-actions">
                        {r.kind === 'threshold' ? (
                          <Link className="button" from="/alerts/rules" to="/alerts/rules" search={(s) => ({ ...s, edit: r.id })} aria-label={`Edit rule ${r.name}`}>
                            Edit
                          </Link>
                        ) : null}
                        <button type="button" className="danger" onClick={() => onDelete(r)} aria-label={`Delete rule ${r.name}`}>
                          Delete
                        </button>
                      </span>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
