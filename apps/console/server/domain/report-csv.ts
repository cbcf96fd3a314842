// The executive report as CSV (RFC 4180): one row per figure — section, figure, subject, value, unit,
// and the record behind it — so a spreadsheet can filter and pivot it.
import type { ExecutiveReport } from './executive-report.js';

type Cell = string | number | null;
const HEADER = ['section', 'figure', 'subject', 'value', 'unit', 'record'];

function cell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  // A leading = + - @ would make a spreadsheet evaluate the cell: quote-prefix it.
  const safe = /^[=+\-@\t\r']/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function reportCsv(r: ExecutiveReport): string {
  const rows: Cell[][] = [];
  const add = (section: string, figure: string, subject: string, value: Cell, unit: string, record = '') => rows.push([section, figure, subject, value, unit, record]);
  add('report', 'tenant', '', r.tenant, '');
  add('report', 'from', '', r.period.from, 'iso8601');
  add('report', 'to', '', r.period.to, 'iso8601');
  add('report', 'generated', '', r.generatedAt, 'iso8601');
  add('availability', 'availability', r.availability.definition, r.availability.ratio === null ? null : +(r.availability.ratio * 100).toFixed(3), 'percent');
  add('availability', 'critical alert open', '', r.availability.criticalOpenSeconds, 'seconds');
  add('alerts', 'fired', '', r.alerts.fired, 'alerts');
  for (const s of r.alerts.bySeverity) add('alerts', 'fired by severity', s.severity, s.count, 'alerts');
  for (const n of r.alerts.noisiestRules) add('alerts', 'noisiest rule', n.rule, n.count, 'alerts', n.ruleId ? `rule:${n.ruleId}` : '');
  add('response', 'MTTA', `${r.response.acknowledged} acknowledged`, r.response.mttaSeconds, 'seconds');
  add('response', 'MTTR', `${r.response.resolved} resolved`, r.response.mttrSeconds, 'seconds');
  for (const a of r.response.rows) {
    if (a.ttaSeconds !== null) add('response', 'time to acknowledge', a.alertname, a.ttaSeconds, 'seconds', `alert:${a.alertId}`);
    if (a.ttrSeconds !== null) add('response', 'time to resolve', a.alertname, a.ttrSeconds, 'seconds', `alert:${a.alertId}`);
  }
  const inc = r.response.incidents;
  add('incidents', 'MTTA', `${inc.acknowledged} acknowledged`, inc.mttaSeconds, 'seconds');
  add('incidents', 'MTTR', `${inc.resolved} resolved`, inc.mttrSeconds, 'seconds');
  for (const i of inc.rows) {
    if (i.ttaSeconds !== null) add('incidents', 'time to acknowledge', i.title, i.ttaSeconds, 'seconds', `incident:${i.incidentId}`);
    if (i.ttrSeconds !== null) add('incidents', 'time to resolve', i.title, i.ttrSeconds, 'seconds', `incident:${i.incidentId}`);
  }
  add('errors', 'new issues', '', r.errors.new, 'issues');
  add('errors', 'regressed issues', '', r.errors.regressed, 'issues');
  add('errors', 'resolved issues', '', r.errors.resolved, 'issues');
  for (const d of r.errors.byDay) add('errors', 'new / regressed / resolved', d.day, `${d.new}/${d.regressed}/${d.resolved}`, 'issues');
  for (const d of r.databases) {
    add('database', 'health mean', d.name, d.mean, 'score', `database:${d.databaseId}`);
    add('database', 'health min', d.name, d.min, 'score', `database:${d.databaseId}`);
    add('database', 'health last', d.name, d.last, 'score', `database:${d.databaseId}`);
  }
  for (const p of r.recovery) {
    add('recovery', 'verified restore age', p.name, p.verifiedRestoreAgeSeconds, 'seconds', `policy:${p.policyId}`);
    add('recovery', 'RPO target', p.name, p.rpoTargetSeconds, 'seconds', `policy:${p.policyId}`);
    add('recovery', 'within RPO', p.name, p.withinRpo ? 'yes' : 'no', '', `policy:${p.policyId}`);
    add('recovery', 'drills passed', p.name, `${p.drills.passed}/${p.drills.total}`, 'drills', `policy:${p.policyId}`);
    add('recovery', 'measured RTO max', p.name, p.rtoSecondsMax, 'seconds', `policy:${p.policyId}`);
  }
  const q = r.privacy.requests;
  add('privacy', 'requests received', '', q.received, 'requests');
  add('privacy', 'completed in time', '', q.completedInTime, 'requests');
  add('privacy', 'completed late', '', q.completedLate, 'requests');
  add('privacy', 'overdue', '', q.overdue, 'requests');
  for (const c of r.privacy.consent) add('privacy', 'consent rate', c.purpose, c.rate === null ? null : +(c.rate * 100).toFixed(1), 'percent');
  for (const b of r.privacy.breaches) add('privacy', 'hours to notification', b.title, b.hoursToNotification, 'hours', `breach:${b.breachId}`);
  return [HEADER, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
