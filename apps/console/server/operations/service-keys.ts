// Service keys for the front door: one per (tenant, role), derived, stored (hashed) once per process.
import type pg from 'pg';
import { seedApiKey } from '@vigil/service-kit';
import type { Role } from '../domain/roles.js';
import { serviceKey } from '../domain/service-key.js';

/** How the front-door keys are named in identity.api_keys (left out of the admin's key list). */
export const FRONT_DOOR_KEY_NAME = 'console-front-door';

export class ServiceKeys {
  private readonly seeded = new Map<string, Promise<string>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly secret: string,
  ) {}

  /** The key the console presents to the services for a session of this tenant and role. */
  keyFor(tenant: string, role: Role): Promise<string> {
    const id = `${tenant}|${role}`;
    let p = this.seeded.get(id);
    if (!p) {
      const key = serviceKey(this.secret, tenant, role);
      p = seedApiKey(this.pool, key, tenant, role, FRONT_DOOR_KEY_NAME).then(() => key);
      p.catch(() => this.seeded.delete(id));
      this.seeded.set(id, p);
    }
    return p;
  }
}
