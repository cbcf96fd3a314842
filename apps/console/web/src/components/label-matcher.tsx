// Alertmanager label matchers (`severity="critical"`, `service=~"api.*"`, `env!="dev"`, `team!~"db|infra"`):
// a parser that says what is wrong and where, matching over a label set, and an input that shows each
// parsed matcher as a removable chip. Regular expressions are anchored, as Alertmanager's are.
import { useId, useState, type KeyboardEvent } from 'react';

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface LabelMatcher {
  name: string;
  op: MatchOp;
  value: string;
}
export type Labels = Record<string, string>;

const ONE = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^",\s{}]*))\s*$/;

export class MatcherSyntaxError extends Error {
  override readonly name = 'MatcherSyntaxError';
}

/** Splits `a="x,y", b=~"z"` (optionally wrapped in `{…}`) at the commas outside quotes. */
function split(text: string): string[] {
  let t = text.trim();
  if (t.startsWith('{') && t.endsWith('}')) t = t.slice(1, -1);
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === '\\' && quoted) {
      cur += c + (t[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if ((c === ',' || c === '\n') && !quoted) {
      if (cur.trim()) parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (quoted) throw new MatcherSyntaxError(`unclosed quote in ${JSON.stringify(text.trim())}`);
  if (cur.trim()) parts.push(cur);
  return parts;
}

export function parseMatcher(text: string): LabelMatcher {
  const m = ONE.exec(text);
  if (!m) throw new MatcherSyntaxError(`${JSON.stringify(text.trim())} is not a matcher like name="value" (operators =, !=, =~, !~)`);
  const op = m[2] as MatchOp;
  const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : (m[4] ?? '');
  if (op === '=~' || op === '!~') {
    try {
      new RegExp(`^(?:${value})$`);
    } catch (e) {
      throw new MatcherSyntaxError(`${JSON.stringify(text.trim())}: invalid regular expression (${(e as Error).message})`);
    }
  }
  return { name: m[1]!, op, value };
}

/** Every matcher of a comma-separated list; throws MatcherSyntaxError naming the first bad one. */
export function parseMatchers(text: string): LabelMatcher[] {
  return split(text).map(parseMatcher);
}

/** The list, or the error, without throwing (for inputs that validate as you type). */
export function tryParseMatchers(text: string): { matchers: LabelMatcher[]; error?: string } {
  try {
    return { matchers: parseMatchers(text) };
  } catch (e) {
    return { matchers: [], error: (e as Error).message };
  }
}

export const formatMatcher = (m: LabelMatcher): string => `${m.name}${m.op}${JSON.stringify(m.value)}`;
export const formatMatchers = (ms: readonly LabelMatcher[]): string => ms.map(formatMatcher).join(', ');

const regexes = new Map<string, RegExp>();
function anchored(pattern: string): RegExp {
  let re = regexes.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`);
    regexes.set(pattern, re);
  }
  return re;
}

export function matches(m: LabelMatcher, labels: Labels): boolean {
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

export const matchesAll = (ms: readonly LabelMatcher[], labels: Labels): boolean => ms.every((m) => matches(m, labels));

/** Escapes a literal for use inside a matcher's regular expression. */
export const regexLiteral = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Matchers that select exactly these label sets' shared labels: a label with one value is `=`, a label
 * every set has with different values is `=~"a|b"`. What a silence of a selection starts from.
 */
export function matchersFor(sets: readonly Labels[]): LabelMatcher[] {
  if (!sets.length) return [];
  const names = Object.keys(sets[0]!).filter((n) => sets.every((s) => n in s));
  return names.sort().map((name) => {
    const values = [...new Set(sets.map((s) => s[name]!))].sort();
    return values.length === 1 ? { name, op: '=' as const, value: values[0]! } : { name, op: '=~' as const, value: values.map(regexLiteral).join('|') };
  });
}

/**
 * A text input for a matcher list, with the parsed matchers as chips (each removable) and the parse
 * error under the field. `value` is the list as text (what goes in the URL); `onChange` gets it back
 * only when it parses, on Enter or blur.
 */
export function LabelMatcherInput({
  value,
  onChange,
  label,
  placeholder = 'severity="critical", service=~"api.*"',
  hint,
  error: outsideError,
}: {
  value: string;
  onChange: (text: string) => void;
  label: string;
  placeholder?: string;
  hint?: string;
  /** An error about the matchers from elsewhere (e.g. the API's detail). */
  error?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | undefined>();
  const text = draft ?? value;
  const parsed = tryParseMatchers(value);
  const draftError = draft !== undefined ? tryParseMatchers(draft).error : undefined;
  const error = draftError ?? outsideError;
  const commit = () => {
    if (draft === undefined) return;
    const r = tryParseMatchers(draft);
    if (r.error) return;
    onChange(formatMatchers(r.matchers));
    setDraft(undefined);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit();
    }
    if (e.key === 'Escape') setDraft(undefined);
  };
  const remove = (i: number) => onChange(formatMatchers(parsed.matchers.filter((_, k) => k !== i)));
  return (
    <div className="field label-matcher">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="mono"
        value={text}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKey}
        onBlur={commit}
      />
      <span id={`${id}-hint`} className="hint">
        {hint ?? 'Comma-separated; operators = != =~ !~ (regular expressions match the whole value). Enter applies.'}
      </span>
      {error ? (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
      {parsed.matchers.length ? (
        <ul className="matcher-chips" aria-label="Applied matchers">
          {parsed.matchers.map((m, i) => (
            <li key={`${formatMatcher(m)}-${i}`} className="matcher-chip mono">
              <span>{formatMatcher(m)}</span>
              <button type="button" aria-label={`Remove ${formatMatcher(m)}`} onClick={() => remove(i)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
