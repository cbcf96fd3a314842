// Alertmanager's routing tree and inhibition rules, over plain label sets.
import { Type, type Static } from '@sinclair/typebox';
import { formatMatcher, InvalidInput, matchesAll, parseDuration, parseMatcher, type Labels, type Matcher } from './labels.js';

const Duration = Type.String({ maxLength: 20 });
export interface RouteSpec {
  receiver?: string;
  matchers?: string[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  escalation?: string;
  routes?: RouteSpec[];
}
export const RouteSchema = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        receiver: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        matchers: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 20 })),
        group_by: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
        group_wait: Type.Optional(Duration),
        group_interval: Type.Optional(Duration),
        repeat_interval: Type.Optional(Duration),
        continue: Type.Optional(Type.Boolean()),
        escalation: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Escalation policy name' })),
        routes: Type.Optional(Type.Array(Self, { maxItems: 50 })),
      },
      { additionalProperties: false },
    ),
  { $id: 'AlertRoute' },
);
export const InhibitRuleSchema = Type.Object(
  {
    source_matchers: Type.Array(Type.String({ maxLength: 500 }), { minItems: 1, maxItems: 20 }),
    target_matchers: Type.Array(Type.String({ maxLength: 500 }), { minItems: 1, maxItems: 20 }),
    equal: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type InhibitRule = Static<typeof InhibitRuleSchema>;

export interface RoutingConfig {
  route: RouteSpec;
  inhibit_rules: InhibitRule[];
}

/** Used until a tenant stores its own: no receiver, critical inhibits warning of the same thing. */
export const DEFAULT_ROUTING: RoutingConfig = {
  route: {},
  inhibit_rules: [
    {
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity="warning"'],
      equal: ['alertname', 'database_id', 'project_id', 'issue_id', 'policy_id', 'service'],
    },
  ],
};

export interface RouteMatch {
  receiver: string;
  path: string;
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  escalation?: string;
}

export interface Compiled {
  matchers: Matcher[];
  settings: Omit<RouteMatch, 'path' | 'receiver'> & { receiver?: string };
  cont: boolean;
  children: Compiled[];
  path: string;
}

const ROOT_DEFAULTS = { groupBy: [] as string[], groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000 };

/** Validates durations, matchers and receiver references; throws InvalidInput naming the route. */
export function compileRoute(spec: RouteSpec, receivers: ReadonlySet<string> | null, policies: ReadonlySet<string> | null, parent?: Compiled, path = 'route'): Compiled {
  const at = (what: string) => `${path}.${what}`;
  const matchers = (spec.matchers ?? []).map((m) => {
    try {
      return parseMatcher(m);
    } catch (err) {
      throw new InvalidInput(`${at('matchers')}: ${(err as Error).message}`);
    }
  });
  if (spec.receiver && receivers && !receivers.has(spec.receiver)) throw new InvalidInput(`${at('receiver')}: no receiver named ${JSON.stringify(spec.receiver)}`);
  if (spec.escalation && policies && !policies.has(spec.escalation)) throw new InvalidInput(`${at('escalation')}: no escalation policy named ${JSON.stringify(spec.escalation)}`);
  const base = parent?.settings ?? { ...ROOT_DEFAULTS };
  const dur = (v: string | undefined, name: string, dflt: number) => {
    if (v === undefined) return dflt;
    try {
      return parseDuration(v, at(name));
    } catch (err) {
      throw new InvalidInput((err as Error).message);
    }
  };
  const settings = {
    receiver: spec.receiver ?? base.receiver,
    groupBy: spec.group_by ?? base.groupBy,
    groupWaitMs: dur(spec.group_wait, 'group_wait', base.groupWaitMs),
    groupIntervalMs: dur(spec.group_interval, 'group_interval', base.groupIntervalMs),
    repeatIntervalMs: dur(spec.repeat_interval, 'repeat_interval', base.repeatIntervalMs),
    escalation: spec.escalation ?? base.escalation,
  };
  if (settings.groupIntervalMs < 1000) throw new InvalidInput(`${at('group_interval')}: must be at least 1s`);
  if (settings.repeatIntervalMs < settings.groupIntervalMs) throw new InvalidInput(`${at('repeat_interval')}: must not be shorter than group_interval`);
  const node: Compiled = { matchers, settings, cont: spec.continue ?? false, children: [], path: parent ? (matchers.length ? `${parent.path}/{${matchers.map(formatMatcher).join(',')}}` : parent.path) : '{}' };
  node.children = (spec.routes ?? []).map((child, i) => compileRoute(child, receivers, policies, node, `${path}.routes[${i}]`));
  return node;
}

/** Depth-first like Alertmanager: the first matching child wins unless it says `continue`. */
export function matchRoutes(root: Compiled, labels: Labels): RouteMatch[] {
  const out: RouteMatch[] = [];
  const visit = (node: Compiled): boolean => {
    if (!matchesAll(node.matchers, labels)) return false;
    let childMatched = false;
    for (const child of node.children) {
      if (visit(child)) {
        childMatched = true;
        if (!child.cont) break;
      }
    }
    if (!childMatched && node.settings.receiver) out.push({ ...node.settings, receiver: node.settings.receiver, path: node.path });
    return true;
  };
  visit(root);
  return out;
}

export function groupLabels(groupBy: string[], labels: Labels): Labels {
  if (groupBy.includes('...')) return { ...labels };
  return Object.fromEntries(groupBy.filter((k) => labels[k] !== undefined).map((k) => [k, labels[k]!]));
}

export function groupKey(path: string, gl: Labels): string {
  return `${path}:{${Object.keys(gl).sort().map((k) => `${k}=${JSON.stringify(gl[k])}`).join(',')}}`;
}

export function validateInhibitRules(rules: InhibitRule[]): void {
  rules.forEach((r, i) => {
    for (const m of [...r.source_matchers, ...r.target_matchers]) {
      try {
        parseMatcher(m);
      } catch (err) {
        throw new InvalidInput(`inhibit_rules[${i}]: ${(err as Error).message}`);
      }
    }
  });
}

/** A target alert is muted while a different firing alert matches a rule's source with equal labels. */
export function isInhibited(target: Labels, firing: readonly Labels[], rules: readonly InhibitRule[]): boolean {
  return rules.some((r) => {
    if (!matchesAll(r.target_matchers.map(parseMatcher), target)) return false;
    const src = r.source_matchers.map(parseMatcher);
    return firing.some((s) => s !== target && matchesAll(src, s) && (r.equal ?? []).every((k) => (s[k] ?? '') === (target[k] ?? '')) && !matchesAll(r.target_matchers.map(parseMatcher), s));
  });
}

/**
 * Inhibition over a whole set of open alerts at once (the Alertmanager API's `inhibitedBy`): for
 * each muted alert, the fingerprints of the alerts muting it, with the semantics of isInhibited.
 */
export function inhibitedBy(alerts: readonly { fingerprint: string; labels: Labels }[], rules: readonly InhibitRule[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const r of rules) {
    const src = r.source_matchers.map(parseMatcher);
    const tgt = r.target_matchers.map(parseMatcher);
    const keyOf = (l: Labels) => (r.equal ?? []).map((k) => l[k] ?? '').join('\u0000');
    const sources = new Map<string, string[]>();
    for (const a of alerts) {
      if (!matchesAll(src, a.labels) || matchesAll(tgt, a.labels)) continue;
      const key = keyOf(a.labels);
      sources.set(key, [...(sources.get(key) ?? []), a.fingerprint]);
    }
    if (!sources.size) continue;
    for (const a of alerts) {
      if (!matchesAll(tgt, a.labels)) continue;
      const by = (sources.get(keyOf(a.labels)) ?? []).filter((fp) => fp !== a.fingerprint);
      if (!by.length) continue;
      const set = out.get(a.fingerprint) ?? new Set<string>();
      by.forEach((fp) => set.add(fp));
      out.set(a.fingerprint, set);
    }
  }
  return new Map([...out].map(([fp, set]) => [fp, [...set].sort()]));
}
