// Create or edit a silence: matchers (prefilled from an alert or a selection), a duration or an end time,
// "until resolved", a comment; while editing, the open alerts it would silence are previewed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link } from '@tanstack/react-router';
import { alerting, unwrap } from '../../api/services';
import { isProblemError } from '../../api/problem';
import { LabelMatcherInput, formatMatcher, tryParseMatchers } from '../../components/label-matcher';
import { ProblemMessage } from '../../components/problem';
import { formatDuration } from '../../components/time';
import { silencePreviewQuery, type Silence } from './queries';

const DURATIONS = [
  { label: '1 h', ms: 3_600_000 },
  { label: '4 h', ms: 4 * 3_600_000 },
  { label: '1 d', ms: 86_400_000 },
  { label: '7 d', ms: 7 * 86_400_000 },
];

/** `<input type="datetime-local">` works in the browser's local time. */
const toLocalInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const fromLocalInput = (v: string) => new Date(v);

export function SilenceForm({ silence, prefill, onDone }: { silence?: Silence; prefill?: string; onDone: (saved?: Silence) => void }) {
  const client = useQueryClient();
  const ids = { ends: useId(), comment: useId(), until: useId() };
  const [matcherText, setMatcherText] = useState(silence ? silence.matchers.join(', ') : (prefill ?? ''));
  const [endsAt, setEndsAt] = useState(toLocalInput(silence?.endsAt ? new Date(silence.endsAt) : new Date(Date.now() + 2 * 3_600_000)));
  const [untilResolved, setUntilResolved] = useState(silence?.untilResolved ?? false);
  const [noEnd, setNoEnd] = useState(silence ? !silence.endsAt : false);
  const [comment, setComment] = useState(silence?.comment ?? '');
  const parsed = tryParseMatchers(matcherText);
  const matchers = parsed.matchers.map(formatMatcher);
  const preview = useQuery(silencePreviewQuery(parsed.error ? [] : matchers));

  const save = useMutation({
    mutationFn: () => {
      const body = {
        matchers,
        ...(untilResolved && noEnd ? {} : { endsAt: fromLocalInput(endsAt).toISOString() }),
        untilResolved,
        comment: comment.trim(),
      };
      return silence
        ? unwrap(alerting.PUT('/v1/silences/{silenceId}', { params: { path: { silenceId: silence.id } }, body: { ...body, startsAt: silence.startsAt } }))
        : unwrap(alerting.POST('/v1/silences', { body }));
    },
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['alerting'] });
      onDone(saved);
    },
  });
  const field = isProblemError(save.error) ? save.error.field : undefined;
  const fieldMsg = (f: string) => (field && (field === f || field.startsWith(`${f}/`)) ? save.error?.message : undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!parsed.error && matchers.length) save.mutate();
  };
  const endsIn = Date.parse(fromLocalInput(endsAt).toISOString()) - Date.now();

  return (
    <form className="panel silence-form" onSubmit={submit} aria-label={silence ? 'Edit silence' : 'New silence'}>
      <h2>{silence ? 'Edit silence' : 'New silence'}</h2>
      <div className="silence-form-grid">
        <div>
          <LabelMatcherInput
            label="Matchers"
            value={matcherText}
            onChange={setMatcherText}
            hint="Alerts matching every matcher are silenced. Remove the labels that should not matter."
            error={fieldMsg('matchers')}
          />
          <div className="field">
            <span className="field-label" id={`${ids.ends}-l`}>
              Duration
            </span>
            <div className="actions" role="group" aria-labelledby={`${ids.ends}-l`}>
              {DURATIONS.map((d) => (
                <button key={d.label} type="button" onClick={() => { setNoEnd(false); setEndsAt(toLocalInput(new Date(Date.now() + d.ms))); }}>
                  {d.label}
                </button>
              ))}
            </div>
          </div>
          <div className="form-row">
            <div className="field">
              <label htmlFor={ids.ends}>Ends at</label>
              <input
                id={ids.ends}
                type="datetime-local"
                value={endsAt}
                disabled={untilResolved && noEnd}
                onChange={(e) => setEndsAt(e.target.value)}
                aria-invalid={fieldMsg('endsAt') ? true : undefined}
                aria-describedby={`${ids.ends}-hint`}
              />
              <span className="hint" id={`${ids.ends}-hint`}>
                {untilResolved && noEnd ? 'No end: it lasts until the alerts resolve.' : endsIn > 0 ? `In ${formatDuration(endsIn / 1000)}.` : 'That is in the past.'}
              </span>
              {fieldMsg('endsAt') ? <span className="field-error">{fieldMsg('endsAt')}</span> : null}
            </div>
          </div>
          <div className="field checkbox-field">
            <label>
              <input type="checkbox" checked={untilResolved} onChange={(e) => setUntilResolved(e.target.checked)} /> Until resolved: expire once every alert it matches has resolved
            </label>
            {untilResolved ? (
              <label>
                <input type="checkbox" checked={noEnd} onChange={(e) => setNoEnd(e.target.checked)} /> No end time
              </label>
            ) : null}
          </div>
          <div className="field">
            <label htmlFor={ids.comment}>Comment</label>
            <textarea id={ids.comment} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} placeholder="Why, and until what" />
          </div>
          {save.error && !fieldMsg('matchers') && !fieldMsg('endsAt') ? <ProblemMessage error={save.error} title="Not saved" /> : null}
          <div className="actions">
            <button type="submit" className="primary" disabled={save.isPending || !!parsed.error || !matchers.length}>
              {silence ? 'Save silence' : 'Create silence'}
            </button>
            <button type="button" onClick={() => onDone()}>
              Cancel
            </button>
          </div>
        </div>
        <aside className="silence-preview" aria-label="Affected alerts" aria-live="polite">
          <h3>
            Affected alerts{' '}
            {preview.data ? (
              <span className="badge" data-testid="preview-count">
                {preview.data.total}
              </span>
            ) : null}
          </h3>
          {!matchers.length ? <p className="muted">Add a matcher to see which open alerts it silences.</p> : null}
          {preview.data && !preview.data.total ? <p className="muted">No open alert matches right now; it still silences alerts that match later.</p> : null}
          <ul className="preview-list">
            {preview.data?.items.map((a) => (
              <li key={a.id}>
                <span className={`badge ${a.severity}`}>{a.severity}</span>{' '}
                <Link to="/alerts/$alertId" params={{ alertId: a.id }}>
                  {a.labels.alertname ?? a.fingerprint}
                </Link>
                <div className="muted mono preview-labels">
                  {Object.entries(a.labels)
                    .filter(([k]) => k !== 'alertname')
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' ')}
                </div>
              </li>
            ))}
          </ul>
          {preview.data && preview.data.total > preview.data.items.length ? <p className="muted">and {preview.data.total - preview.data.items.length} more</p> : null}
        </aside>
      </div>
    </form>
  );
}
