// The signed-in user's preferences (server state, in the query cache) and what they change in the
// page: the theme attribute on <html>, the timezone of every time shown, the refresh interval.
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { consoleApi, DEFAULT_PREFERENCES, type Preferences } from '../api/console';
import { updateLiveState } from './live-state';

export const preferencesKey = ['console', 'preferences'] as const;
const THEME_KEY = 'vigil.theme';

export function usePreferences(enabled = true): Preferences {
  const { data } = useQuery({ queryKey: preferencesKey, queryFn: consoleApi.preferences, enabled, staleTime: Infinity, refetchInterval: false });
  return data ?? DEFAULT_PREFERENCES;
}

export function applyTheme(theme: Preferences['theme']): void {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // storage disabled: the theme still applies to this page
  }
}

/** Before the first paint, the theme last used on this browser (the preferences arrive later). */
export function applyRememberedTheme(): void {
  try {
    const t = localStorage.getItem(THEME_KEY);
    if (t === 'light' || t === 'dark' || t === 'auto') applyTheme(t);
  } catch {
    // storage disabled
  }
}

/** Mounted once in the signed-in shell. */
export function PreferencesEffect(): null {
  const prefs = usePreferences();
  useEffect(() => applyTheme(prefs.theme), [prefs.theme]);
  useEffect(() => updateLiveState({ refreshMs: prefs.refreshSeconds * 1000 }), [prefs.refreshSeconds]);
  return null;
}

export const useTimezone = (): Preferences['timezone'] => usePreferences().timezone;
