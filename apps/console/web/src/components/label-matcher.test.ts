import { describe, expect, it } from 'vitest';
import { formatMatchers, matchersFor, matchesAll, parseMatchers, tryParseMatchers } from './label-matcher';

describe('label matchers', () => {
  it('parses the four operators, quoted or not, with or without braces', () => {
    expect(parseMatchers('severity="critical", service=~"api.*", env!=dev, team!~"db|infra"')).toEqual([
      { name: 'severity', op: '=', value: 'critical' },
      { name: 'service', op: '=~', value: 'api.*' },
      { name: 'env', op: '!=', value: 'dev' },
      { name: 'team', op: '!~', value: 'db|infra' },
    ]);
    expect(parseMatchers('{a="x,y",b="q\\"r"}')).toEqual([
      { name: 'a', op: '=', value: 'x,y' },
      { name: 'b', op: '=', value: 'q"r' },
    ]);
    expect(parseMatchers('  ')).toEqual([]);
  });

  it('says what is wrong', () => {
    expect(tryParseMatchers('severity').error).toMatch(/"severity" is not a matcher/);
    expect(tryParseMatchers('a=~"("').error).toMatch(/invalid regular expression/);
    expect(tryParseMatchers('a="open').error).toMatch(/unclosed quote/);
  });

  it('matches anchored, with missing labels as empty', () => {
    const ms = parseMatchers('service=~"api.*", env!="prod", zone=""');
    expect(matchesAll(ms, { service: 'api-gw', env: 'dev' })).toBe(true);
    expect(matchesAll(ms, { service: 'my-api', env: 'dev' })).toBe(false);
    expect(matchesAll(ms, { service: 'api', env: 'prod' })).toBe(false);
    expect(matchesAll(ms, { service: 'api', zone: 'eu' })).toBe(false);
  });

  it('round-trips through its text form, and builds the matchers of a selection', () => {
    const ms = parseMatchers('a="1", b=~"x|y"');
    expect(parseMatchers(formatMatchers(ms))).toEqual(ms);
    expect(formatMatchers(matchersFor([{ alertname: 'Disk', host: 'a.1' }, { alertname: 'Disk', host: 'b', extra: '1' }]))).toBe('alertname="Disk", host=~"a\\\\.1|b"');
    const sel = matchersFor([{ alertname: 'Disk', host: 'a.1' }, { alertname: 'Disk', host: 'b' }]);
    expect(matchesAll(sel, { alertname: 'Disk', host: 'a.1' })).toBe(true);
    expect(matchesAll(sel, { alertname: 'Disk', host: 'ax1' })).toBe(false);
  });
});
