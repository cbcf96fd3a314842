// Sign in with email and password. A forced password change comes next if the account needs one.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { consoleApi } from '../../api/console';
import { errorMessage, isProblemError } from '../../api/problem';
import { setSession } from '../../app/session';
import './signin.css';

export function SignInPage() {
  const { redirect } = useSearch({ from: '/signin' });
  const navigate = useNavigate();
  const client = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const ids = { email: useId(), password: useId(), error: useId() };
  const signIn = useMutation({
    mutationFn: () => consoleApi.signIn(email.trim(), password),
    onSuccess: (session) => {
      setSession(client, session);
      if (session.mustChangePassword) void navigate({ to: '/change-password', search: { redirect } });
      else void navigate({ to: redirect ?? '/' });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  const err = signIn.error;
  const message = err
    ? isProblemError(err) && err.status === 429
      ? `${errorMessage(err)} Wait a moment before trying again.`
      : isProblemError(err) && err.status === 401
        ? (err.problem.detail ?? 'Email or password is not right.')
        : errorMessage(err)
    : undefined;
  return (
    <main id="main" className="center-page">
      <form className="panel signin" onSubmit={submit} noValidate aria-describedby={message ? ids.error : undefined}>
        <h1>Sign in to Vigil</h1>
        <div className="field">
          <label htmlFor={ids.email}>Email</label>
          <input id={ids.email} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </div>
        <div className="field">
          <label htmlFor={ids.password}>Password</label>
          <input
            id={ids.password}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {message ? (
          <p className="problem" role="alert" id={ids.error}>
            {message}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={signIn.isPending || !email || !password}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted hint">
          First start? The admin's initial password is in <span className="mono">.data/console-admin-password</span>; <span className="mono">npm start</span>{' '}
          prints where.
        </p>
      </form>
    </main>
  );
}
