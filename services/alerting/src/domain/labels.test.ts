import { describe, expect, it } from 'vitest';
import { fingerprint, matches, parseDuration, parseLabelFilter, parseMatcher } from './labels.js';

describe('labels', () => {
  it('fingerprints ignore label order and differ by value', () => {
    expect(fingerprint({ a: '1', b: '2' })).toBe(fingerprint({ b: '2', a: '1' }));
    expect(fingerprint({ a: '1' })).not.toBe(fingerprint({ a: '2' }));
  });

  it('parses and applies the four matcher operators', () => {
    expect(parseMatcher('severity="critical"')).toEqual({ name: 'severity', op: '=', value: 'critical' });
    expect(matches(parseMatcher('env!=prod'), { env: 'dev' })).toBe(true);
    expect(matches(parseMatcher('db=~"orders|billing"'), { db: 'billing' })).toBe(true);
    expect(matches(parseMatcher('db=~"orders"'), { db: 'orders-2' })).toBe(false);
    expect(matches(parseMatcher('db!~"ord.*"'), { db: 'orders' })).toBe(false);
    expect(matches(parseMatcher('missing=""'), {})).toBe(true);
  });

  it('rejects malformed matchers and regular expressions with a reason', () => {
    expect(() => parseMatcher('no operator')).toThrow(/not of the form/);
    expect(() => parseMatcher('a=~"("')).toThrow(/invalid regular expression/);
  });

  it('parses Prometheus durations', () => {
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('0s')).toBe(0);
    expect(() => parseDuration('5 minutes', 'for')).toThrow(/for "5 minutes" is not a duration/);
  });

  it('parses label=value filters and names a malformed one', () => {
    expect(parseLabelFilter(undefined)).toBeUndefined();
    expect(parseLabelFilter(['alertname=Dup', 'expr=a=b'])).toEqual({ alertname: 'Dup', expr: 'a=b' });
    expect(() => parseLabelFilter(['no-equals'])).toThrow(/label filter "no-equals" is not name=value/);
  });
});
