// The Art. 33(3) information of a breach as a form that lists the fields still missing (Art. 33(4): they may
// follow in phases); saving sends only what changed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { gdpr, unwrap } from '../../api/services';
import { FormProblem } from '../../components/problem';
import type { Art33Field, Breach } from './queries';

const ART33: { field: Art33Field; label: string; article: string; kind: 'text' | 'area' | 'number' | 'list' }[] = [
  { field: 'nature', label: 'Nature of the breach', article: 'Art. 33(3)(a)', kind: 'area' },
  { field: 'dataCategories', label: 'Categories of personal data', article: 'Art. 33(3)(a)', kind: 'list' },
  { field: 'approxSubjects', label: 'Approximate number of data subjects', article: 'Art. 33(3)(a)', kind: 'number' },
  { field: 'approxRecords', label: 'Approximate number of records', article: 'Art. 33(3)(a)', kind: 'number' },
  { field: 'dpoContact', label: 'DPO or other contact point', article: 'Art. 33(3)(b)', kind: 'text' },
  { field: 'likelyConsequences', label: 'Likely consequences', article: 'Art. 33(3)(c)', kind: 'area' },
  { field: 'measures', label: 'Measures taken or proposed', article: 'Art. 33(3)(d)', kind: 'area' },
];
const LABEL = Object.fromEntries(ART33.map((f) => [f.field, f.label])) as Record<Art33Field, string>;

type Values = Record<Art33Field, string>;
const valuesOf = (b: Breach): Values => ({
  nature: b.nature ?? '',
  dataCategories: b.dataCategories.join(', '),
  approxSubjects: b.approxSubjects === null ? '' : String(b.approxSubjects),
  approxRecords: b.approxRecords === null ? '' : String(b.approxRecords),
  dpoContact: b.dpoContact ?? '',
  likelyConsequences: b.likelyConsequences ?? '',
  measures: b.measures ?? '',
});

function patchOf(v: Values, b: Breach): Record<string, unknown> {
  const before = valuesOf(b);
  const out: Record<string, unknown> = {};
  for (const f of ART33) {
    const raw = v[f.field].trim();
    if (!raw || raw === before[f.field]) continue;
    out[f.field] = f.kind === 'number' ? Number(raw) : f.kind === 'list' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw;
  }
  return out;
}

export function Art33Form({ b, canWrite }: { b: Breach; canWrite: boolean }) {
  const client = useQueryClient();
  // The draft starts from the breach and follows what the server saved; a refetch meanwhile does not wipe typing.
  const [v, setV] = useState<Values>(() => valuesOf(b));
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) => unwrap(gdpr.PATCH('/v1/breaches/{breachId}', { params: { path: { breachId: b.id } }, body })),
    onSuccess: (saved) => {
      setV(valuesOf(saved));
      return client.invalidateQueries({ queryKey: ['gdpr', 'breaches'] });
    },
  });
  const missing = new Set(b.missingFields);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = patchOf(v, b);
    if (Object.keys(body).length) save.mutate(body);
  };
  return (
    <form onSubmit={submit} aria-labelledby="art33-h">
      <div className="panel-head">
        <h3 id="art33-h">Information for the authority (Art. 33(3))</h3>
      </div>
      {b.missingFields.length ? (
        <div className="notice" role="status" data-testid="missing-fields">
          <strong>
            {b.missingFields.length} of {ART33.length} still missing:
          </strong>
          <ul>
            {b.missingFields.map((f) => (
              <li key={f}>{LABEL[f]}</li>
            ))}
          </ul>
          <span className="small">Art. 33(4): what is not known yet may follow in phases, without undue further delay.</span>
        </div>
      ) : (
        <p className="ok-line" role="status" data-testid="missing-fields">
          ✓ Every Art. 33(3) field is recorded.
        </p>
      )}
      <div className="form-grid">
        {ART33.map((f) => {
          const id = `b-${f.field}`;
          const props = {
            id,
            value: v[f.field],
            readOnly: !canWrite,
            'aria-invalid': missing.has(f.field) ? true : undefined,
            'aria-describedby': missing.has(f.field) ? `${id}-missing` : undefined,
            onChange: (e: { target: { value: string } }) => setV({ ...v, [f.field]: e.target.value }),
          };
          return (
            <div className={`field ${f.kind === 'area' ? 'wide' : ''}`} key={f.field}>
              <label htmlFor={id}>
                {f.label} <span className="muted small">{f.article}</span>
              </label>
              {f.kind === 'area' ? <textarea rows={2} {...props} /> : <input type={f.kind === 'number' ? 'number' : 'text'} min={0} {...props} />}
              {f.kind === 'list' ? <span className="hint">Comma-separated</span> : null}
              {missing.has(f.field) ? (
                <span className="missing" id={`${id}-missing`}>
                  Missing
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      <FormProblem error={save.error} fields={[]} />
      {canWrite ? (
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            Save information
          </button>
        </div>
      ) : null}
    </form>
  );
}

