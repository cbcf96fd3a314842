// A threshold rule: metric, operator, a warning and/or a critical value, `for`, matchers, summary and
// runbook. Values are sent as typed and the API validates them; its problem+json names the field
// (`levels/1/value`, `for`, `name`…), and the message is shown at that field.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { alerting, unwrap } from '../../api/services';
import { isProblemError } from '../../api/problem';
import { ProblemMessage } from '../../components/problem';
import type { Rule } from './queries';

type Op = '>' | '>=' | '<' | '<=';
interface ThresholdSpec {
  name: string;
  kind: 'threshold';
  metric: string;
  op: Op;
  for: string;
  levels: { severity: 'warning' | 'critical'; value: number }[];
  matchers?: string[];
  annotations?: { summary?: string; runbook_url?: string };
}

/** What the user typed as a number: a number when it is one, else the text as is (the API says what is wrong). */
const asNumber = (text: string): number | string => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text);

export function RuleForm({ rule, onDone }: { rule?: Rule; onDone: () => void }) {
  const client = useQueryClient();
  const spec = rule?.spec as Partial<ThresholdSpec> | undefined;
  const lvl = (s: 'warning' | 'critical') => spec?.levels?.find((l) => l.severity === s)?.value;
  const [name, setName] = useState(spec?.name ?? '');
  const [metric, setMetric] = useState(spec?.metric ?? '');
  const [op, setOp] = useState<Op>(spec?.op ?? '>');
  const [warning, setWarning] = useState(lvl('warning')?.toString() ?? '');
  const [critical, setCritical] = useState(lvl('critical')?.toString() ?? '');
  const [forText, setFor] = useState(spec?.for ?? '5m');
  const [matchers, setMatchers] = useState((spec?.matchers ?? []).join('\n'));
  const [summary, setSummary] = useState(spec?.annotations?.summary ?? '');
  const [runbook, setRunbook] = useState(spec?.annotations?.runbook_url ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  // Which index of `levels` each severity went out as, to put `levels/<i>/value` errors at the right input.
  const [sentLevels, setSentLevels] = useState<string[]>([]);

  const save = useMutation({
    mutationFn: () => {
      const levels = [
        ...(warning.trim() ? [{ severity: 'warning', value: asNumber(warning) }] : []),
        ...(critical.trim() ? [{ severity: 'critical', value: asNumber(critical) }] : []),
      ];
      setSentLevels(levels.map((l) => l.severity));
      const body = {
        name: name.trim(),
        kind: 'threshold',
        metric: metric.trim(),
        op,
        for: forText.trim(),
        levels,
        matchers: matchers.split('\n').map((m) => m.trim()).filter(Boolean),
        annotations: { ...(summary.trim() ? { summary: summary.trim() } : {}), ...(runbook.trim() ? { runbook_url: runbook.trim() } : {}) },
        enabled,
      };
      // The body is the rule as typed: the API is the one validator, and names the field it refuses.
      return rule
        ? unwrap(alerting.PUT('/v1/rules/{ruleId}', { params: { path: { ruleId: rule.id } }, body: body as never }))
        : unwrap(alerting.POST('/v1/rules', { body: body as never }));
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['alerting', 'rules'] });
      onDone();
    },
  });
  const field = isProblemError(save.error) ? (save.error.problem.field ?? save.error.field) : undefined;
  const msg = save.error instanceof Error ? save.error.message : undefined;
  const at = (f: string) => (field && (field === f || field.startsWith(`${f}/`)) ? msg : undefined);
  const levelField = (s: string) => {
    const i = sentLevels.indexOf(s);
    return i < 0 ? undefined : (at(`levels/${i}/value`) ?? at(`levels/${i}`));
  };
  const shownAtField = [at('name'), at('metric'), at('op'), at('for'), at('matchers'), at('annotations'), levelField('warning'), levelField('critical'), at('levels')].some(Boolean);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <form className="panel rule-form" onSubmit={submit} aria-label={rule ? `Edit rule ${rule.name}` : 'New threshold rule'} noValidate>
      <h2>{rule ? `Edit ${rule.name}` : 'New threshold rule'}</h2>
      <div className="form-row">
        <Field label="Name" error={at('name')} hint="Becomes the alertname label">
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} className="mono" />}
        </Field>
        <Field label="Metric" error={at('metric')} hint="A sample name from perf.metrics, apm.metrics or health_score">
          {(p) => <input {...p} value={metric} onChange={(e) => setMetric(e.target.value)} className="mono" />}
        </Field>
        <Field label="Operator" error={at('op')}>
          {(p) => (
            <select {...p} value={op} onChange={(e) => setOp(e.target.value as Op)}>
              {(['>', '>=', '<', '<='] as const).map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="form-row">
        <Field label="Warning value" error={levelField('warning')} hint="Leave empty for no warning level">
          {(p) => <input {...p} value={warning} onChange={(e) => setWarning(e.target.value)} inputMode="decimal" />}
        </Field>
        <Field label="Critical value" error={levelField('critical')} hint="Leave empty for no critical level">
          {(p) => <input {...p} value={critical} onChange={(e) => setCritical(e.target.value)} inputMode="decimal" />}
        </Field>
        <Field label="For" error={at('for')} hint='How long it must hold: "30s", "5m", "1h"'>
          {(p) => <input {...p} value={forText} onChange={(e) => setFor(e.target.value)} className="mono" />}
        </Field>
      </div>
      {at('levels') && !levelField('warning') && !levelField('critical') ? <p className="field-error">{at('levels')}</p> : null}
      <Field label="Matchers" error={at('matchers')} hint='One per line, over the sample labels: database_id=~"orders.*"'>
        {(p) => <textarea {...p} rows={2} value={matchers} onChange={(e) => setMatchers(e.target.value)} className="mono" />}
      </Field>
      <div className="form-row two">
        <Field label="Summary" error={at('annotations/summary')} hint="{{ $value }} and {{ $labels.name }} are filled in">
          {(p) => <input {...p} value={summary} onChange={(e) => setSummary(e.target.value)} />}
        </Field>
        <Field label="Runbook URL" error={at('annotations/runbook_url')}>
          {(p) => <input {...p} value={runbook} onChange={(e) => setRunbook(e.target.value)} placeholder="https://…" />}
        </Field>
      </div>
      <div className="field checkbox-field">
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
        </label>
      </div>
      {save.error && !shownAtField ? <ProblemMessage error={save.error} title="Not saved" /> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {rule ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Field({ label, error, hint, children }: { label: string; error?: string; hint?: string; children: (p: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(error ? { 'aria-invalid': true as const } : {}), 'aria-describedby': describedBy })}
      {hint ? (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
