// API keys of this tenant: create (the secret is shown once), list with last use, revoke. Admins only.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { useNavigate } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { consoleApi, ROLES, type ApiKey, type CreatedApiKey, type Role } from '../../api/console';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/empty-state';
import { CursorPager } from '../../components/cursor-pager';
import { FormProblem, ProblemMessage, fieldError } from '../../components/problem';
import { Time } from '../../components/time';

const keysKey = ['console', 'admin', 'api-keys'] as const;

function KeyRow({ apiKey }: { apiKey: ApiKey }) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => consoleApi.revokeApiKey(apiKey.id),
    onSettled: () => client.invalidateQueries({ queryKey: keysKey }),
  });
  const label = apiKey.name || apiKey.id;
  return (
    <tr>
      <td className="wrap-anywhere">
        {apiKey.name || <span className="muted">(no name)</span>}
        <div className="mono muted">vgl_{apiKey.id}_…</div>
        {revoke.error ? <ProblemMessage error={revoke.error} title="Not revoked" /> : null}
      </td>
      <td>{apiKey.role}</td>
      <td>
        <Time at={apiKey.createdAt} />
      </td>
      <td>
        <Time at={apiKey.lastUsedAt} />
      </td>
      <td>
        {apiKey.revokedAt ? (
          <span className="badge critical">
            revoked <Time at={apiKey.revokedAt} />
          </span>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Revoke {label}
          </button>
        )}
        <ConfirmDialog
          open={confirming}
          title={`Revoke the API key ${label}?`}
          confirmLabel={`Revoke ${label}`}
          busy={revoke.isPending}
          onConfirm={() => revoke.mutate(undefined, { onSettled: () => setConfirming(false) })}
          onCancel={() => setConfirming(false)}
        >
          Every call made with it is refused from now on, on every service. This cannot be undone.
        </ConfirmDialog>
      </td>
    </tr>
  );
}

/** A page of the tenant's API keys, newest first; the cursor and page number are the URL's. */
export function ApiKeysTab({ page, cursor }: { page: number; cursor?: string }) {
  const client = useQueryClient();
  const navigate = useNavigate({ from: '/settings' });
  const { data, error, isPending } = useQuery({ queryKey: [...keysKey, cursor ?? ''], queryFn: () => consoleApi.apiKeys(cursor), placeholderData: keepPreviousData });
  const [form, setForm] = useState({ name: '', role: 'read' as Role });
  const [created, setCreated] = useState<CreatedApiKey>();
  const ids = { name: useId(), role: useId() };
  const create = useMutation({
    mutationFn: () => consoleApi.createApiKey({ name: form.name.trim(), role: form.role }),
    onSuccess: (c) => {
      setCreated(c);
      setForm({ name: '', role: 'read' });
      void client.invalidateQueries({ queryKey: keysKey });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  // Counted only when the whole list is on this one page.
  const onePage = page <= 1 && !data?.nextCursor;
  const active = (data?.items ?? []).filter((k) => !k.revokedAt);
  return (
    <>
      {created ? (
        <div className="once" role="status" data-testid="created-api-key">
          <p>
            <strong>Copy this key now: it is shown only once.</strong> Use it as <span className="mono">Authorization: Bearer &lt;key&gt;</span> against any Vigil
            service.
          </p>
          <div className="secret">
            <code data-testid="api-key-secret">{created.secret}</code>
            <CopyButton text={created.secret} label="Copy key" />
          </div>
          <button type="button" onClick={() => setCreated(undefined)}>
            I have copied it
          </button>
        </div>
      ) : null}
      <form className="panel" onSubmit={submit} aria-labelledby="create-key-title">
        <h2 id="create-key-title">Create an API key</h2>
        <div className="form-row">
          <div className="field">
            <label htmlFor={ids.name}>Name</label>
            <input id={ids.name} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} placeholder="ci-deploy" aria-invalid={!!fieldError(create.error, 'name')} />
            {fieldError(create.error, 'name') ? <span className="field-error">{fieldError(create.error, 'name')}</span> : null}
          </div>
          <div className="field">
            <label htmlFor={ids.role}>Role</label>
            <select id={ids.role} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="primary" disabled={create.isPending || !form.name.trim()}>
            Create key
          </button>
        </div>
        <FormProblem error={create.error} fields={['name']} />
      </form>
      <section className="panel table-wrap" aria-labelledby="keys-title">
        <h2 id="keys-title">
          API keys {data && onePage ? <span className="muted">({active.length} active)</span> : null}
        </h2>
        <ProblemMessage error={error} title="Could not load API keys" />
        {isPending ? <Loading /> : null}
        {data && !data.items.length && page <= 1 ? <EmptyState title="No API keys yet.">Create one above for scripts and CI; the console itself needs none.</EmptyState> : null}
        {data?.items.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Status and actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((k) => (
                <KeyRow key={k.id} apiKey={k} />
              ))}
            </tbody>
          </table>
        ) : null}
        <CursorPager
          page={page}
          nextCursor={data?.nextCursor ?? null}
          label="API keys"
          onFirst={() => void navigate({ search: (s) => ({ ...s, cursor: undefined, page: undefined }) })}
          onNext={(next) => void navigate({ search: (s) => ({ ...s, cursor: next, page: page + 1 }) })}
        />
      </section>
    </>
  );
}
