// Alert receivers (Slack, PagerDuty, webhook) of this tenant, with "Send test notification". Admins only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { useId, useState, type FormEvent } from 'react';
import { queryOptions } from '@tanstack/react-query';
import { alerting, allItems, unwrap } from '../../api/services';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { FormProblem, ProblemMessage, fieldError } from '../../components/problem';

type Kind = 'slack' | 'pagerduty' | 'webhook';
type ReceiverBody =
  | { kind: 'slack'; webhookUrl: string; channel?: string }
  | { kind: 'pagerduty'; routingKey: string; url?: string }
  | { kind: 'webhook'; url: string; secret: string };

const receiversQuery = queryOptions({ queryKey: ['alerting', 'receivers'], queryFn: () => allItems((cursor) => alerting.GET('/v1/receivers', { params: { query: { cursor, limit: 1000 } } })) });

/** What a receiver sends to, without its secrets (routing keys, webhook secrets, Slack URL paths). */
function describe(config: unknown): { kind: string; target: string } {
  const c = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  const host = (u: unknown) => {
    try {
      return new URL(String(u)).host;
    } catch {
      return '';
    }
  };
  if (c.kind === 'slack') return { kind: 'Slack', target: `${host(c.webhookUrl)}${c.channel ? ` · ${String(c.channel)}` : ''}` };
  if (c.kind === 'pagerduty') return { kind: 'PagerDuty', target: c.url ? host(c.url) : 'events.pagerduty.com' };
  if (c.kind === 'webhook') return { kind: 'Webhook', target: host(c.url) };
  return { kind: String(c.kind ?? 'unknown'), target: '' };
}

function ReceiverRow({ name, config }: { name: string; config: unknown }) {
  const client = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const test = useMutation({ mutationFn: () => unwrap(alerting.POST('/v1/receivers/{receiverName}/test', { params: { path: { receiverName: name } } })) });
  const remove = useMutation({
    mutationFn: () => unwrap(alerting.DELETE('/v1/receivers/{receiverName}', { params: { path: { receiverName: name } } })),
    onSettled: () => client.invalidateQueries({ queryKey: receiversQuery.queryKey }),
  });
  const d = describe(config);
  return (
    <tr>
      <td className="wrap-anywhere">
        <strong>{name}</strong>
        <ProblemMessage error={test.error ?? remove.error} title="Failed" />
        {test.isSuccess ? (
          <div role="status" className="muted">
            Test notification queued (idempotency key <span className="mono">{test.data.idempotencyKey}</span>); see its delivery in the alerting history.
          </div>
        ) : null}
      </td>
      <td>{d.kind}</td>
      <td className="wrap-anywhere">{d.target}</td>
      <td>
        <span className="key-row-actions">
          <button type="button" onClick={() => test.mutate()} disabled={test.isPending} aria-label={`Send test notification to ${name}`}>
            Send test notification
          </button>
          <button type="button" className="danger" onClick={() => setConfirm(true)}>
            Delete {name}
          </button>
        </span>
        <ConfirmDialog
          open={confirm}
          title={`Delete the receiver ${name}?`}
          confirmLabel={`Delete ${name}`}
          busy={remove.isPending}
          onConfirm={() => remove.mutate(undefined, { onSettled: () => setConfirm(false) })}
          onCancel={() => setConfirm(false)}
        >
          Routes that send to it stop notifying anyone until they name another receiver.
        </ConfirmDialog>
      </td>
    </tr>
  );
}

function ReceiverForm() {
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('slack');
  const [f, setF] = useState({ webhookUrl: '', channel: '', routingKey: '', url: '', secret: '' });
  const id = useId();
  const body = (): ReceiverBody =>
    kind === 'slack'
      ? { kind, webhookUrl: f.webhookUrl.trim(), ...(f.channel.trim() ? { channel: f.channel.trim() } : {}) }
      : kind === 'pagerduty'
        ? { kind, routingKey: f.routingKey.trim(), ...(f.url.trim() ? { url: f.url.trim() } : {}) }
        : { kind, url: f.url.trim(), secret: f.secret };
  const save = useMutation({
    mutationFn: () => unwrap(alerting.PUT('/v1/receivers/{receiverName}', { params: { path: { receiverName: name.trim() } }, body: body() })),
    onSuccess: () => {
      setName('');
      setF({ webhookUrl: '', channel: '', routingKey: '', url: '', secret: '' });
      void client.invalidateQueries({ queryKey: receiversQuery.queryKey });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const input = (field: keyof typeof f, label: string, opts: { type?: string; hint?: string; required?: boolean } = {}) => {
    const err = fieldError(save.error, field);
    return (
      <div className="field">
        <label htmlFor={`${id}-${field}`}>{label}</label>
        <input
          id={`${id}-${field}`}
          type={opts.type ?? 'text'}
          value={f[field]}
          required={opts.required}
          onChange={(e) => setF({ ...f, [field]: e.target.value })}
          aria-invalid={!!err}
          aria-describedby={opts.hint ? `${id}-${field}-h` : undefined}
        />
        {opts.hint ? (
          <span className="hint" id={`${id}-${field}-h`}>
            {opts.hint}
          </span>
        ) : null}
        {err ? <span className="field-error">{err}</span> : null}
      </div>
    );
  };
  return (
    <form className="panel settings-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Add or replace a receiver</h2>
      <div className="field">
        <label htmlFor={`${id}-name`}>Receiver name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} pattern="[A-Za-z0-9_.\-]{1,100}" aria-describedby={`${id}-name-h`} />
        <span className="hint" id={`${id}-name-h`}>
          Letters, digits, dot, dash, underscore. Routing rules refer to it by this name; saving an existing name replaces it.
        </span>
      </div>
      <fieldset>
        <legend>Kind</legend>
        {(['slack', 'pagerduty', 'webhook'] as const).map((k) => (
          <label key={k} className="choice">
            <input type="radio" name={`${id}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} />
            {k === 'slack' ? 'Slack' : k === 'pagerduty' ? 'PagerDuty' : 'Webhook'}
          </label>
        ))}
      </fieldset>
      {kind === 'slack' ? (
        <>
          {input('webhookUrl', 'Slack webhook URL', { type: 'url', required: true, hint: 'From a Slack app\u2019s "Incoming Webhooks".' })}
          {input('channel', 'Channel (optional)')}
        </>
      ) : kind === 'pagerduty' ? (
        <>
          {input('routingKey', 'Routing key', { required: true, hint: 'The integration key of an Events API v2 integration.' })}
          {input('url', 'Events API URL (optional)', { type: 'url' })}
        </>
      ) : (
        <>
          {input('url', 'Webhook URL', { type: 'url', required: true })}
          {input('secret', 'Signing secret', { type: 'password', required: true, hint: 'At least 16 characters; requests are signed with it.' })}
        </>
      )}
      <FormProblem error={save.error} fields={['webhookUrl', 'channel', 'routingKey', 'url', 'secret']} />
      <button type="submit" className="primary" disabled={save.isPending || !name.trim()}>
        Save receiver
      </button>
    </form>
  );
}

export function ReceiversTab() {
  const { data, error, isPending } = useQuery(receiversQuery);
  return (
    <>
      <section className="panel table-wrap" aria-labelledby="receivers-title">
        <h2 id="receivers-title">Alert receivers</h2>
        <ProblemMessage error={error} title="Could not load receivers" />
        {isPending ? <Loading /> : null}
        {data && !data.length ? <EmptyState title="No receivers yet: add one below.">Then send it a test notification to check the wiring.</EmptyState> : null}
        {data?.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Receiver</th>
                <th scope="col">Kind</th>
                <th scope="col">Sends to</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((r) => (
                <ReceiverRow key={r.name} name={r.name} config={r.config} />
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <ReceiverForm />
    </>
  );
}
