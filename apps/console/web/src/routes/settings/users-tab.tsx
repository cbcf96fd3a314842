// Users of this tenant: create (invite), change role, disable. Admins only.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { useNavigate } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { consoleApi, ROLES, type AdminUser, type CreatedUser, type Role } from '../../api/console';
import { sessionQuery } from '../../app/session';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/empty-state';
import { CursorPager } from '../../components/cursor-pager';
import { FormProblem, ProblemMessage, fieldError } from '../../components/problem';
import { Time } from '../../components/time';

const usersKey = ['console', 'admin', 'users'] as const;

function CreateUser({ onCreated }: { onCreated: (c: CreatedUser) => void }) {
  const client = useQueryClient();
  const [form, setForm] = useState({ email: '', name: '', role: 'read' as Role, password: '' });
  const ids = { email: useId(), name: useId(), role: useId(), password: useId() };
  const create = useMutation({
    mutationFn: () => consoleApi.createUser({ email: form.email.trim(), name: form.name.trim(), role: form.role, password: form.password || undefined }),
    onSuccess: (c) => {
      void client.invalidateQueries({ queryKey: usersKey });
      setForm({ email: '', name: '', role: 'read', password: '' });
      onCreated(c);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const err = (f: string) => fieldError(create.error, f);
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="create-user-title">
      <h2 id="create-user-title">Add a user</h2>
      <div className="form-row">
        <div className="field">
          <label htmlFor={ids.email}>Email</label>
          <input id={ids.email} type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} aria-invalid={!!err('email')} />
          {err('email') ? <span className="field-error">{err('email')}</span> : null}
        </div>
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input id={ids.name} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} aria-invalid={!!err('name')} />
          {err('name') ? <span className="field-error">{err('name')}</span> : null}
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
        <div className="field">
          <label htmlFor={ids.password}>Password</label>
          <input id={ids.password} type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} aria-describedby={`${ids.password}-h`} aria-invalid={!!err('password')} />
          <span className="hint" id={`${ids.password}-h`}>
            Leave empty to generate one. The user must change it at first sign-in.
          </span>
          {err('password') ? <span className="field-error">{err('password')}</span> : null}
        </div>
        <button type="submit" className="primary" disabled={create.isPending || !form.email}>
          Create user
        </button>
      </div>
      <FormProblem error={create.error} fields={['email', 'name', 'password']} />
    </form>
  );
}

function UserRow({ user, self }: { user: AdminUser; self: boolean }) {
  const client = useQueryClient();
  const update = useMutation({
    mutationFn: (patch: { role?: Role; disabled?: boolean }) => consoleApi.updateUser(user.id, patch),
    onSettled: () => client.invalidateQueries({ queryKey: usersKey }),
  });
  const roleId = useId();
  return (
    <tr>
      <td className="wrap-anywhere">
        {user.email}
        {user.name ? <div className="muted">{user.name}</div> : null}
        {update.error ? <ProblemMessage error={update.error} title="Not changed" /> : null}
      </td>
      <td>
        <label htmlFor={roleId} className="visually-hidden">
          Access level of {user.email}
        </label>
        <select id={roleId} value={user.role} disabled={self || update.isPending} onChange={(e) => update.mutate({ role: e.target.value as Role })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </td>
      <td>{user.disabled ? <span className="badge critical">disabled</span> : user.mustChangePassword ? <span className="badge warning">must change password</span> : <span className="badge ok">active</span>}</td>
      <td>
        <Time at={user.createdAt} />
      </td>
      <td>
        {self ? (
          <span className="muted">you</span>
        ) : (
          <button type="button" className={user.disabled ? undefined : 'danger'} disabled={update.isPending} onClick={() => update.mutate({ disabled: !user.disabled })}>
            {user.disabled ? `Enable ${user.email}` : `Disable ${user.email}`}
          </button>
        )}
      </td>
    </tr>
  );
}

/** A page of the tenant's people by email; the cursor and page number are the URL's. */
export function UsersTab({ page, cursor }: { page: number; cursor?: string }) {
  const { data, error, isPending } = useQuery({ queryKey: [...usersKey, cursor ?? ''], queryFn: () => consoleApi.users(cursor), placeholderData: keepPreviousData });
  const { data: session } = useQuery(sessionQuery);
  const navigate = useNavigate({ from: '/settings' });
  const [created, setCreated] = useState<CreatedUser>();
  return (
    <>
      {created ? (
        <div className="once" role="status" data-testid="created-user">
          <p>
            <strong>{created.user.email}</strong> can now sign in as <strong>{created.user.role}</strong>.
          </p>
          {created.initialPassword ? (
            <>
              <p>Their initial password is shown only now; give it to them over a safe channel. They must change it at first sign-in.</p>
              <div className="secret">
                <code data-testid="initial-password">{created.initialPassword}</code>
                <CopyButton text={created.initialPassword} label="Copy password" />
              </div>
            </>
          ) : null}
          <button type="button" onClick={() => setCreated(undefined)}>
            Done
          </button>
        </div>
      ) : null}
      <CreateUser onCreated={setCreated} />
      <section className="panel table-wrap" aria-labelledby="users-title">
        <h2 id="users-title">Users of tenant {session?.tenant}</h2>
        <ProblemMessage error={error} title="Could not load users" />
        {isPending ? <Loading /> : null}
        {data && !data.items.length ? <EmptyState title="No users yet.">Add one above.</EmptyState> : null}
        {data?.items.length ? (
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((u) => (
                <UserRow key={u.id} user={u} self={u.id === session?.user.id} />
              ))}
            </tbody>
          </table>
        ) : null}
        <CursorPager
          page={page}
          nextCursor={data?.nextCursor ?? null}
          label="Users"
          onFirst={() => void navigate({ search: (s) => ({ ...s, cursor: undefined, page: undefined }) })}
          onNext={(next) => void navigate({ search: (s) => ({ ...s, cursor: next, page: page + 1 }) })}
        />
      </section>
    </>
  );
}
