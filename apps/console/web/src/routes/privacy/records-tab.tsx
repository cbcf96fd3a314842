// Records of processing activities (Art. 30(1)(a)-(g)): the register, one record's detail, and its form.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { gdpr, unwrap } from '../../api/services';
import { useCan } from '../../app/session';
import { EmptyState } from '../../components/empty-state';
import { Loading } from '../../components/loading';
import { FormProblem, fieldError } from '../../components/problem';
import { ProblemMessage } from '../../components/problem';
import { Time } from '../../components/time';
import { processingRecordsQuery, type ProcessingRecord } from './queries';

const lines = (v: string) =>
  v
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

interface Draft {
  name: string;
  controllerName: string;
  controllerContact: string;
  dpo: string;
  representative: string;
  purposes: string;
  subjects: string;
  categories: string;
  recipients: string;
  transfers: string;
  retention: string;
  security: string;
}

const draftOf = (r?: ProcessingRecord): Draft => ({
  name: r?.name ?? '',
  controllerName: r?.controller.name ?? '',
  controllerContact: r?.controller.contact ?? '',
  dpo: r?.controller.dpo ?? '',
  representative: r?.controller.representative ?? '',
  purposes: r?.purposes.join('\n') ?? '',
  subjects: r?.dataSubjectCategories.join('\n') ?? '',
  categories: r?.dataCategories.join('\n') ?? '',
  recipients: r?.recipients.join('\n') ?? '',
  transfers: r?.thirdCountryTransfers.map((t) => `${t.country}: ${t.safeguards}`).join('\n') ?? '',
  retention: r?.retention ?? '',
  security: r?.securityMeasures ?? '',
});

const FIELDS: { key: keyof Draft; label: string; article: string; hint?: string; area?: boolean; api: string }[] = [
  { key: 'controllerName', label: 'Controller', article: '(a)', api: 'controller' },
  { key: 'controllerContact', label: 'Controller contact', article: '(a)', api: 'controller' },
  { key: 'dpo', label: 'Data protection officer (optional)', article: '(a)', api: 'controller' },
  { key: 'representative', label: 'Representative (optional)', article: '(a)', api: 'controller' },
  { key: 'purposes', label: 'Purposes', article: '(b)', hint: 'One per line', area: true, api: 'purposes' },
  { key: 'subjects', label: 'Categories of data subjects', article: '(c)', hint: 'One per line', area: true, api: 'dataSubjectCategories' },
  { key: 'categories', label: 'Categories of personal data', article: '(c)', hint: 'One per line', area: true, api: 'dataCategories' },
  { key: 'recipients', label: 'Recipients', article: '(d)', hint: 'One per line', area: true, api: 'recipients' },
  { key: 'transfers', label: 'Transfers to third countries', article: '(e)', hint: 'One per line: "country: safeguards"', area: true, api: 'thirdCountryTransfers' },
  { key: 'retention', label: 'Time limits for erasure', article: '(f)', area: true, api: 'retention' },
  { key: 'security', label: 'Technical and organisational security measures', article: '(g)', area: true, api: 'securityMeasures' },
];

function RecordForm({ record, onDone }: { record?: ProcessingRecord; onDone: (id: string) => void }) {
  const client = useQueryClient();
  const [d, setD] = useState<Draft>(() => draftOf(record));
  const save = useMutation({
    mutationFn: async () =>
      (await unwrap(
        gdpr.PUT('/v1/processing-records/{recordName}', {
          params: { path: { recordName: d.name.trim() } },
          body: {
            controller: {
              name: d.controllerName.trim(),
              contact: d.controllerContact.trim(),
              ...(d.dpo.trim() ? { dpo: d.dpo.trim() } : {}),
              ...(d.representative.trim() ? { representative: d.representative.trim() } : {}),
            },
            purposes: lines(d.purposes),
            dataSubjectCategories: lines(d.subjects),
            dataCategories: lines(d.categories),
            recipients: lines(d.recipients),
            thirdCountryTransfers: d.transfers
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean)
              .map((l) => {
                const i = l.indexOf(':');
                return i < 0 ? { country: l, safeguards: '' } : { country: l.slice(0, i).trim(), safeguards: l.slice(i + 1).trim() };
              }),
            retention: d.retention.trim(),
            securityMeasures: d.security.trim(),
          },
        }),
      )) as unknown as ProcessingRecord,
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['gdpr', 'processing-records'] });
      onDone(saved.id);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} className="record-form" aria-label={record ? `Edit ${record.name}` : 'New record of processing'}>
      {!record ? (
        <div className="field">
          <label htmlFor="rec-name">Name</label>
          <input id="rec-name" value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} pattern="[a-z0-9_.:\-]+" required aria-describedby="rec-name-hint" />
          <span className="hint" id="rec-name-hint">
            Lower case, digits and _ . : - (e.g. crm.newsletter)
          </span>
        </div>
      ) : null}
      <div className="form-grid">
        {FIELDS.map((f) => {
          const err = fieldError(save.error, f.api);
          const id = `rec-${f.key}`;
          const props = { id, value: d[f.key], onChange: (e: { target: { value: string } }) => setD({ ...d, [f.key]: e.target.value }), 'aria-invalid': err ? true : undefined };
          return (
            <div className={`field ${f.area ? 'wide' : ''}`} key={f.key}>
              <label htmlFor={id}>
                {f.label} <span className="muted small">Art. 30(1){f.article}</span>
              </label>
              {f.area ? <textarea rows={2} {...props} /> : <input {...props} />}
              {f.hint ? <span className="hint">{f.hint}</span> : null}
              {err ? <span className="field-error">{err}</span> : null}
            </div>
          );
        })}
      </div>
      <FormProblem error={save.error} fields={FIELDS.map((f) => f.api)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save record
        </button>
        <Link from="/privacy" to="/privacy" search={(s) => ({ ...s, edit: undefined, record: record?.id })} className="button">
          Cancel
        </Link>
      </div>
    </form>
  );
}

function RecordView({ r }: { r: ProcessingRecord }) {
  const list = (v: string[]) => (v.length ? v.join(', ') : <span className="muted">none</span>);
  return (
    <dl className="facts wide">
      <dt>Controller (a)</dt>
      <dd>
        {r.controller.name} · {r.controller.contact}
        {r.controller.dpo ? ` · DPO ${r.controller.dpo}` : ''}
      </dd>
      <dt>Purposes (b)</dt>
      <dd>{list(r.purposes)}</dd>
      <dt>Data subjects (c)</dt>
      <dd>{list(r.dataSubjectCategories)}</dd>
      <dt>Personal data (c)</dt>
      <dd>{list(r.dataCategories)}</dd>
      <dt>Recipients (d)</dt>
      <dd>{list(r.recipients)}</dd>
      <dt>Third countries (e)</dt>
      <dd>{r.thirdCountryTransfers.length ? r.thirdCountryTransfers.map((t) => `${t.country} (${t.safeguards})`).join('; ') : <span className="muted">none</span>}</dd>
      <dt>Erasure time limits (f)</dt>
      <dd>{r.retention}</dd>
      <dt>Security measures (g)</dt>
      <dd>{r.securityMeasures}</dd>
    </dl>
  );
}

export function RecordsTab() {
  const search = useSearch({ from: '/app/privacy' });
  const navigate = useNavigate({ from: '/privacy' });
  const canWrite = useCan('write');
  const { data, error, isPending } = useQuery(processingRecordsQuery);
  if (error) return <ProblemMessage error={error} title="Could not load the records of processing" />;
  if (isPending) return <Loading />;
  const creating = search.edit === 'yes' && search.record === 'new';
  const selected = data.find((r) => r.id === search.record) ?? (creating ? undefined : data[0]);
  const editing = search.edit === 'yes' && !!selected && !creating;
  const done = (id: string) => void navigate({ search: (s) => ({ ...s, edit: undefined, record: id }) });
  return (
    <div className="master-detail">
      <section className="panel" aria-labelledby="rec-list-h">
        <div className="panel-head">
          <h2 id="rec-list-h">Activities ({data.length})</h2>
          {canWrite ? (
            <Link from="/privacy" to="/privacy" search={(s) => ({ ...s, record: 'new', edit: 'yes' })} className="button">
              New record
            </Link>
          ) : null}
        </div>
        {!data.length ? (
          <EmptyState title="No record of processing yet.">Art. 30 asks every controller to keep one per processing activity.</EmptyState>
        ) : (
          <ul className="pick-list">
            {data.map((r) => (
              <li key={r.id} className={r.id === selected?.id ? 'selected' : undefined}>
                <Link from="/privacy" to="/privacy" search={(s) => ({ ...s, record: r.id, edit: undefined })} aria-current={r.id === selected?.id ? 'true' : undefined}>
                  <span className="mono">{r.name}</span>
                  <span className="muted small">{r.purposes.join(', ')}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel" aria-label={creating ? 'New record of processing' : selected ? `Record ${selected.name}` : 'Record'}>
        {creating ? (
          <>
            <h2>New record of processing</h2>
            <RecordForm onDone={done} />
          </>
        ) : selected ? (
          <>
            <div className="panel-head">
              <h2 className="mono">{selected.name}</h2>
              <span className="muted small">
                updated <Time at={selected.updatedAt} />
              </span>
              {canWrite && !editing ? (
                <Link from="/privacy" to="/privacy" search={(s) => ({ ...s, record: selected.id, edit: 'yes' })} className="button">
                  Edit
                </Link>
              ) : null}
            </div>
            {editing ? <RecordForm key={selected.id} record={selected} onDone={done} /> : <RecordView r={selected} />}
          </>
        ) : (
          <p className="muted">Select a record.</p>
        )}
      </section>
    </div>
  );
}
