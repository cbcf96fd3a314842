// The executive report: every figure computed here, from records the services returned, as plain
// functions over plain data. Each figure keeps the ids of the records behind it, so the page can link them.

export interface Period {
  from: Date;
  to: Date;
}

export interface AlertRecord {
  id: string;
  severity: string;
  ruleId: string | null;
  alertname: string;
  startsAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

/** A console incident (console.incidents), with the durations the incidents code recorded (seconds from its start). */
export interface IncidentRecord {
  id: string;
  title: string;
  severity: string;
  startedAt: string;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  ttaSeconds: number | null;
  ttrSeconds: number | null;
}

export interface IssueRecord {
  id: string;
  projectId: string;
  project: string;
  title: string;
  firstSeen: string;
  lastSeen: string;
  status: string;
  substatus: string;
  resolvedAt: string | null;
}

export interface DatabaseRecord {
  id: string;
  name: string;
  scores: { score: number; scoredAt: string }[];
}

export interface RestoreRecord {
  at: string;
  kind: string;
  status: string;
  rtoSeconds: number | null;
}

export interface PolicyRecord {
  id: string;
  name: string;
  rpoTargetSeconds: number;
  rtoTargetSeconds: number;
  lastVerifiedSnapshotAt: string | null;
  restores: RestoreRecord[];
}

export interface SubjectRequestRecord {
  id: string;
  kind: string;
  state: string;
  receivedAt: string;
  effectiveDeadline: string;
  completedAt: string | null;
}

export interface BreachRecord {
  id: string;
  title: string;
  awareAt: string;
  notifyDeadline: string;
  authorityNotifiedAt: string | null;
  notNotifiedReason: string | null;
}

export interface ConsentRate {
  purpose: string;
  subjects: number;
  granted: number;
}

export interface ReportSources {
  tenant: string;
  period: Period;
  now: Date;
  alerts: AlertRecord[];
  incidents: IncidentRecord[];
  issues: IssueRecord[];
  databases: DatabaseRecord[];
  policies: PolicyRecord[];
  requests: SubjectRequestRecord[];
  breaches: BreachRecord[];
  consent: ConsentRate[];
}

const ms = (iso: string) => new Date(iso).getTime();
const within = (iso: string | null, p: Period): boolean => !!iso && ms(iso) >= p.from.getTime() && ms(iso) < p.to.getTime();
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round = (x: number | null, digits = 0): number | null => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/**
 * Availability = the share of the period during which no critical alert was open (firing or
 * acknowledged). The open intervals [startsAt, resolvedAt ?? now] are clipped to the period and merged,
 * so two overlapping critical alerts are not counted twice.
 */
export function availability(alerts: AlertRecord[], p: Period, now: Date) {
  const end = Math.min(p.to.getTime(), now.getTime());
  const start = p.from.getTime();
  const critical = alerts.filter((a) => a.severity === 'critical');
  const spans = critical
    .map((a) => [Math.max(ms(a.startsAt), start), Math.min(a.resolvedAt ? ms(a.resolvedAt) : end, end)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let down = 0;
  let cursor = -Infinity;
  for (const [s, e] of spans) {
    const from = Math.max(s, cursor);
    if (e > from) down += e - from;
    cursor = Math.max(cursor, e);
  }
  const observed = Math.max(0, end - start);
  return {
    definition: 'share of the period (up to now) with no critical alert open',
    ratio: observed ? (observed - down) / observed : null,
    observedSeconds: observed / 1000,
    criticalOpenSeconds: down / 1000,
    alertIds: critical.map((a) => a.id),
  };
}

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info'];

export function alertCounts(alerts: AlertRecord[], p: Period) {
  const fired = alerts.filter((a) => within(a.startsAt, p));
  const bySeverity = new Map<string, number>();
  const byRule = new Map<string, { rule: string; ruleId: string | null; count: number; alertIds: string[] }>();
  for (const a of fired) {
    bySeverity.set(a.severity, (bySeverity.get(a.severity) ?? 0) + 1);
    const r = byRule.get(a.alertname) ?? { rule: a.alertname, ruleId: a.ruleId, count: 0, alertIds: [] };
    r.count++;
    r.alertIds.push(a.id);
    byRule.set(a.alertname, r);
  }
  const rank = (s: string) => (SEVERITY_ORDER.includes(s) ? SEVERITY_ORDER.indexOf(s) : SEVERITY_ORDER.length);
  return {
    fired: fired.length,
    bySeverity: [...bySeverity].map(([severity, count]) => ({ severity, count })).sort((a, b) => rank(a.severity) - rank(b.severity) || a.severity.localeCompare(b.severity)),
    noisiestRules: [...byRule.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule)).slice(0, 5),
  };
}

/**
 * MTTA: mean of (acknowledgedAt − startsAt) over the alerts acknowledged within the period.
 * MTTR: mean of (resolvedAt − startsAt) over the alerts resolved within the period.
 * An alert resolved without acknowledgement counts for MTTR only.
 */
export function responseTimes(alerts: AlertRecord[], p: Period) {
  const acked = alerts.filter((a) => within(a.acknowledgedAt, p));
  const resolved = alerts.filter((a) => within(a.resolvedAt, p));
  const tta = acked.map((a) => (ms(a.acknowledgedAt!) - ms(a.startsAt)) / 1000);
  const ttr = resolved.map((a) => (ms(a.resolvedAt!) - ms(a.startsAt)) / 1000);
  return {
    mttaSeconds: round(mean(tta), 1),
    mttrSeconds: round(mean(ttr), 1),
    acknowledged: acked.length,
    resolved: resolved.length,
    rows: [...new Set([...acked, ...resolved])]
      .sort((a, b) => ms(a.startsAt) - ms(b.startsAt))
      .map((a) => ({
        alertId: a.id,
        alertname: a.alertname,
        severity: a.severity,
        startsAt: a.startsAt,
        acknowledgedAt: a.acknowledgedAt,
        resolvedAt: a.resolvedAt,
        ttaSeconds: within(a.acknowledgedAt, p) ? (ms(a.acknowledgedAt!) - ms(a.startsAt)) / 1000 : null,
        ttrSeconds: within(a.resolvedAt, p) ? (ms(a.resolvedAt!) - ms(a.startsAt)) / 1000 : null,
      })),
  };
}

/**
 * Incident MTTA: mean time to acknowledge over the incidents acknowledged within the period; incident MTTR:
 * mean time to resolve over the incidents resolved within the period. Both count from the incident's start
 * (its first alert, or its opening), as the incidents code records them (`ttaSeconds`, `ttrSeconds`); a
 * recorded value is used as is, and computed from the timestamps only where none was recorded.
 * An incident resolved without a separate acknowledgement is recorded as acknowledged at its resolution
 * (domain/incidents.ts `moveTo`), so it counts for both, once each. A reopened incident keeps its
 * acknowledgement and loses its resolution. Each incident is one row, whatever it counts for.
 */
export function incidentTimes(incidents: IncidentRecord[], p: Period) {
  const tta = (i: IncidentRecord) => (within(i.acknowledgedAt, p) ? (i.ttaSeconds ?? Math.max(0, (ms(i.acknowledgedAt!) - ms(i.startedAt)) / 1000)) : null);
  const ttr = (i: IncidentRecord) => (within(i.resolvedAt, p) ? (i.ttrSeconds ?? Math.max(0, (ms(i.resolvedAt!) - ms(i.startedAt)) / 1000)) : null);
  const rows = incidents
    .filter((i) => within(i.acknowledgedAt, p) || within(i.resolvedAt, p))
    .sort((a, b) => ms(a.startedAt) - ms(b.startedAt) || a.id.localeCompare(b.id))
    .map((i) => ({
      incidentId: i.id,
      title: i.title,
      severity: i.severity,
      startedAt: i.startedAt,
      openedAt: i.openedAt,
      acknowledgedAt: i.acknowledgedAt,
      resolvedAt: i.resolvedAt,
      ttaSeconds: tta(i),
      ttrSeconds: ttr(i),
    }));
  const ttas = rows.flatMap((r) => (r.ttaSeconds === null ? [] : [r.ttaSeconds]));
  const ttrs = rows.flatMap((r) => (r.ttrSeconds === null ? [] : [r.ttrSeconds]));
  return {
    mttaSeconds: round(mean(ttas), 1),
    mttrSeconds: round(mean(ttrs), 1),
    acknowledged: ttas.length,
    resolved: ttrs.length,
    rows,
  };
}

const day = (iso: string) => iso.slice(0, 10);

/** Days of the period, UTC, for trend rows (at most 366). */
export function daysOf(p: Period): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(p.from.getUTCFullYear(), p.from.getUTCMonth(), p.from.getUTCDate()); t < p.to.getTime() && out.length < 366; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** New = first seen in the period; regressed = reopened (substatus regressed) and seen in the period; resolved = resolved in the period. */
export function errorTrend(issues: IssueRecord[], p: Period) {
  const created = issues.filter((i) => within(i.firstSeen, p));
  const regressed = issues.filter((i) => i.substatus === 'regressed' && i.status === 'unresolved' && within(i.lastSeen, p) && !within(i.firstSeen, p));
  const resolved = issues.filter((i) => i.status === 'resolved' && within(i.resolvedAt, p));
  const byDay = daysOf(p).map((d) => ({
    day: d,
    new: created.filter((i) => day(i.firstSeen) === d).length,
    regressed: regressed.filter((i) => day(i.lastSeen) === d).length,
    resolved: resolved.filter((i) => day(i.resolvedAt!) === d).length,
  }));
  const ref = (i: IssueRecord) => ({ issueId: i.id, projectId: i.projectId, project: i.project, title: i.title });
  return { new: created.length, regressed: regressed.length, resolved: resolved.length, byDay, issues: { new: created.map(ref), regressed: regressed.map(ref), resolved: resolved.map(ref) } };
}

export function databaseHealth(databases: DatabaseRecord[], p: Period) {
  return databases.map((d) => {
    const points = d.scores.filter((s) => within(s.scoredAt, p)).sort((a, b) => ms(a.scoredAt) - ms(b.scoredAt));
    const scores = points.map((s) => s.score);
    return {
      databaseId: d.id,
      name: d.name,
      samples: points.length,
      first: scores[0] ?? null,
      last: scores[scores.length - 1] ?? null,
      min: scores.length ? Math.min(...scores) : null,
      mean: round(mean(scores), 1),
      points: points.map((s) => ({ at: s.scoredAt, score: s.score })),
    };
  });
}

/** Verified-restore age against RPO (as of the end of the period or now), drill pass rate and measured RTO over the period. */
export function recoveryReadiness(policies: PolicyRecord[], p: Period, now: Date) {
  const asOf = Math.min(p.to.getTime(), now.getTime());
  return policies.map((pol) => {
    const restores = pol.restores.filter((r) => within(r.at, p)).sort((a, b) => ms(a.at) - ms(b.at));
    const drills = restores.filter((r) => r.kind === 'drill');
    const passed = drills.filter((r) => r.status === 'passed').length;
    const age = pol.lastVerifiedSnapshotAt ? Math.max(0, (asOf - ms(pol.lastVerifiedSnapshotAt)) / 1000) : null;
    const rto = restores.filter((r) => r.status === 'passed' && r.rtoSeconds !== null).map((r) => ({ at: r.at, seconds: r.rtoSeconds! }));
    return {
      policyId: pol.id,
      name: pol.name,
      rpoTargetSeconds: pol.rpoTargetSeconds,
      rtoTargetSeconds: pol.rtoTargetSeconds,
      verifiedRestoreAgeSeconds: age === null ? null : Math.round(age),
      withinRpo: age === null ? false : age <= pol.rpoTargetSeconds,
      restores: restores.length,
      drills: { total: drills.length, passed, passRate: drills.length ? passed / drills.length : null },
      rtoTrend: rto,
      rtoSecondsMax: rto.length ? Math.max(...rto.map((r) => r.seconds)) : null,
    };
  });
}

/**
 * Requests received in the period: completed in time (completedAt ≤ effective deadline), completed late,
 * overdue (open past the deadline at the end of the period or now). Breaches the controller became aware
 * of in the period, with hours from awareness to the authority's notification.
 */
export function privacyServiceLevel(requests: SubjectRequestRecord[], breaches: BreachRecord[], consent: ConsentRate[], p: Period, now: Date) {
  const asOf = Math.min(p.to.getTime(), now.getTime());
  const received = requests.filter((r) => within(r.receivedAt, p));
  const completed = received.filter((r) => r.state === 'completed' && r.completedAt);
  const inTime = completed.filter((r) => ms(r.completedAt!) <= ms(r.effectiveDeadline));
  const overdue = received.filter((r) => (r.state === 'unverified' || r.state === 'in_progress') && ms(r.effectiveDeadline) < asOf);
  const inPeriod = breaches.filter((b) => within(b.awareAt, p));
  return {
    requests: {
      received: received.length,
      completed: completed.length,
      completedInTime: inTime.length,
      completedLate: completed.length - inTime.length,
      overdue: overdue.length,
      inTimeRate: completed.length ? inTime.length / completed.length : null,
      overdueIds: overdue.map((r) => r.id),
      lateIds: completed.filter((r) => !inTime.includes(r)).map((r) => r.id),
    },
    consent: consent.map((c) => ({ ...c, rate: c.subjects ? c.granted / c.subjects : null })),
    breaches: inPeriod.map((b) => ({
      breachId: b.id,
      title: b.title,
      awareAt: b.awareAt,
      authorityNotifiedAt: b.authorityNotifiedAt,
      hoursToNotification: b.authorityNotifiedAt ? round((ms(b.authorityNotifiedAt) - ms(b.awareAt)) / 3_600_000, 1) : null,
      inTime: b.authorityNotifiedAt ? ms(b.authorityNotifiedAt) <= ms(b.notifyDeadline) : b.notNotifiedReason ? null : asOf <= ms(b.notifyDeadline) ? null : false,
      notNotifiedReason: b.notNotifiedReason,
    })),
  };
}

export function executiveReport(s: ReportSources) {
  return {
    tenant: s.tenant,
    period: { from: s.period.from.toISOString(), to: s.period.to.toISOString() },
    generatedAt: s.now.toISOString(),
    availability: availability(s.alerts, s.period, s.now),
    alerts: alertCounts(s.alerts, s.period),
    response: { ...responseTimes(s.alerts, s.period), incidents: incidentTimes(s.incidents, s.period) },
    errors: errorTrend(s.issues, s.period),
    databases: databaseHealth(s.databases, s.period),
    recovery: recoveryReadiness(s.policies, s.period, s.now),
    privacy: privacyServiceLevel(s.requests, s.breaches, s.consent, s.period, s.now),
  };
}

export type ExecutiveReport = ReturnType<typeof executiveReport>;

/** A period from query text: both ends ISO 8601, from before to, at most 366 days. */
export function parsePeriod(from: string, to: string): Period | string {
  const f = new Date(from);
  const t = new Date(to);
  if (Number.isNaN(f.getTime())) return `from: "${from}" is not an ISO 8601 date-time`;
  if (Number.isNaN(t.getTime())) return `to: "${to}" is not an ISO 8601 date-time`;
  if (!(f < t)) return 'from must be before to';
  if (t.getTime() - f.getTime() > 366 * 86_400_000) return 'the period may span at most 366 days';
  return { from: f, to: t };
}
