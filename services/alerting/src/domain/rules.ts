// Rule evaluation: threshold rules over metric samples (with `for`), event rules over signals.
import { Value } from '@sinclair/typebox/value';
import { fingerprint, InvalidInput, matchesAll, parseDuration, parseMatcher, type Labels } from './labels.js';
import { EventRuleSpec, ThresholdRuleSpec, type RuleSpec, type EventRule, type Severity, type ThresholdRule } from './rule-schema.js';

export interface StoredRule {
  id: string;
  spec: RuleSpec;
}

export interface Sample {
  metric: string;
  value: number;
  labels: Labels;
  /** Template values that are not labels (they would change the fingerprint). */
  info?: Labels;
  at: Date;
}

export interface Signal {
  type: string;
  /** Identity labels: they become alert labels and decide the fingerprint. */
  labels: Labels;
  /** Matchable but not identity (outcome, state, level). */
  attrs: Labels;
  annotations: Labels;
  at: Date;
}

export interface AlertDraft {
  fingerprint: string;
  severity: Severity;
  labels: Labels;
  annotations: Labels;
  ruleId?: string;
  generatorUrl?: string;
  /** Auto-resolve time, if any. */
  endsAt?: Date;
}

/** Threshold evaluation needs to know since when a condition holds. */
export interface PendingStore {
  since(fp: string): Date | undefined;
}

export type Outcome =
  | { action: 'fire'; alert: AlertDraft }
  | { action: 'pending'; alert: AlertDraft; since: Date }
  | { action: 'resolve'; fingerprint: string };

/** Checks what TypeBox cannot: matchers, durations, level ordering. Throws InvalidInput. */
export function validateRule(input: unknown): RuleSpec {
  const kind = (input as { kind?: unknown } | null)?.kind;
  // Checked against the one schema its kind names, so errors point at the field, not at the union.
  const schema = kind === 'threshold' ? ThresholdRuleSpec : kind === 'event' ? EventRuleSpec : undefined;
  if (!schema) throw new InvalidInput(`rule kind must be "threshold" or "event", got ${JSON.stringify(kind ?? null)}`);
  const withDefaults = Value.Default(schema, structuredClone(input));
  const errors = [...Value.Errors(schema, withDefaults)];
  if (errors.length) {
    const first = errors.slice(0, 3).map((e) => `${e.path || '/'}: ${e.message}`);
    throw new InvalidInput(`rule is malformed: ${first.join('; ')}`, errors[0]!.path.replace(/^\//, '') || undefined);
  }
  const spec = withDefaults as RuleSpec;
  (spec.matchers ?? []).forEach((m, i) => fieldCheck(`matchers/${i}`, () => parseMatcher(m)));
  if (spec.kind === 'threshold') {
    parseDuration(spec.for, 'for', 'for');
    const severities = spec.levels.map((l) => l.severity);
    if (new Set(severities).size !== severities.length) throw new InvalidInput('levels: each severity may appear once', 'levels');
    checkLevelOrder(spec);
  } else {
    (spec.resolveMatchers ?? []).forEach((m, i) => fieldCheck(`resolveMatchers/${i}`, () => parseMatcher(m)));
    if (spec.resolveAfter) parseDuration(spec.resolveAfter, 'resolveAfter', 'resolveAfter');
  }
  if ('alertname' in spec.labels || 'severity' in spec.labels) throw new InvalidInput('labels: alertname and severity are set by the rule itself', 'labels');
  return spec;
}

/** Runs a check whose InvalidInput should name this field. */
function fieldCheck(field: string, check: () => unknown): void {
  try {
    check();
  } catch (err) {
    throw err instanceof InvalidInput ? new InvalidInput(`${field}: ${err.message}`, field) : err;
  }
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** A more severe level must be further past the threshold: above the milder one for > and >=, below it for < and <=. */
function checkLevelOrder(spec: ThresholdRule): void {
  const rising = spec.op === '>' || spec.op === '>=';
  const byRank = spec.levels.map((l, i) => ({ ...l, i })).sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  for (let k = 1; k < byRank.length; k++) {
    const milder = byRank[k - 1]!;
    const worse = byRank[k]!;
    const ok = rising ? worse.value > milder.value : worse.value < milder.value;
    if (!ok) {
      throw new InvalidInput(
        `levels/${worse.i}/value: the ${worse.severity} value (${worse.value}) must be ${rising ? 'above' : 'below'} the ${milder.severity} value (${milder.value}) for op "${spec.op}"`,
        `levels/${worse.i}/value`,
      );
    }
  }
}

/** A rule as the API takes it: the spec plus `enabled` (default true). */
export function ruleFromBody(body: Record<string, unknown>): { spec: RuleSpec; enabled: boolean } {
  const { enabled, ...spec } = body;
  return { spec: validateRule(spec), enabled: enabled !== false };
}

/** Builtin rules ship with Vigil and are read-only; a tenant writes a rule of its own instead. */
export class RuleReadOnly extends Error {
  override readonly name = 'RuleReadOnly';
}

export function assertEditable(rule: { builtin: boolean } | undefined): void {
  if (rule?.builtin) throw new RuleReadOnly('builtin rules are read-only; create a rule of your own');
}

const compare = (op: ThresholdRule['op'], v: number, t: number) => (op === '>' ? v > t : op === '>=' ? v >= t : op === '<' ? v < t : v <= t);

/** `{{ $value }}` and `{{ $labels.name }}` in annotations. */
export function expand(template: string, labels: Labels, value?: number): string {
  return template.replace(/\{\{\s*\$(value|labels\.([a-zA-Z_][a-zA-Z0-9_]*))\s*\}\}/g, (_, what: string, label?: string) =>
    what === 'value' ? (value === undefined ? '' : String(Number(value.toFixed(4)))) : (labels[label!] ?? ''),
  );
}

const expandAll = (annotations: Labels, labels: Labels, value?: number) =>
  Object.fromEntries(Object.entries(annotations).map(([k, v]) => [k, expand(v, labels, value)]));

/** One outcome per level of the rule for this sample, or none if the sample does not concern the rule. */
export function evaluateThreshold(rule: StoredRule & { spec: ThresholdRule }, s: Sample, pending: PendingStore): Outcome[] {
  const spec = rule.spec;
  if (s.metric !== spec.metric || !matchesAll((spec.matchers ?? []).map(parseMatcher), s.labels)) return [];
  const forMs = parseDuration(spec.for);
  return spec.levels.map((level) => {
    const labels = { ...s.labels, ...spec.labels, alertname: spec.name, severity: level.severity };
    const fp = fingerprint(labels);
    if (!compare(spec.op, s.value, level.value)) return { action: 'resolve', fingerprint: fp };
    const alert: AlertDraft = { fingerprint: fp, severity: level.severity, labels, annotations: expandAll(spec.annotations, { ...s.info, ...labels }, s.value), ruleId: rule.id };
    const since = pending.since(fp) ?? s.at;
    return s.at.getTime() - since.getTime() >= forMs ? { action: 'fire', alert } : { action: 'pending', alert, since };
  });
}

export function evaluateEvent(rule: StoredRule & { spec: EventRule }, sig: Signal): Outcome | undefined {
  const spec = rule.spec;
  if (sig.type !== spec.event) return undefined;
  const all = { ...sig.attrs, ...sig.labels };
  const labels = { ...sig.labels, ...spec.labels, alertname: spec.name, severity: spec.severity };
  const fp = fingerprint(labels);
  if (matchesAll((spec.matchers ?? []).map(parseMatcher), all)) {
    const annotations = { ...sig.annotations, ...expandAll(spec.annotations, all) };
    const endsAt = spec.resolveAfter ? new Date(sig.at.getTime() + parseDuration(spec.resolveAfter)) : undefined;
    return { action: 'fire', alert: { fingerprint: fp, severity: spec.severity, labels, annotations, ruleId: rule.id, endsAt } };
  }
  if (spec.resolveMatchers?.length && matchesAll(spec.resolveMatchers.map(parseMatcher), all)) return { action: 'resolve', fingerprint: fp };
  return undefined;
}
