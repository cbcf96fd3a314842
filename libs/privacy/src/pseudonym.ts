// Subject pseudonyms: HMAC-SHA256 under a per-tenant key derived from the service secret,
// so the same subject maps to the same ref within a tenant and to unrelated refs across tenants.
import { createHmac } from 'node:crypto';

export function tenantKey(secret: string, tenantId: string): Buffer {
  return createHmac('sha256', secret).update(`tenant:${tenantId}`).digest();
}

export function subjectRef(secret: string, tenantId: string, value: string): string {
  return createHmac('sha256', tenantKey(secret, tenantId)).update(value.trim().toLowerCase()).digest('hex');
}
