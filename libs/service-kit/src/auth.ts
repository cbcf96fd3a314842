// API-key authentication: `vgl_<id>_<secret>`, scoped to one tenant with a role; sent as a
// bearer token, as the password of HTTP Basic auth, or in X-API-Key.
// Routes are private unless `config: { public: true }`; GET needs `read`, other methods
// `write`, and a route may ask for more with `config: { role: 'admin' }`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { API_KEY_REVOKED_CHANNEL, findApiKey, insertApiKey, markApiKeysUsed, type Queryable, type Role } from './db/api-keys.js';
import { sendProblem } from './errors.js';

export type { Role };

export interface Principal {
  tenantId: string;
  role: Role;
  keyId: string;
  /** The key's name (e.g. `console-front-door`, the console's derived keys). */
  keyName: string;
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
export async function createApiKey(pool: Queryable, tenantId: string, role: Role, name = ''): Promise<string> {
  const id = token(12);
  const secret = token(32);
  await insertApiKey(pool, { id, tenantId, role, name, secretHash: hashSecret(secret) });
  return `vgl_${id}_${secret}`;
}

/** Stores a key given in config (bootstrap admin key) or derived by its holder; idempotent. */
export async function seedApiKey(pool: Queryable, key: string, tenantId: string, role: Role = 'admin', name = 'bootstrap'): Promise<void> {
  const parsed = parseApiKey(key);
  if (!parsed) throw new Error('bootstrap API key has the wrong format');
  await insertApiKey(pool, { id: parsed.id, tenantId, role, name, secretHash: hashSecret(parsed.secret) });
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
/** last_used_at is written at most this often per key and process. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * Keeps a LISTEN connection on the revocation channel. A revocation drops the key from the
 * cache at once; while the connection is down nothing is cached, so a revocation is never missed.
 */
class RevocationListener {
  private client?: pg.PoolClient;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  /** Bumped on every revocation and reconnect: a lookup that raced one is not cached. */
  epoch = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onRevoked: (id: string | undefined) => void,
    private readonly log: FastifyInstance['log'],
  ) {}

  get listening(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    if (this.stopped) return;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      client.on('notification', (n) => {
        this.epoch++;
        this.onRevoked(n.payload);
      });
      client.on('error', (err) => this.lost(client!, err));
      await client.query(`LISTEN ${API_KEY_REVOKED_CHANNEL}`);
      // Anything revoked while not listening is unknown: start from an empty cache.
      this.epoch++;
      this.onRevoked(undefined);
      this.client = client;
    } catch (err) {
      if (client) client.release(err as Error);
      this.schedule();
    }
  }

  private lost(client: pg.PoolClient, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.epoch++;
    this.log.warn({ err: err.message }, 'API key revocation listener lost its connection; keys are not cached until it is back');
    client.release(err);
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.start();
    }, 1_000);
    this.retry.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    client?.release(true);
  }
}

export function registerAuth(app: FastifyInstance, pool: pg.Pool): void {
  const cache = new Map<string, { principal?: Principal; hash?: Buffer; until: number }>();
  const lastUsed = new Map<string, number>();
  const revocations = new RevocationListener(pool, (id) => (id === undefined ? cache.clear() : cache.delete(id)), app.log);
  app.addHook('onReady', () => revocations.start());
  // Before the pool is ended: the listener holds one of its clients.
  app.addHook('preClose', async () => revocations.stop());

  async function authenticate(key: string): Promise<Principal | undefined> {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const now = Date.now();
    let entry = revocations.listening ? cache.get(parsed.id) : undefined;
    if (!entry || entry.until < now) {
      const epoch = revocations.epoch;
      const row = await findApiKey(pool, parsed.id);
      entry = {
        until: now + CACHE_MS,
        hash: row && !row.revoked ? row.secretHash : undefined,
        principal: row && !row.revoked ? { tenantId: row.tenantId, role: row.role, keyId: row.id, keyName: row.name } : undefined,
      };
      if (revocations.listening && epoch === revocations.epoch) cache.set(parsed.id, entry);
    }
    if (!entry.hash || !entry.principal) return undefined;
    if (!timingSafeEqual(entry.hash, hashSecret(parsed.secret))) return undefined;
    if (now - (lastUsed.get(parsed.id) ?? 0) > LAST_USED_EVERY_MS) {
      lastUsed.set(parsed.id, now);
      markApiKeysUsed(pool, [parsed.id]).catch((err: Error) => app.log.debug({ err: err.message }, 'could not record API key use'));
    }
    return entry.principal;
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
