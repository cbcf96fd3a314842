// Vigil's alerts and silences in the shapes of the Alertmanager v2 API (its OpenAPI field names),
// and that API's query semantics: label filters, state flags, receiver regex, silence order.
import { InvalidInput, matches, matchesAll, parseMatcher, formatMatcher, type Labels, type MatchOp, type Matcher } from './labels.js';
import type { Silence } from './silences.js';

/** Alertmanager's matcher object. `isEqual` is optional in its API and defaults to true. */
export interface AmMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

/** Stands for "no end" where the API requires a time: until-resolved silences, rule alerts. */
export const NO_END = '9999-12-31T23:59:59.999Z';
/** Go's zero time, which amtool and other Go clients send for "unset". */
const GO_ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');
export const isUnsetTime = (t: string | undefined): boolean => t === undefined || t === '' || Date.parse(t) <= GO_ZERO_TIME;

export const toAmMatcher = (m: Matcher): Required<AmMatcher> => ({ name: m.name, value: m.value, isRegex: m.op === '=~' || m.op === '!~', isEqual: m.op === '=' || m.op === '=~' });

/** An API matcher as Vigil's matcher text (`a="b"`, `a!~"re"`), checked. */
export function fromAmMatcher(m: AmMatcher, at: string): string {
  const equal = m.isEqual ?? true;
  const op: MatchOp = m.isRegex ? (equal ? '=~' : '!~') : equal ? '=' : '!=';
  const text = formatMatcher({ name: m.name, op, value: m.value });
  try {
    parseMatcher(text);
  } catch (err) {
    throw new InvalidInput(`${at}: ${(err as Error).message}`);
  }
  return text;
}

const FILTER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/** Splits `a="x,y", b=c` on the commas outside quotes. */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '\\') {
      cur += c + (text[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  return parts;
}

function parseFilterMatcher(text: string): Matcher {
  const m = FILTER.exec(text);
  if (!m) throw new InvalidInput(`filter ${JSON.stringify(text)} is not a matcher like name="value" (operators =, !=, =~, !~)`);
  const raw = m[3]!;
  let value = raw;
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      value = JSON.parse(raw) as string;
    } catch {
      value = raw.slice(1, -1);
    }
  }
  const matcher: Matcher = { name: m[1]!, op: m[2] as MatchOp, value };
  try {
    parseMatcher(formatMatcher(matcher));
  } catch (err) {
    throw new InvalidInput(`filter ${JSON.stringify(text)}: ${(err as Error).message}`);
  }
  return matcher;
}

/** `filter` values: each one matcher (`a="b"`, `a=~re`; amtool sends values unquoted) or a `{a="b", c!~"d"}` list. */
export function parseFilter(values: readonly string[] | undefined): Matcher[] {
  return (values ?? []).flatMap((v) => {
    const t = v.trim();
    return t.startsWith('{') && t.endsWith('}') ? splitList(t.slice(1, -1)).map(parseFilterMatcher) : [parseFilterMatcher(t)];
  });
}

/** The `receiver` parameter: an anchored regular expression over receiver names. */
export function parseReceiverFilter(re: string | undefined): RegExp | undefined {
  if (!re) return undefined;
  try {
    return new RegExp(`^(?:${re})$`);
  } catch (err) {
    throw new InvalidInput(`receiver ${JSON.stringify(re)} is not a valid regular expression: ${(err as Error).message}`);
  }
}

export type AmAlertState = 'active' | 'suppressed' | 'unprocessed';
export interface AmAlertStatus {
  state: AmAlertState;
  silencedBy: string[];
  inhibitedBy: string[];
}

export interface GettableAlert {
  labels: Labels;
  annotations: Labels;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL?: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: AmAlertStatus;
}

export interface OpenAlert {
  fingerprint: string;
  labels: Labels;
  annotations: Labels;
  startsAt: string;
  endsAt: string | null;
  updatedAt: string;
  generatorUrl: string | null;
}

export function toGettableAlert(a: OpenAlert, receivers: readonly string[], silencedBy: string[], inhibitedBy: string[]): GettableAlert {
  return {
    labels: a.labels,
    annotations: a.annotations,
    startsAt: a.startsAt,
    endsAt: a.endsAt ?? NO_END,
    updatedAt: a.updatedAt,
    ...(a.generatorUrl ? { generatorURL: a.generatorUrl } : {}),
    fingerprint: a.fingerprint,
    receivers: [...new Set(receivers)].map((name) => ({ name })),
    status: { state: silencedBy.length || inhibitedBy.length ? 'suppressed' : 'active', silencedBy, inhibitedBy },
  };
}

export interface AlertQuery {
  filter: Matcher[];
  active: boolean;
  silenced: boolean;
  inhibited: boolean;
  unprocessed: boolean;
  receiver?: RegExp;
}

/** Alertmanager's alertFilter: the state flags exclude, the label filter and receiver regex select. */
export function keepAlert(a: GettableAlert, q: AlertQuery): boolean {
  const s = a.status;
  if (!q.active && s.state === 'active') return false;
  if (!q.unprocessed && s.state === 'unprocessed') return false;
  if (!q.silenced && s.silencedBy.length) return false;
  if (!q.inhibited && s.inhibitedBy.length) return false;
  if (q.receiver && !a.receivers.some((r) => q.receiver!.test(r.name))) return false;
  return matchesAll(q.filter, a.labels);
}

export type SilenceState = 'active' | 'pending' | 'expired';
export interface GettableSilence {
  id: string;
  status: { state: SilenceState };
  updatedAt: string;
  matchers: Required<AmMatcher>[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** When a silence stops muting: its end, or when it was expired early, or never (until resolved). */
export function effectiveEnd(s: Silence): string {
  if (s.expiredAt && (!s.endsAt || s.expiredAt < s.endsAt)) return s.expiredAt;
  return s.endsAt ?? NO_END;
}

export function silenceState(s: Silence, now: Date): SilenceState {
  if (Date.parse(effectiveEnd(s)) <= now.getTime()) return 'expired';
  return Date.parse(s.startsAt) > now.getTime() ? 'pending' : 'active';
}

export function toGettableSilence(s: Silence, now: Date): GettableSilence {
  const endsAt = effectiveEnd(s);
  return {
    id: s.id,
    status: { state: silenceState(s, now) },
    updatedAt: s.updatedAt,
    matchers: s.matchers.map((m) => toAmMatcher(parseMatcher(m))),
    startsAt: s.startsAt < endsAt ? s.startsAt : endsAt,
    endsAt,
    createdBy: s.createdBy,
    comment: s.comment,
  };
}

/**
 * Alertmanager's silence filter: the silence's matchers are read as a label set (name → value)
 * and the filter matchers are applied to it; an empty-valued filter ignores a missing name.
 */
export function silenceMatchesFilter(s: GettableSilence, filter: readonly Matcher[]): boolean {
  const set: Labels = Object.fromEntries(s.matchers.map((m) => [m.name, m.value]));
  return filter.every((f) => {
    const present = f.name in set;
    if (f.value === '' && (f.op === '!=' || f.op === '!~' ? present : !present)) return true;
    return matches(f, set);
  });
}

const STATE_ORDER: Record<SilenceState, number> = { active: 0, pending: 1, expired: 2 };

/** Alertmanager's order: active by end, then pending by start, then expired, latest end first. */
export function sortSilences(list: GettableSilence[]): GettableSilence[] {
  return [...list].sort((a, b) => {
    const sa = a.status.state;
    const sb = b.status.state;
    if (sa !== sb) return STATE_ORDER[sa] - STATE_ORDER[sb];
    if (sa === 'active') return a.endsAt.localeCompare(b.endsAt);
    if (sa === 'pending') return a.startsAt.localeCompare(b.startsAt);
    return b.endsAt.localeCompare(a.endsAt);
  });
}

export interface PostableSilence {
  id?: string;
  matchers: AmMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** Alertmanager's canUpdate: same matchers, and a window change allowed in the current state. */
export function canUpdateInPlace(prev: Silence, next: { matchers: string[]; startsAt: Date; endsAt: Date }, now: Date): boolean {
  const canonical = prev.matchers.map((m) => formatMatcher(parseMatcher(m)));
  if (prev.untilResolved || canonical.length !== next.matchers.length || canonical.some((m, i) => m !== next.matchers[i])) return false;
  switch (silenceState(prev, now)) {
    case 'active':
      return next.startsAt.getTime() === Date.parse(prev.startsAt) && next.endsAt > now;
    case 'pending':
      return next.startsAt >= now;
    case 'expired':
      return false;
  }
}
