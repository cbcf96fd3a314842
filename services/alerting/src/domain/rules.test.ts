import { describe, expect, it } from 'vitest';
import { defaultRules } from './default-rules.js';
import type { EventRule, ThresholdRule } from './rule-schema.js';
import { assertEditable, evaluateEvent, evaluateThreshold, RuleReadOnly, ruleFromBody, validateRule } from './rules.js';
import { deadLetterSignal } from './signals.js';

const qt = { id: 'r1', spec: defaultRules(70).find((r) => r.name === 'QueryTimeHigh') as ThresholdRule };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('rules', () => {
  it('ships valid defaults', () => {
    for (const r of defaultRules(70)) expect(validateRule(r)).toMatchObject({ name: r.name });
  });

  it('a threshold fires per level only once the condition held for `for`', () => {
    const sample = { metric: 'max_mean_query_ms', value: 6000, labels: { database_id: 'db1' }, at: at(0) };
    const first = evaluateThreshold(qt, sample, { since: () => undefined });
    expect(first.map((o) => o.action)).toEqual(['pending', 'pending']);
    const since = new Map(first.map((o) => [o.action === 'pending' ? o.alert.fingerprint : '', at(0)]));
    const later = evaluateThreshold(qt, { ...sample, value: 2000, at: at(300) }, { since: (fp) => since.get(fp) });
    expect(later.map((o) => o.action)).toEqual(['fire', 'resolve']);
    const fired = later[0]!;
    expect(fired.action === 'fire' && fired.alert.labels).toEqual({ database_id: 'db1', alertname: 'QueryTimeHigh', severity: 'warning' });
    expect(fired.action === 'fire' && fired.alert.annotations.summary).toBe('Mean query time on db1 is 2000 ms');
  });

  it('event rules fire on matching events and resolve on the resolving ones', () => {
    const rule = { id: 'r2', spec: defaultRules(70).find((r) => r.name === 'BackupVerificationFailed') as EventRule };
    const sig = { type: 'VerificationFinished', labels: { policy_id: 'p', database: 'orders' }, attrs: { outcome: 'failed' }, annotations: { summary: 's' }, at: at(0) };
    const fired = evaluateEvent(rule, sig);
    const passed = evaluateEvent(rule, { ...sig, attrs: { outcome: 'passed' } });
    expect(fired?.action).toBe('fire');
    expect(passed).toEqual({ action: 'resolve', fingerprint: fired?.action === 'fire' ? fired.alert.fingerprint : '' });
  });

  it('rejects invalid rules with the reason', () => {
    expect(() => validateRule({ name: 'x', kind: 'threshold', metric: 'm', op: '>', levels: [], for: '1m' })).toThrow(/levels/);
    expect(() => validateRule({ name: 'x', kind: 'threshold', metric: 'm', op: '>', levels: [{ severity: 'warning', value: 1 }], for: 'soon' })).toThrow(/for "soon"/);
    expect(() => validateRule({ name: 'x', kind: 'event', event: 'E', severity: 'warning', matchers: ['bad'] })).toThrow(/matcher "bad"/);
    expect(() => validateRule({ name: 'x', kind: 'event', event: 'E', severity: 'warning', labels: { severity: 'x' } })).toThrow(/set by the rule/);
  });

  it('a rule body carries `enabled` beside the spec; builtins are read-only', () => {
    const body = { name: 'DeployFailed', kind: 'event', event: 'deploy', severity: 'warning' };
    expect(ruleFromBody({ ...body, enabled: false })).toMatchObject({ enabled: false, spec: { name: 'DeployFailed' } });
    expect(ruleFromBody(body).enabled).toBe(true);
    expect(() => assertEditable({ builtin: true })).toThrow(RuleReadOnly);
    expect(() => assertEditable({ builtin: false })).not.toThrow();
    expect(() => assertEditable(undefined)).not.toThrow();
  });

  it('the builtin NotificationDeadLettered rule raises an alert from a dead-letter signal', () => {
    const rule = { id: 'r2', spec: defaultRules(70).find((r) => r.name === 'NotificationDeadLettered') as EventRule };
    const signal = deadLetterSignal({ receiver: 'pager', kind: 'webhook', attempts: 3, lastStatus: 500, error: 'HTTP 500', deadAt: '2026-01-01T00:00:00Z' });
    const out = evaluateEvent(rule, signal);
    expect(out).toMatchObject({
      action: 'fire',
      alert: {
        severity: 'critical',
        labels: { alertname: 'NotificationDeadLettered', receiver: 'pager', severity: 'critical' },
        annotations: { summary: 'Notifications to receiver pager are failing', description: 'Gave up after 3 attempts: HTTP 500' },
      },
    });
  });
});
