import { describe, expect, it } from 'vitest';
import { canUpdateInPlace, fromAmMatcher, isUnsetTime, keepAlert, parseFilter, silenceMatchesFilter, sortSilences, toGettableAlert, toGettableSilence, NO_END } from './am-api.js';
import { alertmanagerConfig } from './am-config.js';
import { inhibitedBy } from './routing.js';
import type { Silence } from './silences.js';

const silence = (o: Partial<Silence>): Silence => ({
  id: 's1', matchers: ['alertname="A"'], startsAt: '2030-01-01T00:00:00.000Z', endsAt: '2030-01-01T02:00:00.000Z', untilResolved: false,
  createdBy: 'me', comment: '', expiredAt: null, expiredBy: null, updatedAt: '2030-01-01T00:00:00.000Z', ...o,
});
const at = new Date('2030-01-01T01:00:00.000Z');

describe('Alertmanager API filters', () => {
  it('parses single matchers, unquoted values (as amtool sends them) and brace lists', () => {
    expect(parseFilter(['alertname="A"', 'instance=~db-1|db-2', '{a="x,y", b!~"c.*"}'])).toEqual([
      { name: 'alertname', op: '=', value: 'A' },
      { name: 'instance', op: '=~', value: 'db-1|db-2' },
      { name: 'a', op: '=', value: 'x,y' },
      { name: 'b', op: '!~', value: 'c.*' },
    ]);
    expect(() => parseFilter(['a=~('])).toThrow(/filter "a=~\(".*invalid regular expression/);
    expect(() => parseFilter(['nope'])).toThrow(/not a matcher/);
  });

  it('maps matchers both ways', () => {
    expect(fromAmMatcher({ name: 'a', value: 'b', isRegex: false }, 'm')).toBe('a="b"');
    expect(fromAmMatcher({ name: 'a', value: 'b.*', isRegex: true, isEqual: false }, 'm')).toBe('a!~"b.*"');
    expect(toGettableSilence(silence({ matchers: ['a!="b"'] }), at).matchers).toEqual([{ name: 'a', value: 'b', isRegex: false, isEqual: false }]);
  });

  it('reads Go zero times as unset', () => {
    expect(isUnsetTime('0001-01-01T00:00:00.000Z')).toBe(true);
    expect(isUnsetTime(undefined)).toBe(true);
    expect(isUnsetTime('2030-01-01T00:00:00Z')).toBe(false);
  });

  it('applies the state flags and the receiver regex like Alertmanager', () => {
    const a = toGettableAlert({ fingerprint: 'f', labels: { alertname: 'A' }, annotations: {}, startsAt: '2030-01-01T00:00:00Z', endsAt: null, updatedAt: '2030-01-01T00:00:00Z', generatorUrl: null }, ['hook'], ['s1'], []);
    expect(a.status.state).toBe('suppressed');
    expect(a.endsAt).toBe(NO_END);
    const q = { filter: [], active: true, silenced: true, inhibited: true, unprocessed: true };
    expect(keepAlert(a, q)).toBe(true);
    expect(keepAlert(a, { ...q, silenced: false })).toBe(false);
    expect(keepAlert(a, { ...q, active: false })).toBe(true);
    expect(keepAlert(a, { ...q, receiver: /^(?:ho)$/ })).toBe(false);
  });
});

describe('Alertmanager API silences', () => {
  it('reports state and end, an early expiry as the end, and sorts active, pending, expired', () => {
    const active = toGettableSilence(silence({ id: 'a' }), at);
    const pending = toGettableSilence(silence({ id: 'p', startsAt: '2030-01-01T01:30:00.000Z' }), at);
    const expired = toGettableSilence(silence({ id: 'e', expiredAt: '2030-01-01T00:30:00.000Z' }), at);
    const open = toGettableSilence(silence({ id: 'u', endsAt: null, untilResolved: true }), at);
    expect([active.status.state, pending.status.state, expired.status.state, open.status.state]).toEqual(['active', 'pending', 'expired', 'active']);
    expect(expired.endsAt).toBe('2030-01-01T00:30:00.000Z');
    expect(open.endsAt).toBe(NO_END);
    expect(sortSilences([expired, open, pending, active]).map((s) => s.id)).toEqual(['a', 'u', 'p', 'e']);
  });

  it("filters on the silences' matchers read as labels", () => {
    const s = toGettableSilence(silence({ matchers: ['alertname="A"', 'team=~"db.*"'] }), at);
    expect(silenceMatchesFilter(s, parseFilter(['alertname="A"']))).toBe(true);
    expect(silenceMatchesFilter(s, parseFilter(['team="db.*"']))).toBe(true);
    expect(silenceMatchesFilter(s, parseFilter(['alertname="B"']))).toBe(false);
    expect(silenceMatchesFilter(s, parseFilter(['env=""']))).toBe(true);
  });

  it('updates in place only as Alertmanager allows', () => {
    const prev = silence({});
    const same = { matchers: ['alertname="A"'], startsAt: new Date(prev.startsAt), endsAt: new Date('2030-01-01T05:00:00Z') };
    expect(canUpdateInPlace(prev, same, at)).toBe(true);
    expect(canUpdateInPlace(silence({ matchers: ['alertname=A'] }), same, at)).toBe(true);
    expect(canUpdateInPlace(prev, { ...same, matchers: ['alertname="B"'] }, at)).toBe(false);
    expect(canUpdateInPlace(prev, { ...same, startsAt: new Date('2030-01-01T00:10:00Z') }, at)).toBe(false);
    expect(canUpdateInPlace(silence({ expiredAt: '2030-01-01T00:30:00.000Z' }), same, at)).toBe(false);
  });
});

describe('inhibition over all open alerts', () => {
  it('names the inhibiting fingerprints, by equal labels', () => {
    const rules = [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }];
    const alerts = [
      { fingerprint: 'c', labels: { alertname: 'A', severity: 'critical' } },
      { fingerprint: 'w', labels: { alertname: 'A', severity: 'warning' } },
      { fingerprint: 'x', labels: { alertname: 'B', severity: 'warning' } },
    ];
    expect([...inhibitedBy(alerts, rules)]).toEqual([['w', ['c']]]);
  });
});

describe('routing as an Alertmanager configuration', () => {
  it('adds a discard receiver for a root without one, hides secrets and notes escalations', () => {
    const yaml = alertmanagerConfig(
      'acme',
      { route: { group_by: ['...'], routes: [{ matchers: ['team="db"'], receiver: 'pd', escalation: 'oncall' }] }, inhibit_rules: [] },
      [{ name: 'pd', config: { kind: 'pagerduty', routingKey: 'SECRETKEY' } }],
      300_000,
    );
    expect(yaml).toContain('receiver: vigil-discard');
    expect(yaml).toContain('routing_key: <secret>');
    expect(yaml).not.toContain('SECRETKEY');
    expect(yaml).not.toMatch(/^\s*escalation:/m);
    expect(yaml).toContain('route.routes[0]: escalation policy "oncall"');
    expect(yaml).toContain('resolve_timeout: 5m');
  });
});
