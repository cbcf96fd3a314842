// API-key authentication: `vgl_<id>_<secret>`, scoped to one tenant with a role; sent as a
// bearer token, as the password of HTTP Basic auth, or in X-API-Key.
// Routes are private unless `config: { public: true }`; GET needs `read`, other methods
// `write`, and a route may ask for more with `config: { role: 'admin' }`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { findApiKey, insertApiKey, type Role } from './db/api-keys.js';
import { sendProblem } from './errors.js';

export type { Role };

export interface Principal {
  tenantId: string;
  role: Role;
  keyId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    public?: boolean;
    role?: Role;
  }
}

const RANK: Record<Role, number> = { read: 1, write: 2, admin: 3 };
const KEY_FORMAT = /^vgl_([A-Za-z0-9]{8,})_([A-Za-z0-9]{24,})$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function token(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest();

export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const m = KEY_FORMAT.exec(key);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

/** Creates a key; the plaintext is returned once and never stored. */
export async function createApiKey(pool: pg.Pool, tenantId: string, role: Role, name = ''): Promise<string> {
  const id = token(12);
  const secret = token(32);
  await insertApiKey(pool, { id, tenantId, role, name, secretHash: hashSecret(secret) });
  return `vgl_${id}_${secret}`;
}

/** Stores a key given in config (bootstrap admin key); idempotent. */
export async function seedApiKey(pool: pg.Pool, key: string, tenantId: string, role: Role = 'admin'): Promise<void> {
  const parsed = parseApiKey(key);
  if (!parsed) throw new Error('bootstrap API key has the wrong format');
  await insertApiKey(pool, { id: parsed.id, tenantId, role, name: 'bootstrap', secretHash: hashSecret(parsed.secret) });
}

/**
 * The key from `Authorization: Bearer <key>`, from HTTP Basic with the key as the password and
 * any username (how Prometheus's and amtool's `basic_auth` send it), or from `X-API-Key`.
 * Schemes are case-insensitive (RFC 9110); a Basic value without a password yields '' (invalid).
 */
export function presentedKey(headers: { authorization?: string; 'x-api-key'?: string | string[] }): string | undefined {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(headers.authorization ?? '');
  const scheme = m?.[1]!.toLowerCase();
  if (scheme === 'bearer') return m![2]!;
  if (scheme === 'basic') {
    const decoded = Buffer.from(m![2]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? '' : decoded.slice(colon + 1).trim();
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

const CACHE_MS = 30_000;

export function registerAuth(app: FastifyInstance, pool: pg.Pool): void {
  const cache = new Map<string, { principal?: Principal; hash?: Buffer; until: number }>();

  async function authenticate(key: string): Promise<Principal | undefined> {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const now = Date.now();
    let entry = cache.get(parsed.id);
    if (!entry || entry.until < now) {
      const row = await findApiKey(pool, parsed.id);
      entry = {
        until: now + CACHE_MS,
        hash: row && !row.revoked ? row.secretHash : undefined,
        principal: row && !row.revoked ? { tenantId: row.tenantId, role: row.role, keyId: row.id } : undefined,
      };
      cache.set(parsed.id, entry);
    }
    if (!entry.hash || !entry.principal) return undefined;
    return timingSafeEqual(entry.hash, hashSecret(parsed.secret)) ? entry.principal : undefined;
  }

  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (req, reply) => {
    const cfg = req.routeOptions.config;
    if (cfg?.public || !req.routeOptions.url || req.routeOptions.url.startsWith('/docs')) return;
    const key = presentedKey(req.headers);
    if (key === undefined) {
      return sendProblem(req, reply, 401, 'AUTH_REQUIRED', 'send an API key as "Authorization: Bearer <key>", as the password of HTTP Basic auth, or as "X-API-Key"');
    }
    const principal = await authenticate(key);
    if (!principal) return sendProblem(req, reply, 401, 'AUTH_INVALID', 'unknown, malformed or revoked API key');
    const needed: Role = cfg?.role ?? (req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write');
    if (RANK[principal.role] < RANK[needed]) {
      return sendProblem(req, reply, 403, 'AUTH_FORBIDDEN', `this key has role ${principal.role}; ${needed} is required`);
    }
    req.principal = principal;
  });
}
