// Subject pseudonyms: HMAC-SHA256 under a per-tenant key derived from the service secret,
// so the same subject maps to the same ref within a tenant and to unrelated refs across tenants.
import { createHmac } from 'node:crypto';

export function tenantKey(secret: string, tenantId: string): Buffer {
  return createHmac('sha256', secret).update(`tenant:${tenantId}`).digest();
}

/** Derived tenant keys, so a hot path (consent writes: three refs each) derives once per tenant, not per ref. */
const tenantKeys = new Map<string, Buffer>();
const MAX_CACHED_KEYS = 1_000;

function cachedTenantKey(secret: string, tenantId: string): Buffer {
  const id = `${tenantId}\u0000${secret}`;
  let key = tenantKeys.get(id);
  if (!key) {
    if (tenantKeys.size >= MAX_CACHED_KEYS) tenantKeys.clear();
    key = tenantKey(secret, tenantId);
    tenantKeys.set(id, key);
  }
  return key;
}

export function subjectRef(secret: string, tenantId: string, value: string): string {
  return createHmac('sha256', cachedTenantKey(secret, tenantId)).update(value.trim().toLowerCase()).digest('hex');
}
