import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { consoleApi, type Preferences } from '../../api/console';
import { applyTheme, preferencesKey, usePreferences } from '../../app/preferences';
import { FormProblem, fieldError } from '../../components/problem';

const REFRESH = [
  { value: 0, label: 'Off (live events only)' },
  { value: 10, label: 'Every 10 s' },
  { value: 30, label: 'Every 30 s' },
  { value: 60, label: 'Every minute' },
  { value: 300, label: 'Every 5 minutes' },
];

export function PreferencesTab() {
  const saved = usePreferences();
  const [draft, setDraft] = useState<Preferences | undefined>();
  const prefs = draft ?? saved;
  const client = useQueryClient();
  const save = useMutation({
    mutationFn: async (p: Preferences) => (await consoleApi.savePreferences(p)) ?? p,
    onSuccess: (p) => {
      client.setQueryData(preferencesKey, p);
      applyTheme(p.theme);
      setDraft(undefined);
    },
  });
  const set = (patch: Partial<Preferences>) => setDraft({ ...prefs, ...patch });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(prefs);
  };
  const refreshOptions = REFRESH.some((r) => r.value === prefs.refreshSeconds) ? REFRESH : [...REFRESH, { value: prefs.refreshSeconds, label: `Every ${prefs.refreshSeconds} s` }];
  return (
    <form className="panel settings-form" onSubmit={submit}>
      <h2>Preferences</h2>
      <fieldset>
        <legend>Theme</legend>
        {(['light', 'dark', 'auto'] as const).map((t) => (
          <label key={t} className="choice">
            <input type="radio" name="theme" value={t} checked={prefs.theme === t} onChange={() => set({ theme: t })} />
            {t === 'auto' ? 'Auto (follow the system)' : t === 'light' ? 'Light' : 'Dark'}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Timezone</legend>
        <label className="choice">
          <input type="radio" name="timezone" value="local" checked={prefs.timezone === 'local'} onChange={() => set({ timezone: 'local' })} />
          Local ({Intl.DateTimeFormat().resolvedOptions().timeZone})
        </label>
        <label className="choice">
          <input type="radio" name="timezone" value="utc" checked={prefs.timezone === 'utc'} onChange={() => set({ timezone: 'utc' })} />
          UTC
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="pref-refresh">Refresh</label>
        <select id="pref-refresh" value={prefs.refreshSeconds} onChange={(e) => set({ refreshSeconds: Number(e.target.value) })} aria-invalid={!!fieldError(save.error, 'refreshSeconds')}>
          {refreshOptions.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        <span className="hint">Lists also update from live events; this is how often they are re-read besides.</span>
        {fieldError(save.error, 'refreshSeconds') ? <span className="field-error">{fieldError(save.error, 'refreshSeconds')}</span> : null}
      </div>
      <FormProblem error={save.error} fields={['refreshSeconds']} />
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending || !draft}>
          {save.isPending ? 'Saving…' : 'Save preferences'}
        </button>
        {save.isSuccess && !draft ? <span role="status">Saved.</span> : null}
      </div>
      <h2 className="spaced">Password</h2>
      <Link to="/change-password" className="button">
        Change password
      </Link>
    </form>
  );
}
