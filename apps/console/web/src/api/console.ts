// The console server's own API (sessions, preferences, identity admin), typed by hand: it is small and
// lives in this workspace. The services' clients are generated (services.ts).
import { csrfToken, isStateChanging, notifyUnauthorized } from './csrf';
import { problemFrom } from './problem';

export type Role = 'read' | 'write' | 'admin';
export const ROLES: readonly Role[] = ['read', 'write', 'admin'];
const RANK: Record<Role, number> = { read: 1, write: 2, admin: 3 };
export const atLeast = (role: Role | undefined, needed: Role): boolean => !!role && RANK[role] >= RANK[needed];

export interface Session {
  user: { id: string; email: string; name: string };
  tenant: string;
  tenants: string[];
  role: Role;
  csrfToken: string;
  mustChangePassword: boolean;
  expiresAt: string;
}

export interface Preferences {
  theme: 'light' | 'dark' | 'auto';
  timezone: 'local' | 'utc';
  refreshSeconds: number;
}
export const DEFAULT_PREFERENCES: Preferences = { theme: 'auto', timezone: 'local', refreshSeconds: 30 };

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
}
export interface CreatedUser {
  user: AdminUser;
  /** Present when the admin left the password empty: shown once, the user must change it. */
  initialPassword?: string;
}

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export interface CreatedApiKey {
  key: ApiKey;
  /** The whole `vgl_<id>_<secret>` key: the only time it is ever shown. */
  secret: string;
}

export interface ServiceHealth {
  status: string;
  checks?: Record<string, unknown>;
}

export async function call<T>(method: string, path: string, body?: unknown, { quiet401 = false } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = csrfToken();
  if (token && isStateChanging(method)) headers['x-csrf-token'] = token;
  const response = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the error message
  }
  if (!response.ok) {
    if (response.status === 401 && !quiet401) notifyUnauthorized();
    throw problemFrom(response, parsed);
  }
  return parsed as T;
}

/** A page of a list (docs/API.md): pass `nextCursor` back as `cursor` for the next one; null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
/** The console's screens page at 25. */
export const PAGE_SIZE = 25;
const pageQuery = (cursor: string | undefined, limit: number) => new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) }).toString();

export const consoleApi = {
  session: () => call<Session>('GET', '/api/session', undefined, { quiet401: true }),
  signIn: (email: string, password: string) => call<Session>('POST', '/api/session', { email, password }, { quiet401: true }),
  signOut: () => call<void>('DELETE', '/api/session'),
  changePassword: (currentPassword: string, newPassword: string) => call<void>('POST', '/api/session/password', { currentPassword, newPassword }),
  switchTenant: (tenant: string) => call<Session>('PUT', '/api/session/tenant', { tenant }),
  preferences: () => call<Preferences>('GET', '/api/preferences'),
  savePreferences: (p: Preferences) => call<Preferences | undefined>('PUT', '/api/preferences', p),
  health: () => call<{ services: Record<string, ServiceHealth> }>('GET', '/api/health'),
  users: (cursor?: string, limit = PAGE_SIZE) => call<Page<AdminUser>>('GET', `/api/admin/users?${pageQuery(cursor, limit)}`),
  createUser: (u: { email: string; name: string; role: Role; password?: string }) => call<CreatedUser>('POST', '/api/admin/users', u),
  updateUser: (userId: string, patch: { role?: Role; disabled?: boolean }) =>
    call<AdminUser>('PATCH', `/api/admin/users/${encodeURIComponent(userId)}`, patch),
  apiKeys: (cursor?: string, limit = PAGE_SIZE) => call<Page<ApiKey>>('GET', `/api/admin/api-keys?${pageQuery(cursor, limit)}`),
  createApiKey: (k: { name: string; role: Role }) => call<CreatedApiKey>('POST', '/api/admin/api-keys', k),
  revokeApiKey: (keyId: string) => call<void>('DELETE', `/api/admin/api-keys/${encodeURIComponent(keyId)}`),
  savedViews: async (area: string) => (await call<{ items: SavedView[] }>('GET', `/api/saved-views?area=${encodeURIComponent(area)}`)).items,
  saveView: (v: { area: string; name: string; search: string }) => call<SavedView>('PUT', '/api/saved-views', v),
  deleteView: (viewId: string) => call<void>('DELETE', `/api/saved-views/${encodeURIComponent(viewId)}`),
};

/** A user's named search of one area (its URL query string). */
export interface SavedView {
  id: string;
  area: string;
  name: string;
  search: string;
  createdAt: string;
}
