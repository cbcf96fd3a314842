// Error projects and their DSN keys: create, rotate, revoke, with copyable SDK snippets. Admins only.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Loading } from '../../components/loading';
import { Link, useNavigate } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { projectKeysQuery, projectsQuery, type Project, type ProjectKey } from '../../api/queries';
import { errors, unwrap } from '../../api/services';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/empty-state';
import { Pager, pageOf } from '../../components/pager';
import { FormProblem, ProblemMessage, fieldError } from '../../components/problem';
import { Time } from '../../components/time';
import { browserSnippet, consoleDsn, nodeSnippet } from './dsn';

function KeyItem({ projectId, k }: { projectId: string; k: ProjectKey }) {
  const client = useQueryClient();
  const [confirm, setConfirm] = useState<'rotate' | 'revoke'>();
  const keys = projectKeysQuery(projectId).queryKey;
  const done = () => {
    setConfirm(undefined);
    return client.invalidateQueries({ queryKey: keys });
  };
  const rotate = useMutation({
    mutationFn: () => unwrap(errors.POST('/v1/projects/{projectId}/keys/{keyId}/rotate', { params: { path: { projectId, keyId: k.id } } })),
    onSettled: done,
  });
  const revoke = useMutation({
    mutationFn: () => unwrap(errors.DELETE('/v1/projects/{projectId}/keys/{keyId}', { params: { path: { projectId, keyId: k.id } } })),
    onSettled: done,
  });
  const dsn = consoleDsn(k.publicKey, projectId);
  const name = k.label || `key ${k.id}`;
  return (
    <li className="panel">
      <div className="form-row">
        <strong>{name}</strong>
        {k.revokedAt ? (
          <span className="badge critical">
            revoked <Time at={k.revokedAt} />
          </span>
        ) : (
          <span className="badge ok">active</span>
        )}
        <span className="muted">
          created <Time at={k.createdAt} />
        </span>
      </div>
      {k.revokedAt ? null : (
        <>
          <div className="secret">
            <code data-testid="dsn">{dsn}</code>
            <CopyButton text={dsn} label="Copy DSN" />
          </div>
          <div className="snippets">
            <h3>Node (@sentry/node)</h3>
            <pre className="snippet" data-testid="snippet-node">{nodeSnippet(dsn)}</pre>
            <CopyButton text={nodeSnippet(dsn)} label="Copy Node snippet" />
            <h3>Browser (@sentry/browser)</h3>
            <pre className="snippet" data-testid="snippet-browser">{browserSnippet(dsn)}</pre>
            <CopyButton text={browserSnippet(dsn)} label="Copy browser snippet" />
          </div>
          <div className="key-row-actions spaced">
            <button type="button" onClick={() => setConfirm('rotate')}>
              Rotate {name}
            </button>
            <button type="button" className="danger" onClick={() => setConfirm('revoke')}>
              Revoke {name}
            </button>
          </div>
          <ConfirmDialog
            open={!!confirm}
            title={confirm === 'rotate' ? `Rotate the DSN key ${name}?` : `Revoke the DSN key ${name}?`}
            confirmLabel={confirm === 'rotate' ? `Rotate ${name}` : `Revoke ${name}`}
            busy={rotate.isPending || revoke.isPending}
            onConfirm={() => (confirm === 'rotate' ? rotate.mutate() : revoke.mutate())}
            onCancel={() => setConfirm(undefined)}
          >
            {confirm === 'rotate' ? 'A new DSN replaces this one: update the SDKs that use it.' : 'Events sent with this DSN will be refused.'}
          </ConfirmDialog>
        </>
      )}
      <ProblemMessage error={rotate.error ?? revoke.error} title="Key not changed" />
    </li>
  );
}

function ProjectDetail({ project }: { project: Project }) {
  const client = useQueryClient();
  const { data, error, isPending } = useQuery(projectKeysQuery(project.id));
  const add = useMutation({
    mutationFn: () => unwrap(errors.POST('/v1/projects/{projectId}/keys', { params: { path: { projectId: project.id } }, body: { label: 'default' } })),
    onSettled: () => client.invalidateQueries({ queryKey: projectKeysQuery(project.id).queryKey }),
  });
  const active = (data ?? []).filter((k) => !k.revokedAt);
  return (
    <section aria-labelledby="project-detail-title">
      <h2 id="project-detail-title">
        {project.name} <span className="muted mono">#{project.id}</span>
      </h2>
      <p className="muted">
        Keeps events {project.retentionDays} days · data scrubbing {project.scrubbing.enabled ? 'on' : 'off'} ·{' '}
        <Link to="/errors" search={{ project: project.id }}>
          issues
        </Link>
      </p>
      <ProblemMessage error={error ?? add.error} title="Keys" />
      {isPending ? <Loading /> : null}
      {data && !active.length ? (
        <EmptyState title="This project has no active DSN.">
          <button type="button" className="primary" onClick={() => add.mutate()} disabled={add.isPending}>
            Create a DSN key
          </button>
        </EmptyState>
      ) : null}
      <ul className="plain-list">
        {(data ?? [])
          .slice()
          .sort((a, b) => Number(!!a.revokedAt) - Number(!!b.revokedAt))
          .map((k) => (
            <KeyItem key={k.id} projectId={project.id} k={k} />
          ))}
      </ul>
      {active.length ? (
        <button type="button" onClick={() => add.mutate()} disabled={add.isPending}>
          Add another DSN key
        </button>
      ) : null}
    </section>
  );
}

export function ProjectsTab({ selected, page }: { selected?: string; page: number }) {
  const client = useQueryClient();
  const navigate = useNavigate({ from: '/settings' });
  const { data, error, isPending } = useQuery(projectsQuery);
  const [name, setName] = useState('');
  const nameId = useId();
  const create = useMutation({
    mutationFn: async () => {
      const project = await unwrap(errors.POST('/v1/projects', { body: { name: name.trim() } }));
      // A project is only useful with a DSN: give it its first key straight away.
      await unwrap(errors.POST('/v1/projects/{projectId}/keys', { params: { path: { projectId: project.id } }, body: { label: 'default' } }));
      return project;
    },
    onSuccess: (project) => {
      setName('');
      void client.invalidateQueries({ queryKey: ['errors'] });
      void navigate({ search: { tab: 'projects', project: project.id } });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const p = pageOf(data ?? [], page);
  const current = data?.find((x) => x.id === selected);
  return (
    <div className="split">
      <div>
        <form className="panel" onSubmit={submit} aria-labelledby="create-project-title">
          <h2 id="create-project-title">Create a project</h2>
          <div className="form-row">
            <div className="field">
              <label htmlFor={nameId}>Project name</label>
              <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} aria-invalid={!!fieldError(create.error, 'name')} />
              {fieldError(create.error, 'name') ? <span className="field-error">{fieldError(create.error, 'name')}</span> : null}
            </div>
            <button type="submit" className="primary" disabled={create.isPending || !name.trim()}>
              Create project
            </button>
          </div>
          <FormProblem error={create.error} fields={['name']} />
        </form>
        <section className="panel" aria-labelledby="projects-title">
          <h2 id="projects-title">Projects</h2>
          <ProblemMessage error={error} title="Could not load projects" />
          {isPending ? <Loading /> : null}
          {data && !data.length ? (
            <EmptyState title="No projects yet: create one above.">It gets a DSN right away, with the snippet to paste into @sentry/node or the browser SDK.</EmptyState>
          ) : null}
          <ul className="tile-list">
            {p.rows.map((x) => (
              <li key={x.id} className={x.id === selected ? 'selected' : undefined}>
                <Link className="grow" to="/settings" search={{ tab: 'projects', project: x.id, page }} aria-current={x.id === selected ? 'true' : undefined} title={x.name}>
                  {x.name}
                </Link>
                <span className="side">
                  <Time at={x.createdAt} />
                </span>
              </li>
            ))}
          </ul>
          <Pager page={p.page} pages={p.pages} total={data?.length ?? 0} label="Projects" onPage={(n) => navigate({ search: (s) => ({ ...s, page: n }) })} />
        </section>
      </div>
      <div className="panel">{current ? <ProjectDetail project={current} /> : <p className="muted">{data?.length ? 'Select a project to see its DSN keys and SDK snippets.' : 'Your DSN appears here once the project exists.'}</p>}</div>
    </div>
  );
}
