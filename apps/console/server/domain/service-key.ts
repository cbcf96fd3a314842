// The console's key for one (tenant, role): derived from the session secret, so every console
// instance computes the same key and no secret is stored (the kit stores only its hash).
import { createHmac } from 'node:crypto';
import type { Role } from './roles.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function derive(secret: string, label: string, length: number): string {
  let out = '';
  for (let block = 0; out.length < length; block++) {
    for (const b of createHmac('sha256', secret).update(`${label}|${block}`).digest()) {
      // 248 = 4 × 62: rejecting the top bytes keeps the mapping unbiased.
      if (b < 248) out += ALPHABET[b % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export function serviceKey(secret: string, tenant: string, role: Role): string {
  return `vgl_${derive(secret, `id|${tenant}|${role}`, 16)}_${derive(secret, `secret|${tenant}|${role}`, 40)}`;
}

/** The public id part of a service key (how it appears in identity.api_keys). */
export const serviceKeyId = (key: string) => key.split('_')[1]!;
