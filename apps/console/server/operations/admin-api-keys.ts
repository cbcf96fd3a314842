// Admin: the tenant's API keys — create (the secret is returned once), list with last use, revoke.
// Revocation is announced by the kit, so every service refuses the key at once.
import { createApiKey, listApiKeys, parseApiKey, revokeApiKey, type ApiKeyInfo } from '@vigil/service-kit';
import { pageInMemory, withTransaction, type Page, type PageRequest } from '@vigil/service-kit';
import type { Role } from '../domain/roles.js';
import { apiKeyNotFound, keyNameReserved } from '../errors.js';
import { recordAdminAction } from './audit.js';
import type { ConsoleDeps } from './deps.js';
import { FRONT_DOOR_KEY_NAME } from './service-keys.js';
import type { ActiveSession } from './sessions.js';

export type ApiKey = Omit<ApiKeyInfo, 'tenantId'>;

const view = ({ tenantId: _t, ...k }: ApiKeyInfo): ApiKey => k;

/** The tenant's API keys, newest first, a page at a time (a tenant's keys are few: read whole, paged in memory). */
export async function listKeys(deps: ConsoleDeps, admin: ActiveSession, page: PageRequest): Promise<Page<ApiKey>> {
  // The console's own front-door keys are plumbing, not something an admin manages.
  const keys = (await listApiKeys(deps.pool, admin.tenantId, { excludeNames: [FRONT_DOOR_KEY_NAME] })).map(view);
  return pageInMemory(keys, page, (k) => [k.createdAt, k.id], ['desc', 'asc']);
}

export async function createKey(deps: ConsoleDeps, admin: ActiveSession, input: { name: string; role: Role }): Promise<{ key: ApiKey; secret: string }> {
  if (input.name.trim() === FRONT_DOOR_KEY_NAME) throw keyNameReserved(FRONT_DOOR_KEY_NAME);
  const secret = await withTransaction(deps.pool, async (tx) => {
    const plaintext = await createApiKey(tx, admin.tenantId, input.role, input.name.trim());
    const id = parseApiKey(plaintext)!.id;
    await recordAdminAction(deps, tx, admin, 'console.api-key.created', { detail: { keyId: id, role: input.role, name: input.name.trim() } });
    return plaintext;
  });
  const id = parseApiKey(secret)!.id;
  const key = (await listApiKeys(deps.pool, admin.tenantId)).find((k) => k.id === id)!;
  return { key: view(key), secret };
}

export async function revokeKey(deps: ConsoleDeps, admin: ActiveSession, keyId: string): Promise<void> {
  await withTransaction(deps.pool, async (tx) => {
    const visible = (await listApiKeys(tx, admin.tenantId, { excludeNames: [FRONT_DOOR_KEY_NAME] })).some((k) => k.id === keyId);
    if (!visible || !(await revokeApiKey(tx, admin.tenantId, keyId))) throw apiKeyNotFound(keyId);
    await recordAdminAction(deps, tx, admin, 'console.api-key.revoked', { detail: { keyId } });
  });
}
