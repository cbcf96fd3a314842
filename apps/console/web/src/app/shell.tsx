// The signed-in frame: skip link, top bar (live control, tenant, user), side nav, the page.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { consoleApi, type Session } from '../api/console';
import { onUnauthorized } from '../api/csrf';
import { ProblemMessage } from '../components/problem';
import { connectStream } from '../live/stream';
import { CriticalAlertsTitle } from '../routes/alerts/critical-title';
import { isStale, updateLiveState, useLiveState, useLiveValue } from './live-state';
import { PreferencesEffect } from './preferences';
import { sessionQuery, setSession } from './session';

/** Areas in the nav. Later issues add incidents and reports, and grow the others. */
const NAV: { to: '/' | '/alerts' | '/incidents' | '/errors' | '/database' | '/recovery' | '/privacy' | '/reports' | '/settings'; label: string }[] = [
  { to: '/', label: 'Overview' },
  { to: '/alerts', label: 'Alerts' },
  { to: '/incidents', label: 'Incidents' },
  { to: '/errors', label: 'Errors' },
  { to: '/database', label: 'Database' },
  { to: '/recovery', label: 'Recovery' },
  { to: '/privacy', label: 'Privacy' },
  { to: '/reports', label: 'Reports' },
  { to: '/settings', label: 'Settings' },
];

export function Shell() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const { data: session } = useQuery(sessionQuery);
  // Only whether live updates are on: the shell (nav, page) does not re-render with each signal of the stream.
  const live = useLiveValue((s) => s.live);
  const href = useRouterState({ select: (s) => s.location.href });

  // Any 401 (expired or revoked session) goes back to sign-in, then returns here.
  useEffect(
    () =>
      onUnauthorized(() => {
        setSession(client, null);
        void navigate({ to: '/signin', search: { redirect: window.location.pathname + window.location.search } });
      }),
    [client, navigate],
  );

  // One stream per tenant: switching tenants reconnects, so no event of the previous one arrives.
  const tenant = session?.tenant;
  useEffect(() => {
    if (!live || !tenant) return;
    return connectStream(client);
  }, [client, live, tenant]);

  if (!session) return null;
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <PreferencesEffect />
      <CriticalAlertsTitle />
      <header className="topbar">
        <Link to="/" className="brand">
          Vigil
        </Link>
        <LiveControl />
        <TenantSwitch session={session} />
        <UserMenu session={session} redirectTo={href} />
      </header>
      <StaleBanner />
      <nav className="sidenav" aria-label="Main">
        <ul>
          {NAV.map((n) => (
            <li key={n.to}>
              <Link to={n.to} activeOptions={{ exact: n.to === '/', includeSearch: false }} activeProps={{ 'aria-current': 'page' }}>
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function LiveControl() {
  const live = useLiveState();
  const stale = isStale(live, Date.now());
  const label = !live.live ? 'Paused' : live.status === 'broken' ? 'Disconnected' : stale ? 'Stale' : live.status === 'open' ? 'Live' : 'Connecting…';
  return (
    <div className="live">
      <span className={`dot${live.live && live.status === 'open' && !stale ? ' on' : ''}${stale ? ' stale' : ''}`} aria-hidden="true" />
      <span data-testid="live-status">{label}</span>
      <button type="button" onClick={() => updateLiveState({ live: !live.live })}>
        {live.live ? 'Pause live updates' : 'Resume live updates'}
      </button>
    </div>
  );
}

function StaleBanner() {
  const live = useLiveState();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (!isStale(live, now)) return null;
  const silentFor = Math.round((now - (live.lastSignalAt ?? now)) / 1000);
  return (
    <div className="notice stale-banner" role="status" data-testid="stale-warning">
      Live updates have stopped{live.lastSignalAt ? ` (nothing for ${silentFor} s)` : ''}: what you see may be out of date. The console keeps trying to
      reconnect.
    </div>
  );
}

function TenantSwitch({ session }: { session: Session }) {
  const [error, setError] = useState<unknown>();
  if (session.tenants.length <= 1) return <span className="muted">Tenant {session.tenant}</span>;
  return (
    <div>
      <label htmlFor="tenant-switch" className="visually-hidden">
        Tenant
      </label>
      <select
        id="tenant-switch"
        value={session.tenant}
        onChange={async (e) => {
          try {
            await consoleApi.switchTenant(e.target.value);
            // Another tenant: start the page afresh, so nothing of the previous one (cache, stream) survives.
            window.location.assign('/');
          } catch (err) {
            setError(err);
          }
        }}
      >
        {session.tenants.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <ProblemMessage error={error} title="Tenant not switched" />
    </div>
  );
}

function UserMenu({ session, redirectTo }: { session: Session; redirectTo: string }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const signOut = async () => {
    try {
      await consoleApi.signOut();
    } finally {
      setSession(client, null);
      void navigate({ to: '/signin', search: { redirect: redirectTo === '/' ? undefined : redirectTo } });
    }
  };
  return (
    <div className="live">
      <span>
        {session.user.name || session.user.email} <span className="badge">{session.role}</span>
      </span>
      <button type="button" onClick={signOut}>
        Sign out
      </button>
    </div>
  );
}
