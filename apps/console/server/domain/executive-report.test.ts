import { describe, expect, it } from 'vitest';
import { reportCsv } from './report-csv.js';
import { nextWeeklyRun, signatureValid, signBody, webhookUrlProblem, weekBefore } from './report-schedule.js';
import { availability, errorTrend, executiveReport, incidentTimes, parsePeriod, privacyServiceLevel, recoveryReadiness, responseTimes, type AlertRecord, type IncidentRecord } from './executive-report.js';
import { moveTo } from './incidents.js';

const period = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z') };
const now = new Date('2026-11-05T00:00:00Z');
const alert = (id: string, severity: string, startsAt: string, ackAt: string | null, resolvedAt: string | null, alertname = 'HighLatency'): AlertRecord => ({
  id,
  severity,
  ruleId: null,
  alertname,
  startsAt,
  acknowledgedAt: ackAt,
  resolvedAt,
});

describe('availability', () => {
  it('is the share of the period with no critical alert open, overlaps merged and clipped to the period', () => {
    const a = availability(
      [
        alert('a', 'critical', '2026-10-31T23:00:00Z', null, '2026-11-01T01:00:00Z'), // 1 h inside
        alert('b', 'critical', '2026-11-01T00:30:00Z', null, '2026-11-01T02:00:00Z'), // overlaps a: +1 h
        alert('c', 'warning', '2026-11-01T05:00:00Z', null, '2026-11-01T09:00:00Z'), // not critical
        alert('d', 'critical', '2026-11-01T22:00:00Z', null, null), // open to the end: 2 h
      ],
      period,
      now,
    );
    expect(a.criticalOpenSeconds).toBe(4 * 3600);
    expect(a.ratio).toBeCloseTo(20 / 24, 10);
    expect(a.alertIds).toEqual(['a', 'b', 'd']);
  });
  it('counts only up to now for a period that has not ended', () => {
    const a = availability([alert('a', 'critical', '2026-11-01T00:00:00Z', null, null)], period, new Date('2026-11-01T06:00:00Z'));
    expect(a.observedSeconds).toBe(6 * 3600);
    expect(a.ratio).toBe(0);
  });
});

describe('MTTA and MTTR', () => {
  it('average the acknowledgements and resolutions that fall in the period', () => {
    const r = responseTimes(
      [
        alert('a', 'critical', '2026-11-01T01:00:00Z', '2026-11-01T01:04:00Z', '2026-11-01T01:10:00Z'),
        alert('b', 'warning', '2026-11-01T02:00:00Z', '2026-11-01T02:08:00Z', '2026-11-01T02:30:00Z'),
        alert('c', 'warning', '2026-11-01T03:00:00Z', null, '2026-11-01T03:45:00Z'), // resolved without ack: MTTR only
        alert('d', 'warning', '2026-10-31T03:00:00Z', '2026-10-31T03:05:00Z', '2026-11-03T00:00:00Z'), // neither in the period
      ],
      period,
    );
    expect(r.mttaSeconds).toBe(6 * 60);
    expect(r.mttrSeconds).toBe((10 + 30 + 45) * 20);
    expect(r.acknowledged).toBe(2);
    expect(r.resolved).toBe(3);
    expect(r.rows.map((x) => x.alertId)).toEqual(['a', 'b', 'c']);
    expect(r.rows[2]!.ttaSeconds).toBeNull();
  });
  it('are null with nothing to average', () => {
    expect(responseTimes([], period)).toMatchObject({ mttaSeconds: null, mttrSeconds: null });
  });
});

describe('error trend', () => {
  it('sorts issues into new, regressed and resolved by day', () => {
    const i = (id: string, firstSeen: string, lastSeen: string, status: string, substatus: string, resolvedAt: string | null = null) => ({ id, projectId: '1', project: 'shop', title: id, firstSeen, lastSeen, status, substatus, resolvedAt });
    const t = errorTrend(
      [
        i('n', '2026-11-01T10:00:00Z', '2026-11-01T11:00:00Z', 'unresolved', 'new'),
        i('r', '2026-10-01T10:00:00Z', '2026-11-01T12:00:00Z', 'unresolved', 'regressed'),
        i('x', '2026-10-01T10:00:00Z', '2026-10-31T12:00:00Z', 'resolved', 'ongoing', '2026-11-01T13:00:00Z'),
        i('o', '2026-10-01T10:00:00Z', '2026-11-01T12:00:00Z', 'unresolved', 'ongoing'),
      ],
      period,
    );
    expect([t.new, t.regressed, t.resolved]).toEqual([1, 1, 1]);
    expect(t.byDay).toEqual([{ day: '2026-11-01', new: 1, regressed: 1, resolved: 1 }]);
  });
});

describe('recovery readiness and privacy service level', () => {
  it('compares the verified-restore age with the RPO and rates drills', () => {
    const [p] = recoveryReadiness(
      [
        {
          id: 'p',
          name: 'daily',
          rpoTargetSeconds: 86_400,
          rtoTargetSeconds: 3600,
          lastVerifiedSnapshotAt: '2026-11-01T12:00:00Z',
          restores: [
            { at: '2026-11-01T03:00:00Z', kind: 'drill', status: 'passed', rtoSeconds: 120 },
            { at: '2026-11-01T04:00:00Z', kind: 'drill', status: 'failed', rtoSeconds: null },
            { at: '2026-11-01T05:00:00Z', kind: 'verification', status: 'passed', rtoSeconds: 90 },
          ],
        },
      ],
      period,
      now,
    );
    expect(p).toMatchObject({ verifiedRestoreAgeSeconds: 12 * 3600, withinRpo: true, drills: { total: 2, passed: 1, passRate: 0.5 }, rtoSecondsMax: 120 });
  });
  it('counts requests completed in time, late and overdue, and hours to breach notification', () => {
    const r = (id: string, state: string, completedAt: string | null, deadline = '2026-11-01T20:00:00Z') => ({ id, kind: 'access', state, receivedAt: '2026-11-01T01:00:00Z', effectiveDeadline: deadline, completedAt });
    const s = privacyServiceLevel(
      [r('a', 'completed', '2026-11-01T05:00:00Z'), r('b', 'completed', '2026-11-01T21:00:00Z'), r('c', 'in_progress', null), r('d', 'in_progress', null, '2026-12-30T00:00:00Z')],
      [{ id: 'br', title: 'Leak', awareAt: '2026-11-01T02:00:00Z', notifyDeadline: '2026-11-04T02:00:00Z', authorityNotifiedAt: '2026-11-02T08:00:00Z', notNotifiedReason: null }],
      [{ purpose: 'marketing', subjects: 4, granted: 3 }],
      period,
      now,
    );
    expect(s.requests).toMatchObject({ received: 4, completed: 2, completedInTime: 1, completedLate: 1, overdue: 1, overdueIds: ['c'], lateIds: ['b'] });
    expect(s.breaches[0]).toMatchObject({ hoursToNotification: 30, inTime: true });
    expect(s.consent[0]!.rate).toBe(0.75);
  });
});

/** An incident moved through the incidents code's own lifecycle, so the durations are the ones it records. */
function incident(id: string, startedAt: string, ackAt: string | null, resolvedAt: string | null): IncidentRecord {
  let t = { startedAt: new Date(startedAt), acknowledgedAt: null as Date | null, resolvedAt: null as Date | null, ttaSeconds: null as number | null, ttrSeconds: null as number | null };
  if (ackAt) t = moveTo(t, 'acknowledged', new Date(ackAt));
  if (resolvedAt) t = moveTo(t, 'resolved', new Date(resolvedAt));
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return { id, title: `Incident ${id}`, severity: 'critical', startedAt, openedAt: startedAt, acknowledgedAt: iso(t.acknowledgedAt), resolvedAt: iso(t.resolvedAt), ttaSeconds: t.ttaSeconds, ttrSeconds: t.ttrSeconds };
}

describe('incidentTimes', () => {
  it('means the recorded times to acknowledge and resolve over the acknowledgements and resolutions in the period', () => {
    const r = incidentTimes(
      [
        incident('a', '2026-11-01T01:00:00Z', '2026-11-01T01:10:00Z', '2026-11-01T02:00:00Z'), // tta 600, ttr 3600
        incident('b', '2026-11-01T03:00:00Z', '2026-11-01T03:02:00Z', null), // tta 120, still open
        incident('c', '2026-10-31T23:00:00Z', '2026-10-31T23:30:00Z', '2026-11-01T00:30:00Z'), // acked before: ttr 5400 only
        incident('d', '2026-10-30T00:00:00Z', '2026-10-30T00:05:00Z', '2026-10-30T01:00:00Z'), // outside
        incident('e', '2026-11-01T22:00:00Z', '2026-11-01T22:30:00Z', '2026-11-02T01:00:00Z'), // acked in, resolved after: tta 1800 only
      ],
      period,
    );
    expect(r.mttaSeconds).toBe((600 + 120 + 1800) / 3);
    expect(r.mttrSeconds).toBe((3600 + 5400) / 2);
    expect(r).toMatchObject({ acknowledged: 3, resolved: 2 });
    expect(r.rows.map((x) => [x.incidentId, x.ttaSeconds, x.ttrSeconds])).toEqual([
      ['c', null, 5400],
      ['a', 600, 3600],
      ['b', 120, null],
      ['e', 1800, null],
    ]);
  });
  it('counts an incident resolved without acknowledgement as the incidents code records it: acknowledged at its resolution, once each', () => {
    const i = incident('q', '2026-11-01T01:00:00Z', null, '2026-11-01T01:20:00Z');
    expect(i.acknowledgedAt).toBe(i.resolvedAt);
    const r = incidentTimes([i], period);
    expect(r).toMatchObject({ mttaSeconds: 1200, mttrSeconds: 1200, acknowledged: 1, resolved: 1 });
    expect(r.rows).toHaveLength(1);
  });
  it('uses the durations as recorded and falls back to the timestamps only when none was recorded; none gives null', () => {
    const recorded = { ...incident('r', '2026-11-01T01:00:00Z', '2026-11-01T01:01:00Z', null), ttaSeconds: 61.5 };
    const bare = { ...incident('s', '2026-11-01T02:00:00Z', '2026-11-01T02:03:00Z', null), ttaSeconds: null };
    expect(incidentTimes([recorded, bare], period).rows.map((x) => x.ttaSeconds)).toEqual([61.5, 180]);
    expect(incidentTimes([], period)).toMatchObject({ mttaSeconds: null, mttrSeconds: null, acknowledged: 0, resolved: 0, rows: [] });
  });
});

describe('CSV', () => {
  it('has one row per figure, quoted and safe to open in a spreadsheet', () => {
    const r = executiveReport({
      tenant: 't',
      period,
      now,
      alerts: [alert('a', 'critical', '2026-11-01T01:00:00Z', '2026-11-01T01:04:00Z', '2026-11-01T01:10:00Z', '=cmd,"x"')],
      incidents: [incident('9b0c4f1e-0000-4000-8000-000000000001', '2026-11-01T01:00:00Z', '2026-11-01T01:05:00Z', '2026-11-01T01:30:00Z')],
      issues: [],
      databases: [],
      policies: [],
      requests: [],
      breaches: [],
      consent: [],
    });
    const csv = reportCsv(r);
    expect(csv.split('\r\n')[0]).toBe('section,figure,subject,value,unit,record');
    expect(csv).toContain('response,MTTA,1 acknowledged,240,seconds,');
    expect(csv).toContain('incidents,MTTA,1 acknowledged,300,seconds,');
    expect(csv).toContain('incidents,MTTR,1 resolved,1800,seconds,');
    expect(csv).toContain('incidents,time to resolve,Incident 9b0c4f1e-0000-4000-8000-000000000001,1800,seconds,incident:9b0c4f1e-0000-4000-8000-000000000001');
    expect(csv).toContain(`alerts,noisiest rule,"'=cmd,""x""",1,alerts,`);
  });
});

describe('schedules and periods', () => {
  it('finds the next weekly slot strictly after a time', () => {
    // 2026-12-01 is a Tuesday.
    expect(nextWeeklyRun({ dayOfWeek: 1, hour: 8 }, new Date('2026-12-01T10:00:00Z')).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(nextWeeklyRun({ dayOfWeek: 2, hour: 8 }, new Date('2026-12-01T07:00:00Z')).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(nextWeeklyRun({ dayOfWeek: 2, hour: 8 }, new Date('2026-12-01T08:00:00Z')).toISOString()).toBe('2026-12-08T08:00:00.000Z');
    expect(weekBefore(new Date('2026-12-08T08:00:00Z')).from.toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });
  it('signs a body so that the receiver can check it, and refuses a changed body or an old timestamp', () => {
    const at = new Date('2026-12-01T10:00:00Z');
    const sig = signBody('s3cret', '{"a":1}', at);
    expect(signatureValid('s3cret', '{"a":1}', sig, at)).toBe(true);
    expect(signatureValid('s3cret', '{"a":2}', sig, at)).toBe(false);
    expect(signatureValid('other', '{"a":1}', sig, at)).toBe(false);
    expect(signatureValid('s3cret', '{"a":1}', sig, new Date(at.getTime() + 600_000))).toBe(false);
  });
  it('refuses bad periods and webhook URLs with the field named', () => {
    expect(parsePeriod('x', '2026-11-01T00:00:00Z')).toMatch(/^from:/);
    expect(parsePeriod('2026-11-02T00:00:00Z', '2026-11-01T00:00:00Z')).toBe('from must be before to');
    expect(parsePeriod('2025-01-01T00:00:00Z', '2026-11-01T00:00:00Z')).toMatch(/366 days/);
    expect(webhookUrlProblem('ftp://x')).toMatch(/^webhookUrl:/);
    expect(webhookUrlProblem('https://u:p@x.example')).toMatch(/credentials/);
    expect(webhookUrlProblem('https://hooks.example/x')).toBeNull();
  });
});
