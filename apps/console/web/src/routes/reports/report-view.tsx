// The executive report, as the page shows it and as it prints: headline figures, then one section per
// domain. Every figure names the records behind it and links to them (in print, the link is its text).
import type { ReactNode } from 'react';
import { useRouter } from '@tanstack/react-router';
import { formatDay, formatDuration, formatPercent, formatPeriod, formatUtc } from './format';
import type { ExecutiveReport } from './report-types';

function RecordLink({ href, print, children, label }: { href: string; print?: boolean; children: ReactNode; label?: string }) {
  const router = useRouter();
  if (print) return <span className="record-ref">{children}</span>;
  return (
    <a
      href={href}
      aria-label={label}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        router.history.push(href);
      }}
    >
      {children}
    </a>
  );
}

const alertHref = (id: string) => `/alerts?alert=${encodeURIComponent(id)}`;
const incidentHref = (id: string) => `/incidents/${encodeURIComponent(id)}`;
const issueHref = (i: { projectId: string; issueId: string }) => `/errors?project=${encodeURIComponent(i.projectId)}&issue=${encodeURIComponent(i.issueId)}`;

function Kpi({ id, label, value, detail, tone }: { id: string; label: string; value: string; detail: ReactNode; tone?: 'ok' | 'warning' | 'critical' }) {
  return (
    <div className={`kpi${tone ? ` ${tone}` : ''}`} data-testid={`kpi-${id}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-testid={`kpi-${id}-value`}>
        {value}
      </div>
      <div className="kpi-detail" data-testid={`kpi-${id}-detail`}>
        {detail}
      </div>
    </div>
  );
}

function Section({ id, title, children, note }: { id: string; title: string; note?: ReactNode; children: ReactNode }) {
  return (
    <section className="report-section panel" aria-labelledby={`report-${id}`} data-testid={`section-${id}`}>
      <header>
        <h2 id={`report-${id}`}>{title}</h2>
        {note ? <p className="muted section-note">{note}</p> : null}
      </header>
      {children}
    </section>
  );
}

/** A small line over time, in the theme's colours; the numbers are in the table beside it. */
function TrendLine({ points, lo, hi, from, to, label }: { points: { t: number; v: number }[]; lo: number; hi: number; from: number; to: number; label: string }) {
  const w = 160;
  const h = 32;
  if (points.length < 2) return <span className="muted">{points.length ? 'one sample' : 'no samples'}</span>;
  const x = (t: number) => 3 + ((t - from) / (to - from || 1)) * (w - 6);
  const y = (v: number) => h - 3 - ((v - lo) / (hi - lo || 1)) * (h - 6);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  return (
    <svg className="trend-line" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <path d={d} />
    </svg>
  );
}

function ErrorBars({ days }: { days: ExecutiveReport['errors']['byDay'] }) {
  const max = Math.max(1, ...days.map((d) => d.new + d.regressed + d.resolved));
  const w = Math.max(8, Math.min(28, Math.floor(560 / Math.max(1, days.length)) - 4));
  const h = 72;
  return (
    <svg className="error-bars" width={days.length * (w + 4)} height={h + 16} role="img" aria-label="New, regressed and resolved issues per day (numbers in the table)">
      {days.map((d, i) => {
        let y = h;
        const seg = (n: number, cls: string) => {
          const bh = (n / max) * h;
          y -= bh;
          return n ? <rect key={cls} className={cls} x={i * (w + 4)} y={y} width={w} height={bh} rx={2} /> : null;
        };
        return (
          <g key={d.day}>
            {seg(d.new, 'bar-new')}
            {seg(d.regressed, 'bar-regressed')}
            {seg(d.resolved, 'bar-resolved')}
            {days.length <= 14 || i % Math.ceil(days.length / 10) === 0 ? (
              <text x={i * (w + 4) + w / 2} y={h + 12} textAnchor="middle">
                {d.day.slice(8)}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

export function ReportView({ report: r, print }: { report: ExecutiveReport; print?: boolean }) {
  const from = new Date(r.period.from).getTime();
  const to = new Date(r.period.to).getTime();
  const withinRpo = r.recovery.filter((p) => p.withinRpo).length;
  const q = r.privacy.requests;
  const severityMax = Math.max(1, ...r.alerts.bySeverity.map((s) => s.count));
  return (
    <article className="report" data-testid="executive-report">
      <header className="report-head">
        <div>
          <p className="eyebrow">Tenant {r.tenant}</p>
          <p className="report-period" data-testid="report-period">
            {formatPeriod(r.period.from, r.period.to)}
          </p>
        </div>
        <p className="muted generated">
          Generated {formatUtc(r.generatedAt)} from Vigil&apos;s own records. All times UTC.
        </p>
      </header>

      <div className="kpis">
        <Kpi
          id="availability"
          label="Availability"
          value={formatPercent(r.availability.ratio, 2)}
          tone={r.availability.ratio === null ? undefined : r.availability.ratio >= 0.999 ? 'ok' : r.availability.ratio >= 0.99 ? 'warning' : 'critical'}
          detail={<>{formatDuration(r.availability.criticalOpenSeconds)} with a critical alert open</>}
        />
        <Kpi
          id="mtta"
          label="MTTA"
          value={formatDuration(r.response.mttaSeconds)}
          detail={
            <span data-testid="mtta-detail">
              {r.response.mttaSeconds === null ? 'no acknowledgement' : `${r.response.mttaSeconds} s mean`} · {r.response.acknowledged} acknowledged
            </span>
          }
        />
        <Kpi
          id="mttr"
          label="MTTR"
          value={formatDuration(r.response.mttrSeconds)}
          detail={
            <span data-testid="mttr-detail">
              {r.response.mttrSeconds === null ? 'no resolution' : `${r.response.mttrSeconds} s mean`} · {r.response.resolved} resolved
            </span>
          }
        />
        <Kpi id="alerts" label="Alerts fired" value={String(r.alerts.fired)} detail={r.alerts.bySeverity.map((s) => `${s.count} ${s.severity}`).join(' · ') || 'none'} />
        <Kpi id="errors" label="New issues" value={String(r.errors.new)} detail={`${r.errors.regressed} regressed · ${r.errors.resolved} resolved`} />
        <Kpi
          id="recovery"
          label="Within RPO"
          value={r.recovery.length ? `${withinRpo} / ${r.recovery.length}` : '—'}
          tone={!r.recovery.length ? undefined : withinRpo === r.recovery.length ? 'ok' : 'critical'}
          detail="policies with a verified restore inside their RPO"
        />
        <Kpi
          id="privacy"
          label="Requests on time"
          value={formatPercent(q.inTimeRate, 0)}
          tone={q.overdue ? 'critical' : q.completedLate ? 'warning' : q.completed ? 'ok' : undefined}
          detail={`${q.completedInTime} of ${q.completed} completed in time · ${q.overdue} overdue`}
        />
      </div>

      <Section id="availability" title="Availability" note={<>Availability is the {r.availability.definition}: open means firing or acknowledged, from its start to its resolution.</>}>
        <p>
          <strong>{formatPercent(r.availability.ratio, 3)}</strong> of {formatDuration(r.availability.observedSeconds)} observed; critical alerts were open for{' '}
          {formatDuration(r.availability.criticalOpenSeconds)}
          {r.availability.alertIds.length ? (
            <>
              {' '}
              ({r.availability.alertIds.length} critical alert{r.availability.alertIds.length === 1 ? '' : 's'}:{' '}
              {r.availability.alertIds.slice(0, 8).map((id, i) => (
                <span key={id}>
                  {i ? ', ' : ''}
                  <RecordLink href={alertHref(id)} print={print} label={`critical alert ${id}`}>
                    {id.slice(0, 8)}
                  </RecordLink>
                </span>
              ))}
              {r.availability.alertIds.length > 8 ? ', …' : ''})
            </>
          ) : null}
          .
        </p>
      </Section>

      <Section id="alerts" title="Alerts" note="Alerts that started in the period, by severity, and the rules that fired most.">
        <div className="two-col">
          <div>
            <h3>By severity</h3>
            {r.alerts.bySeverity.length ? (
              <ul className="bars">
                {r.alerts.bySeverity.map((s) => (
                  <li key={s.severity}>
                    <span className={`badge ${s.severity === 'critical' ? 'critical' : s.severity === 'warning' ? 'warning' : 'info'}`}>{s.severity}</span>
                    <span className="bar-track" aria-hidden="true">
                      <span className={`bar-fill sev-${s.severity}`} style={{ width: `${(s.count / severityMax) * 100}%` }} />
                    </span>
                    <span className="bar-count">{s.count}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No alert started in this period.</p>
            )}
          </div>
          <div>
            <h3>Noisiest rules</h3>
            {r.alerts.noisiestRules.length ? (
              <table>
                <caption className="visually-hidden">Noisiest rules</caption>
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col" className="num">
                      Alerts
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.alerts.noisiestRules.map((n) => (
                    <tr key={n.rule}>
                      <td>
                        <RecordLink href={alertHref(n.alertIds[0]!)} print={print}>
                          {n.rule}
                        </RecordLink>
                      </td>
                      <td className="num">{n.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No rule fired.</p>
            )}
          </div>
        </div>
      </Section>

      <Section
        id="response"
        title="Acknowledgement and resolution"
        note="MTTA: mean time from an alert's start to its acknowledgement, over the acknowledgements in the period. MTTR: mean time from start to resolution, over the resolutions in the period. Incidents: the same, from each incident's start (its first alert), as recorded on the incident."
      >
        {r.response.rows.length ? (
          <div className="table-wrap">
            <table data-testid="response-table">
              <caption className="visually-hidden">Alerts acknowledged or resolved in the period</caption>
              <thead>
                <tr>
                  <th scope="col">Alert</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Started</th>
                  <th scope="col">Acknowledged</th>
                  <th scope="col">Resolved</th>
                  <th scope="col" className="num">
                    To ack
                  </th>
                  <th scope="col" className="num">
                    To resolve
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.response.rows.map((a) => (
                  <tr key={a.alertId}>
                    <td>
                      <RecordLink href={alertHref(a.alertId)} print={print}>
                        {a.alertname}
                      </RecordLink>
                    </td>
                    <td>
                      <span className={`badge ${a.severity === 'critical' ? 'critical' : a.severity === 'warning' ? 'warning' : 'info'}`}>{a.severity}</span>
                    </td>
                    <td>{formatUtc(a.startsAt)}</td>
                    <td>{formatUtc(a.acknowledgedAt)}</td>
                    <td>{formatUtc(a.resolvedAt)}</td>
                    <td className="num">{formatDuration(a.ttaSeconds)}</td>
                    <td className="num">{formatDuration(a.ttrSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">No alert was acknowledged or resolved in this period.</p>
        )}
        <h3 className="incident-head" id="incident-times-title">
          Incidents
        </h3>
        <p className="incident-summary" data-testid="incident-summary">
          Incidents: MTTA <strong data-testid="incident-mtta">{formatDuration(r.response.incidents.mttaSeconds)}</strong>, MTTR{' '}
          <strong data-testid="incident-mttr">{formatDuration(r.response.incidents.mttrSeconds)}</strong> (<span data-testid="incident-resolved">{r.response.incidents.resolved}</span> resolved)
          <span className="muted" data-testid="incident-detail">
            {' '}
            · {r.response.incidents.mttaSeconds === null ? 'no acknowledgement' : `${r.response.incidents.mttaSeconds} s`} / {r.response.incidents.mttrSeconds === null ? 'no resolution' : `${r.response.incidents.mttrSeconds} s`} mean ·{' '}
            {r.response.incidents.acknowledged} acknowledged
          </span>
        </p>
        {r.response.incidents.rows.length ? (
          <div className="table-wrap">
            <table data-testid="incident-table" aria-labelledby="incident-times-title">
              <thead>
                <tr>
                  <th scope="col">Incident</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Started</th>
                  <th scope="col">Acknowledged</th>
                  <th scope="col">Resolved</th>
                  <th scope="col" className="num">
                    To ack
                  </th>
                  <th scope="col" className="num">
                    To resolve
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.response.incidents.rows.map((i) => (
                  <tr key={i.incidentId}>
                    <td>
                      <RecordLink href={incidentHref(i.incidentId)} print={print}>
                        {i.title}
                      </RecordLink>
                    </td>
                    <td>
                      <span className={`badge ${i.severity === 'critical' ? 'critical' : i.severity === 'warning' ? 'warning' : 'info'}`}>{i.severity}</span>
                    </td>
                    <td>{formatUtc(i.startedAt)}</td>
                    <td>{formatUtc(i.acknowledgedAt)}</td>
                    <td>{formatUtc(i.resolvedAt)}</td>
                    <td className="num">{formatDuration(i.ttaSeconds)}</td>
                    <td className="num">{formatDuration(i.ttrSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">No incident was acknowledged or resolved in this period.</p>
        )}
      </Section>

      <Section id="errors" title="Error trend" note="New: first seen in the period. Regressed: reopened after a resolution and seen in the period. Resolved: resolved in the period.">
        <div className="two-col">
          <div>
            <dl className="counts">
              <div>
                <dt>New</dt>
                <dd data-testid="errors-new">{r.errors.new}</dd>
              </div>
              <div>
                <dt>Regressed</dt>
                <dd>{r.errors.regressed}</dd>
              </div>
              <div>
                <dt>Resolved</dt>
                <dd>{r.errors.resolved}</dd>
              </div>
            </dl>
            {r.errors.new + r.errors.regressed + r.errors.resolved ? (
              <>
                <ErrorBars days={r.errors.byDay} />
                <p className="legend muted" aria-hidden="true">
                  <span className="sw bar-new" /> new <span className="sw bar-regressed" /> regressed <span className="sw bar-resolved" /> resolved
                </p>
              </>
            ) : null}
          </div>
          <div>
            <h3>Issues behind the figures</h3>
            {(['new', 'regressed', 'resolved'] as const).flatMap((k) => r.errors.issues[k].slice(0, 5).map((i) => ({ k, i }))).length ? (
              <ul className="issue-list">
                {(['new', 'regressed', 'resolved'] as const).flatMap((k) =>
                  r.errors.issues[k].slice(0, 5).map((i) => (
                    <li key={`${k}-${i.issueId}`}>
                      <span className="badge">{k}</span>{' '}
                      <RecordLink href={issueHref(i)} print={print}>
                        {i.title}
                      </RecordLink>{' '}
                      <span className="muted">{i.project}</span>
                    </li>
                  )),
                )}
              </ul>
            ) : (
              <p className="muted">No issue was opened, regressed or resolved.</p>
            )}
          </div>
        </div>
      </Section>

      <Section id="database" title="Database health" note="perf-collector's health score (0–100) of each target over the period.">
        {r.databases.length ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Database health per target</caption>
              <thead>
                <tr>
                  <th scope="col">Target</th>
                  <th scope="col" className="num">
                    Samples
                  </th>
                  <th scope="col" className="num">
                    Mean
                  </th>
                  <th scope="col" className="num">
                    Lowest
                  </th>
                  <th scope="col" className="num">
                    Last
                  </th>
                  <th scope="col">Trend</th>
                </tr>
              </thead>
              <tbody>
                {r.databases.map((d) => (
                  <tr key={d.databaseId}>
                    <td>
                      <RecordLink href={`/database?db=${encodeURIComponent(d.databaseId)}`} print={print}>
                        {d.name}
                      </RecordLink>
                    </td>
                    <td className="num">{d.samples}</td>
                    <td className="num">{d.mean ?? '—'}</td>
                    <td className="num">{d.min ?? '—'}</td>
                    <td className="num">{d.last ?? '—'}</td>
                    <td>
                      <TrendLine points={d.points.map((p) => ({ t: new Date(p.at).getTime(), v: p.score }))} lo={0} hi={100} from={from} to={to} label={`health of ${d.name}, ${d.min ?? ''}–${d.last ?? ''}`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">No database is monitored.</p>
        )}
      </Section>

      <Section id="recovery" title="Disaster-recovery readiness" note="Age of the last verified restore against the policy's RPO (as of the period's end), drills passed, and the RTO measured by restores in the period.">
        {r.recovery.length ? (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Recovery readiness per policy</caption>
              <thead>
                <tr>
                  <th scope="col">Policy</th>
                  <th scope="col">Verified restore age</th>
                  <th scope="col">RPO</th>
                  <th scope="col">Drills passed</th>
                  <th scope="col">RTO measured (max)</th>
                  <th scope="col">RTO trend</th>
                </tr>
              </thead>
              <tbody>
                {r.recovery.map((p) => {
                  const max = Math.max(p.rtoTargetSeconds, ...p.rtoTrend.map((x) => x.seconds));
                  return (
                    <tr key={p.policyId}>
                      <td>
                        <RecordLink href={`/recovery?policy=${encodeURIComponent(p.policyId)}`} print={print}>
                          {p.name}
                        </RecordLink>
                      </td>
                      <td className="nowrap">
                        {formatDuration(p.verifiedRestoreAgeSeconds)} <span className={`badge ${p.withinRpo ? 'ok' : 'critical'}`}>{p.withinRpo ? 'within RPO' : p.verifiedRestoreAgeSeconds === null ? 'never verified' : 'over RPO'}</span>
                      </td>
                      <td className="nowrap">{formatDuration(p.rpoTargetSeconds)}</td>
                      <td>
                        {p.drills.passed} / {p.drills.total} {p.drills.passRate === null ? '' : `(${formatPercent(p.drills.passRate, 0)})`}
                      </td>
                      <td>
                        {formatDuration(p.rtoSecondsMax)} <span className="muted">target {formatDuration(p.rtoTargetSeconds)}</span>
                      </td>
                      <td>
                        <TrendLine points={p.rtoTrend.map((x) => ({ t: new Date(x.at).getTime(), v: x.seconds }))} lo={0} hi={max} from={from} to={to} label={`measured RTO of ${p.name}`} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="muted">No backup policy is defined.</p>
        )}
      </Section>

      <Section id="privacy" title="GDPR service level" note="Subject requests received in the period against their (extended) deadline; consent as the latest decision per subject and purpose; breaches the controller became aware of in the period.">
        <div className="two-col">
          <div>
            <dl className="counts">
              <div>
                <dt>Received</dt>
                <dd>{q.received}</dd>
              </div>
              <div>
                <dt>Completed in time</dt>
                <dd>{q.completedInTime}</dd>
              </div>
              <div>
                <dt>Completed late</dt>
                <dd>{q.completedLate}</dd>
              </div>
              <div>
                <dt>Overdue</dt>
                <dd className={q.overdue ? 'bad' : undefined}>{q.overdue}</dd>
              </div>
            </dl>
            {[...q.overdueIds.map((id) => ({ id, k: 'overdue' })), ...q.lateIds.map((id) => ({ id, k: 'late' }))].slice(0, 6).map((x) => (
              <span key={x.id} className="chip">
                <RecordLink href={`/privacy?tab=requests&request=${encodeURIComponent(x.id)}`} print={print}>
                  {x.k} request {x.id.slice(0, 8)}
                </RecordLink>
              </span>
            ))}
            <h3>Consent per purpose</h3>
            {r.privacy.consent.length ? (
              <ul className="bars">
                {r.privacy.consent.map((c) => (
                  <li key={c.purpose}>
                    <span className="bar-name">{c.purpose}</span>
                    <span className="bar-track" aria-hidden="true">
                      <span className="bar-fill sev-ok" style={{ width: `${(c.rate ?? 0) * 100}%` }} />
                    </span>
                    <span className="bar-count">
                      {formatPercent(c.rate, 0)} <span className="muted">of {c.subjects}</span>
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No consent recorded.</p>
            )}
          </div>
          <div>
            <h3>Breaches</h3>
            {r.privacy.breaches.length ? (
              <table>
                <caption className="visually-hidden">Breaches and time to notification</caption>
                <thead>
                  <tr>
                    <th scope="col">Breach</th>
                    <th scope="col">Aware</th>
                    <th scope="col" className="num">
                      To notification
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {r.privacy.breaches.map((b) => (
                    <tr key={b.breachId}>
                      <td>
                        <RecordLink href={`/privacy?tab=breaches&breach=${encodeURIComponent(b.breachId)}`} print={print}>
                          {b.title}
                        </RecordLink>
                      </td>
                      <td>{formatDay(b.awareAt)}</td>
                      <td className="num">
                        {b.hoursToNotification === null ? (b.notNotifiedReason ? 'not notifiable' : 'not yet') : `${b.hoursToNotification} h`}{' '}
                        {b.inTime === null ? null : <span className={`badge ${b.inTime ? 'ok' : 'critical'}`}>{b.inTime ? '≤ 72 h' : 'late'}</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted">No breach in this period.</p>
            )}
          </div>
        </div>
      </Section>
    </article>
  );
}
