// The executive report for a period (in the URL), its CSV and PDF exports, and its weekly schedules.
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { Loading } from '../../components/loading';
import { ProblemMessage } from '../../components/problem';
import { executiveReportQuery, periodQuery, type Period } from './queries';
import { ReportView } from './report-view';
import { SchedulesPanel } from './schedules-panel';
import './reports.css';

const DAY = 86_400_000;
const midnight = (t: number) => new Date(Math.floor(t / DAY) * DAY);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** URL values: a date (YYYY-MM-DD) is a whole UTC day — `to` inclusive — a date-time is exact (`to` exclusive). */
function periodOf(search: { from?: string; to?: string }, now = Date.now()): Period {
  const toExclusive = search.to ? (search.to.length === 10 ? new Date(new Date(`${search.to}T00:00:00Z`).getTime() + DAY) : new Date(search.to)) : midnight(now + DAY);
  const from = search.from ? new Date(search.from.length === 10 ? `${search.from}T00:00:00Z` : search.from) : new Date(toExclusive.getTime() - 7 * DAY);
  return { from: from.toISOString(), to: toExclusive.toISOString() };
}

const PRESETS = [
  { label: 'Last 7 days', days: 7 },
  { label: 'Last 30 days', days: 30 },
  { label: 'Last 90 days', days: 90 },
];

export function ReportsPage() {
  const search = useSearch({ from: '/app/reports' });
  const navigate = useNavigate({ from: '/reports' });
  const period = periodOf(search);
  const { data, error, isPending, isFetching } = useQuery(executiveReportQuery(period));
  const lastDay = isoDay(new Date(new Date(period.to).getTime() - 1));
  const [fromInput, setFromInput] = useState(period.from.slice(0, 10));
  const [toInput, setToInput] = useState(lastDay);
  const qs = periodQuery(period);
  const setDays = (days: number) => {
    const to = isoDay(midnight(Date.now()));
    const from = isoDay(new Date(midnight(Date.now()).getTime() - (days - 1) * DAY));
    setFromInput(from);
    setToInput(to);
    void navigate({ search: { from, to } });
  };
  return (
    <div className="reports-page">
      <div className="page-head">
        <h1>Executive report</h1>
        <div className="actions export">
          <a className="button" href={`/api/reports/executive.csv?${qs}`} download data-testid="download-csv">
            Download CSV
          </a>
          <a className="button primary" href={`/api/reports/executive.pdf?${qs}`} download data-testid="download-pdf">
            Download PDF
          </a>
        </div>
      </div>
      <form
        className="panel period-bar"
        aria-label="Report period"
        onSubmit={(e) => {
          e.preventDefault();
          if (fromInput && toInput) void navigate({ search: { from: fromInput, to: toInput } });
        }}
      >
        <div className="presets" role="group" aria-label="Preset periods">
          {PRESETS.map((p) => (
            <button type="button" key={p.days} onClick={() => setDays(p.days)}>
              {p.label}
            </button>
          ))}
        </div>
        <div className="form-row">
          <div className="field">
            <label htmlFor="report-from">From (UTC)</label>
            <input id="report-from" type="date" value={fromInput} max={toInput} onChange={(e) => setFromInput(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="report-to">To, inclusive (UTC)</label>
            <input id="report-to" type="date" value={toInput} min={fromInput} onChange={(e) => setToInput(e.target.value)} />
          </div>
          <button type="submit" className="primary">
            Show report
          </button>
        </div>
      </form>
      <ProblemMessage error={error} title="Could not compute the report" />
      {isPending ? <Loading what="Computing the report from every service…" /> : null}
      {data ? (
        <div aria-busy={isFetching || undefined}>
          <ReportView report={data} />
        </div>
      ) : null}
      <SchedulesPanel />
    </div>
  );
}
