// What the console's operations need, built once in app.ts and passed down.
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Outbox } from '@vigil/events';
import type { ServiceInstances } from '../clients/service-instances.js';
import type { SignInLimiter } from '../clients/signin-limiter.js';
import type { Config, ServiceName } from '../config.js';
import type { SessionPolicy } from '../domain/sessions.js';
import type { ServiceKeys } from './service-keys.js';

/** In-process notice that sessions ended, so open streams of this instance close at once. */
export class SessionEnded extends EventEmitter<{ ended: [sessionIds: string[]] }> {}

export interface ConsoleDeps {
  config: Config;
  pool: pg.Pool;
  outbox: Outbox;
  limiter: SignInLimiter;
  policy: SessionPolicy;
  serviceKeys: ServiceKeys;
  sessionEnded: SessionEnded;
  /** The instances of each service: server-side calls take their base URL from `services.<name>.pick()`. */
  services: Record<ServiceName, ServiceInstances>;
}
