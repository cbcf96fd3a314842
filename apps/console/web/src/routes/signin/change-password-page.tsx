// Change the password: forced after the first sign-in (mustChangePassword), reachable from settings too.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId, useState, type FormEvent } from 'react';
import { consoleApi } from '../../api/console';
import { isProblemError } from '../../api/problem';
import { FormProblem, fieldError } from '../../components/problem';
import { sessionKey, sessionQuery } from '../../app/session';
import './signin.css';

const MIN_LENGTH = 12;

export function ChangePasswordPage() {
  const { redirect } = useSearch({ from: '/change-password' });
  const navigate = useNavigate();
  const client = useQueryClient();
  const session = client.getQueryData(sessionQuery.queryKey);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [localError, setLocalError] = useState<{ field: string; message: string }>();
  const ids = { current: useId(), next: useId(), repeat: useId() };
  const change = useMutation({
    mutationFn: () => consoleApi.changePassword(current, next),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: sessionKey });
      await client.fetchQuery(sessionQuery);
      void navigate({ to: redirect ?? '/' });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (next.length < MIN_LENGTH) return setLocalError({ field: 'newPassword', message: `Use at least ${MIN_LENGTH} characters.` });
    if (next !== repeat) return setLocalError({ field: 'repeat', message: 'The two new passwords differ.' });
    if (next === current) return setLocalError({ field: 'newPassword', message: 'The new password must differ from the current one.' });
    setLocalError(undefined);
    change.mutate();
  };
  const err = change.error;
  const currentWrong = isProblemError(err) && (err.field === 'currentPassword' || err.status === 401 || err.status === 403) ? err.problem.detail ?? 'The current password is not right.' : undefined;
  const nextError = (localError?.field === 'newPassword' ? localError.message : undefined) ?? fieldError(err, 'newPassword');
  const repeatError = localError?.field === 'repeat' ? localError.message : undefined;
  return (
    <main id="main" className="center-page">
      <form className="panel signin" onSubmit={submit} noValidate>
        <h1>Change your password</h1>
        {session?.mustChangePassword ? <p className="notice">Choose a new password before you go on: this account still has its initial one.</p> : null}
        <div className="field">
          <label htmlFor={ids.current}>Current password</label>
          <input id={ids.current} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} aria-invalid={!!currentWrong} aria-describedby={currentWrong ? `${ids.current}-e` : undefined} />
          {currentWrong ? <span className="field-error" id={`${ids.current}-e`}>{currentWrong}</span> : null}
        </div>
        <div className="field">
          <label htmlFor={ids.next}>New password</label>
          <input id={ids.next} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} aria-invalid={!!nextError} aria-describedby={`${ids.next}-h`} />
          <span className="hint" id={`${ids.next}-h`}>
            At least {MIN_LENGTH} characters.
          </span>
          {nextError ? <span className="field-error" role="alert">{nextError}</span> : null}
        </div>
        <div className="field">
          <label htmlFor={ids.repeat}>Repeat new password</label>
          <input id={ids.repeat} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={!!repeatError} />
          {repeatError ? <span className="field-error" role="alert">{repeatError}</span> : null}
        </div>
        {currentWrong ? null : <FormProblem error={err} fields={['newPassword']} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={change.isPending || !current || !next || !repeat}>
            {change.isPending ? 'Saving…' : 'Change password'}
          </button>
          {session && !session.mustChangePassword ? <Link to="/settings" className="button">Cancel</Link> : null}
        </div>
      </form>
    </main>
  );
}
