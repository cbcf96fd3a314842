// Settings: the user's preferences for everyone; people, keys, error projects and alert receivers for
// admins only (the console's API refuses them to others anyway). The tab is in the URL.
import { Link, useSearch } from '@tanstack/react-router';
import { useCan } from '../../app/session';
import type { SettingsTab } from '../../app/router';
import { ApiKeysTab } from './api-keys-tab';
import { PreferencesTab } from './preferences-tab';
import { ProjectsTab } from './projects-tab';
import { ReceiversTab } from './receivers-tab';
import { UsersTab } from './users-tab';
import './settings.css';

const TABS: { tab: SettingsTab; label: string; admin: boolean }[] = [
  { tab: 'preferences', label: 'Preferences', admin: false },
  { tab: 'users', label: 'Users', admin: true },
  { tab: 'api-keys', label: 'API keys', admin: true },
  { tab: 'projects', label: 'Error projects', admin: true },
  { tab: 'receivers', label: 'Alert receivers', admin: true },
];

export function SettingsPage() {
  const search = useSearch({ from: '/app/settings' });
  const isAdmin = useCan('admin');
  const visible = TABS.filter((t) => isAdmin || !t.admin);
  const tab = visible.find((t) => t.tab === search.tab)?.tab ?? 'preferences';
  const label = visible.find((t) => t.tab === tab)?.label;
  return (
    <>
      <h1>Settings</h1>
      <div className="tabs" role="tablist" aria-label="Settings">
        {visible.map((t) => (
          <Link key={t.tab} to="/settings" search={{ tab: t.tab }} role="tab" aria-selected={t.tab === tab} id={`settings-tab-${t.tab}`} aria-controls="settings-panel">
            {t.label}
          </Link>
        ))}
      </div>
      <div role="tabpanel" id="settings-panel" aria-labelledby={`settings-tab-${tab}`} aria-label={label}>
        {tab === 'preferences' ? <PreferencesTab /> : null}
        {tab === 'users' ? <UsersTab page={search.page ?? 1} cursor={search.cursor} /> : null}
        {tab === 'api-keys' ? <ApiKeysTab page={search.page ?? 1} cursor={search.cursor} /> : null}
        {tab === 'projects' ? <ProjectsTab selected={search.project} page={search.page ?? 1} /> : null}
        {tab === 'receivers' ? <ReceiversTab /> : null}
      </div>
    </>
  );
}
