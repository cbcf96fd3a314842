// Weekly deliveries of the report to a webhook: the list with each schedule's latest deliveries, and
// (admins) create, send now, stop. The signing secret is shown once, at creation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan } from '../../app/session';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/empty-state';
import { FormProblem, ProblemMessage } from '../../components/problem';
import { formatDuration, formatPeriod, formatUtc } from './format';
import { deliveriesQuery, reportsApi, schedulesQuery, type Schedule } from './queries';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

function Deliveries({ schedule, canAdmin }: { schedule: Schedule; canAdmin: boolean }) {
  const client = useQueryClient();
  const { data, error } = useQuery(deliveriesQuery(schedule.id));
  const send = useMutation({ mutationFn: () => reportsApi.sendNow(schedule.id), onSettled: () => client.invalidateQueries({ queryKey: ['reports', 'schedules'] }) });
  const stop = useMutation({ mutationFn: () => reportsApi.deleteSchedule(schedule.id), onSettled: () => client.invalidateQueries({ queryKey: ['reports', 'schedules'] }) });
  return (
    <li className="schedule" data-testid={`schedule-${schedule.name}`}>
      <div className="schedule-head">
        <div>
          <strong>{schedule.name}</strong>{' '}
          <span className="muted">
            {DAYS[schedule.dayOfWeek]}s at {hh(schedule.hour)} UTC · {schedule.format.toUpperCase()} to <span className="mono">{schedule.webhookUrl}</span>
          </span>
          <div className="muted">Next delivery {formatUtc(schedule.nextRunAt)}, reporting the 7 days before it</div>
        </div>
        {canAdmin ? (
          <div className="actions">
            <button type="button" onClick={() => send.mutate()} disabled={send.isPending}>
              {send.isPending ? 'Sending…' : 'Send now'}
              <span className="visually-hidden"> {schedule.name}</span>
            </button>
            <button type="button" className="danger" onClick={() => stop.mutate()} disabled={stop.isPending}>
              Stop<span className="visually-hidden"> {schedule.name}</span>
            </button>
          </div>
        ) : null}
      </div>
      <ProblemMessage error={error ?? send.error ?? stop.error} title="Schedule" />
      {data?.length ? (
        <table className="deliveries">
          <caption className="visually-hidden">Deliveries of {schedule.name}</caption>
          <thead>
            <tr>
              <th scope="col">Attempted</th>
              <th scope="col">Period</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Took
              </th>
            </tr>
          </thead>
          <tbody>
            {data.slice(0, 5).map((d) => (
              <tr key={d.id} data-testid="delivery">
                <td>{formatUtc(d.attemptedAt)}</td>
                <td>{formatPeriod(d.periodFrom, d.periodTo)}</td>
                <td>
                  <span className={`badge ${d.status === 'delivered' ? 'ok' : 'critical'}`}>{d.status}</span> {d.httpStatus ? <span className="muted">HTTP {d.httpStatus}</span> : null}{' '}
                  {d.error ? <span className="muted">{d.error}</span> : null}
                </td>
                <td className="num">{d.durationMs < 1000 ? `${d.durationMs} ms` : formatDuration(d.durationMs / 1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : data ? (
        <p className="muted">Not delivered yet.</p>
      ) : null}
    </li>
  );
}

export function SchedulesPanel() {
  const canAdmin = useCan('admin');
  const client = useQueryClient();
  const { data, error } = useQuery(schedulesQuery);
  const [form, setForm] = useState({ name: 'Weekly executive report', webhookUrl: '', dayOfWeek: 1, hour: 8, format: 'json' as 'json' | 'csv' });
  const [secret, setSecret] = useState<string>();
  const create = useMutation({
    mutationFn: () => reportsApi.createSchedule(form),
    onSuccess: (r) => setSecret(r.secret),
    onSettled: () => client.invalidateQueries({ queryKey: ['reports', 'schedules'] }),
  });
  return (
    <section className="panel schedules" aria-labelledby="schedules-title">
      <h2 id="schedules-title">Weekly delivery</h2>
      <p className="muted">
        Each delivery POSTs the report of the seven days before it to a webhook, signed with <span className="mono">X-Vigil-Signature: t=…,v1=HMAC-SHA256(secret, &quot;t.body&quot;)</span>.
      </p>
      <ProblemMessage error={error} title="Could not load schedules" />
      {data && !data.length ? <EmptyState title="No report is scheduled.">{canAdmin ? 'Add a webhook below.' : 'An admin can schedule one.'}</EmptyState> : null}
      {data?.length ? (
        <ul className="schedule-list">
          {data.map((s) => (
            <Deliveries key={s.id} schedule={s} canAdmin={canAdmin} />
          ))}
        </ul>
      ) : null}
      {secret ? (
        <div className="notice" role="status">
          <p>The signing secret, shown this once: give it to the receiver to check each delivery.</p>
          <div className="secret">
            <code data-testid="schedule-secret">{secret}</code>
            <CopyButton text={secret} label="Copy secret" />
          </div>
          <button type="button" onClick={() => setSecret(undefined)}>
            I have copied it
          </button>
        </div>
      ) : null}
      {canAdmin ? (
        <form
          className="schedule-form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <div className="form-row">
            <div className="field">
              <label htmlFor="schedule-name">Name</label>
              <input id="schedule-name" value={form.name} required maxLength={100} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            </div>
            <div className="field grow">
              <label htmlFor="schedule-url">Webhook URL</label>
              <input id="schedule-url" type="url" value={form.webhookUrl} required placeholder="https://hooks.example.com/vigil" onChange={(e) => setForm({ ...form, webhookUrl: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="schedule-day">Day</label>
              <select id="schedule-day" value={form.dayOfWeek} onChange={(e) => setForm({ ...form, dayOfWeek: Number(e.target.value) })}>
                {DAYS.map((d, i) => (
                  <option key={d} value={i}>
                    {d}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="schedule-hour">Hour (UTC)</label>
              <select id="schedule-hour" value={form.hour} onChange={(e) => setForm({ ...form, hour: Number(e.target.value) })}>
                {Array.from({ length: 24 }, (_, h) => (
                  <option key={h} value={h}>
                    {hh(h)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="schedule-format">Format</label>
              <select id="schedule-format" value={form.format} onChange={(e) => setForm({ ...form, format: e.target.value as 'json' | 'csv' })}>
                <option value="json">JSON</option>
                <option value="csv">CSV</option>
              </select>
            </div>
            <button type="submit" className="primary" disabled={create.isPending}>
              Schedule weekly
            </button>
          </div>
          <FormProblem error={create.error} fields={[]} />
        </form>
      ) : null}
    </section>
  );
}
