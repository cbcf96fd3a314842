// Label sets: fingerprints, Alertmanager matchers (`a="b"`, `a!=b`, `a=~re`, `a!~re`) and durations.
import { createHash } from 'node:crypto';

export type Labels = Record<string, string>;

/** Alertmanager-style fingerprint: a hash of the sorted label set. */
export function fingerprint(labels: Labels): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export class InvalidInput extends Error {
  override readonly name = 'InvalidInput';
  /** The input field it is about, as a JSON-pointer-like path without the leading slash (`levels/1/value`). */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** `label=value` pairs (the repeatable `label` query parameter) as an equality filter. */
export function parseLabelFilter(pairs: readonly string[] | undefined): Labels | undefined {
  if (!pairs?.length) return undefined;
  return Object.fromEntries(
    pairs.map((p) => {
      const m = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/.exec(p);
      if (!m) throw new InvalidInput(`label filter ${JSON.stringify(p)} is not name=value`);
      return [m[1]!, m[2]!];
    }),
  );
}

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^"\s]*))\s*$/;
const regexCache = new Map<string, RegExp>();

function anchored(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    regexCache.set(pattern, re);
  }
  return re;
}

export function parseMatcher(text: string): Matcher {
  const m = MATCHER.exec(text);
  if (!m) throw new InvalidInput(`matcher ${JSON.stringify(text)} is not of the form name="value" (operators =, !=, =~, !~)`);
  const op = m[2] as MatchOp;
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  if (op === '=~' || op === '!~') {
    try {
      anchored(value);
    } catch (err) {
      throw new InvalidInput(`matcher ${JSON.stringify(text)} has an invalid regular expression: ${(err as Error).message}`);
    }
  }
  return { name: m[1]!, op, value };
}

export const formatMatcher = (m: Matcher) => `${m.name}${m.op}${JSON.stringify(m.value)}`;

export function matches(m: Matcher, labels: Labels): boolean {
  const v = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return anchored(m.value).test(v);
    case '!~':
      return !anchored(m.value).test(v);
  }
}

export const matchesAll = (ms: readonly Matcher[], labels: Labels) => ms.every((m) => matches(m, labels));

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:ms|s|m|h|d|w))+$/;

/** Prometheus duration ("30s", "1h30m", "0s") in milliseconds. */
export function parseDuration(text: string, what = 'duration', field?: string): number {
  if (!DURATION.test(text)) throw new InvalidInput(`${what} ${JSON.stringify(text)} is not a duration like "30s", "5m" or "1h30m"`, field);
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(n) * UNITS[unit!]!;
  return total;
}
