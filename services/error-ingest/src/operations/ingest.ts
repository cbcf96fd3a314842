// The ingest pipeline of one request: decompress (bounded), frame, authenticate the DSN
// key (cached; stale while PostgreSQL is down), apply quotas, validate the event, then make it
// durable (event-intake.ts: Kafka, else the PostgreSQL spool). Every refusal is an AppError
// (src/errors.ts) with a precise 4xx (or 503 when neither Kafka nor PostgreSQL can keep the event).
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { isInfrastructureError } from '@vigil/events';
import { insertClientReports, type ClientReportRow } from '../db/accepted.js';
import { findActiveKey, type ActiveKey } from '../db/projects.js';
import { presentedKey, type PresentedCredentials } from '../domain/auth.js';
import { parseEnvelope, parseItemJson, parseItemText, type Envelope } from '../domain/envelope.js';
import { AppError } from '@vigil/service-kit';
import type { RateLimiter } from '../clients/rate-limiter.js';
import { decompressBody } from '../domain/decompress.js';
import { assertEventShape, normaliseEventId, sentryId } from '../domain/event-shape.js';
import { forbidden, malformed, rateLimited, storageUnavailable, tooLarge } from '../errors.js';
import type { EventIntake } from './event-intake.js';

export interface IngestLimits {
  maxEnvelopeBytes: number;
  maxEventBytes: number;
  defaultProjectPerMinute: number;
  defaultKeyPerMinute: number;
  keyCacheMs: number;
  /** How long an expired cached key still serves while PostgreSQL is unreachable. */
  keyStaleMs: number;
}

interface CachedKey {
  key?: ActiveKey;
  /** Fresh until: then looked up again. */
  until: number;
  /** Usable until, when the lookup fails because PostgreSQL is unreachable. */
  staleUntil: number;
}

// While PostgreSQL is unreachable, a stale key is looked up again at most this often (one probe per key, not one per request).
const RETRY_LOOKUP_MS = 1_000;

export interface IngestRequest extends PresentedCredentials {
  projectId: string;
  body: Buffer | undefined;
  contentEncoding?: string;
}

export class Ingest {
  private readonly keys = new Map<string, CachedKey>();
  private readonly lookups = new Map<string, Promise<CachedKey>>();

  constructor(
    private readonly pool: Pool,
    private readonly intake: EventIntake,
    private readonly limiter: RateLimiter,
    private readonly limits: IngestLimits,
  ) {}

  /** Forget cached keys (after a revoke or rotation in this process). */
  invalidateKeys(): void {
    this.keys.clear();
  }

  async envelope(req: IngestRequest): Promise<{ id?: string }> {
    const body = await this.body(req);
    const envelope = parseEnvelope(body);
    const key = await this.authenticate({ ...req, envelopeDsn: envelope.header.dsn });
    const events = envelope.items.filter((i) => i.type === 'event');
    if (events.length > 1) throw malformed('ERRORS_TOO_MANY_EVENTS', `an envelope carries at most one event item, this one has ${events.length}`);
    await this.recordClientReports(key.projectId, envelope);
    const item = events[0];
    if (!item) {
      const id = normaliseEventId(envelope.header.event_id);
      return id ? { id: sentryId(id) } : {};
    }
    if (item.payload.length > this.limits.maxEventBytes) throw tooLarge('ERRORS_EVENT_TOO_LARGE', `the event item is ${item.payload.length} bytes; the limit is ${this.limits.maxEventBytes}`);
    const { value: event, text } = parseItemText(item);
    return this.accept(key, event, text, envelope.header.event_id);
  }

  async store(req: IngestRequest): Promise<{ id: string }> {
    const body = await this.body(req);
    if (body.length > this.limits.maxEventBytes) throw tooLarge('ERRORS_EVENT_TOO_LARGE', `the event is ${body.length} bytes; the limit is ${this.limits.maxEventBytes}`);
    const { value: event, text } = parseItemText({ type: 'event', header: {}, payload: body });
    const key = await this.authenticate(req);
    return this.accept(key, event, text, undefined);
  }

  private async body(req: IngestRequest): Promise<Buffer> {
    if (!req.body?.length) throw malformed('ERRORS_EMPTY_BODY', 'the request body is empty');
    return decompressBody(req.body, req.contentEncoding, this.limits.maxEnvelopeBytes);
  }

  private async authenticate(req: IngestRequest & { envelopeDsn?: unknown }): Promise<ActiveKey> {
    if (!/^\d{1,18}$/.test(req.projectId)) throw forbidden(`unknown project ${req.projectId.slice(0, 40)}`);
    const publicKey = presentedKey(req, req.projectId);
    const cacheKey = `${req.projectId}:${publicKey}`;
    let entry = this.keys.get(cacheKey);
    if (!entry || entry.until < Date.now()) entry = await this.lookup(cacheKey, req.projectId, publicKey, entry);
    if (!entry.key) throw forbidden('unknown or revoked DSN key for this project');
    return entry.key;
  }

  /**
   * One lookup per key at a time. PostgreSQL unreachable: a key seen within ERRORS_KEY_STALE_MS keeps
   * working from the cache (probed again every second); a key not known then is refused with 503, not 403.
   */
  private lookup(cacheKey: string, projectId: string, publicKey: string, prior: CachedKey | undefined): Promise<CachedKey> {
    const running = this.lookups.get(cacheKey);
    if (running) return running;
    const promise = findActiveKey(this.pool, projectId, publicKey)
      .then(
        (key) => {
          const now = Date.now();
          const entry = { key, until: now + this.limits.keyCacheMs, staleUntil: now + this.limits.keyCacheMs + this.limits.keyStaleMs };
          if (this.keys.size > 10_000) this.keys.clear();
          this.keys.set(cacheKey, entry);
          return entry;
        },
        (err: unknown) => {
          const failure = unavailable(err);
          if (!prior?.key || prior.staleUntil < Date.now()) throw failure;
          prior.until = Date.now() + RETRY_LOOKUP_MS;
          return prior;
        },
      )
      .finally(() => this.lookups.delete(cacheKey));
    this.lookups.set(cacheKey, promise);
    return promise;
  }

  private async accept(key: ActiveKey, event: Record<string, unknown>, json: string, headerEventId: unknown): Promise<{ id: string }> {
    assertEventShape(event);
    const given = event.event_id ?? headerEventId;
    const eventId = given === undefined ? randomUUID() : normaliseEventId(given);
    if (!eventId) throw malformed('ERRORS_EVENT_ID_INVALID', 'event_id must be 32 hexadecimal digits');
    const wait = await this.limiter.take([
      { key: `vigil:errors:quota:project:${key.projectId}`, perMinute: key.projectRatePerMinute ?? this.limits.defaultProjectPerMinute },
      { key: `vigil:errors:quota:key:${key.keyId}`, perMinute: key.keyRatePerMinute ?? this.limits.defaultKeyPerMinute },
    ]);
    if (wait > 0) {
      const seconds = Math.max(1, Math.ceil(wait / 1000));
      throw rateLimited(key.projectId, seconds);
    }
    try {
      await this.intake.accept({ eventId, projectId: key.projectId, keyId: key.keyId, tenantId: key.tenantId, receivedAt: new Date(), event, json });
    } catch (err) {
      throw unavailable(err);
    }
    return { id: sentryId(eventId) };
  }

  private async recordClientReports(projectId: string, envelope: Envelope): Promise<void> {
    const rows: ClientReportRow[] = [];
    for (const item of envelope.items.filter((i) => i.type === 'client_report')) {
      const report = parseItemJson(item);
      const discarded = report.discarded_events;
      if (discarded === undefined) continue;
      if (!Array.isArray(discarded)) throw malformed('ERRORS_CLIENT_REPORT_INVALID', 'client_report.discarded_events must be an array');
      for (const d of discarded as Record<string, unknown>[]) {
        if (typeof d?.reason !== 'string' || typeof d.category !== 'string' || !Number.isSafeInteger(d.quantity) || (d.quantity as number) < 0) {
          throw malformed('ERRORS_CLIENT_REPORT_INVALID', 'each discarded event needs a string reason and category and a non-negative integer quantity');
        }
        rows.push({ reason: d.reason.slice(0, 100), category: d.category.slice(0, 100), quantity: Math.min(d.quantity as number, 2 ** 31 - 1) });
      }
    }
    await insertClientReports(this.pool, projectId, rows).catch((err: unknown) => {
      throw unavailable(err);
    });
  }
}

function unavailable(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (!isInfrastructureError(err) && !(err instanceof Error && /timeout|connect/i.test(err.message))) throw err;
  return storageUnavailable();
}
