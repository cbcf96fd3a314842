// Where an accepted event is made durable before its 200. The fast path produces the event, with
// its payload, to Kafka (idempotent producer, acks=all, coalesced and gzip-compressed requests) and
// waits for the acknowledgement. When Kafka fails, misses the deadline, or has too many sends
// pending, the event goes to the PostgreSQL spool instead (accepted_events + an outbox reference,
// group commit: accept-queue.ts); for ERRORS_SPOOL_HOLD_MS after a miss every event goes straight
// there, so a dead broker costs one deadline, not one per request. Both paths end on errors.events.
import { buildEnvelope, encodeWireWithJson, ErrorEventAcceptedV2, injectTraceHeaders, type EventBus, type EventLogger, type WireMessage } from '@vigil/events';
import type { AcceptQueue } from './accept-queue.js';
import type { IntakeMetrics } from '../metrics.js';

export interface AcceptedEvent {
  eventId: string;
  projectId: string;
  keyId: string;
  tenantId: string;
  receivedAt: Date;
  /** The parsed event (validated; checked against the v2 schema). */
  event: Record<string, unknown>;
  /** The event item's text as received, which `event` was parsed from: it travels in the Kafka message
   *  as it is (not serialised again) and is what the spool keeps. */
  json: string;
}

export interface EventIntakeOptions {
  bus: EventBus;
  spool: AcceptQueue;
  metrics: IntakeMetrics;
  log: EventLogger;
  deadlineMs: number;
  holdMs: number;
  maxPending: number;
}

// Headroom under the topic's max.message.bytes for record headers and batch framing.
const MESSAGE_HEADROOM = 64 * 1024;
// Bytes waiting for Kafka acknowledgements at once (with maxPending: memory stays bounded when the broker is slow).
const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export type IntakePath = 'kafka' | 'spool';

export class EventIntake {
  private pending = 0;
  private pendingBytes = 0;
  private spoolUntil = 0;
  private readonly maxValueBytes = (ErrorEventAcceptedV2.maxMessageBytes ?? 1 << 20) - MESSAGE_HEADROOM;

  constructor(private readonly o: EventIntakeOptions) {}

  /** Resolves once the event is durable (Kafka ack or spool COMMIT); rejects when neither could keep it. */
  async accept(e: AcceptedEvent): Promise<IntakePath> {
    if (Date.now() >= this.spoolUntil && this.pending < this.o.maxPending && this.pendingBytes < MAX_PENDING_BYTES) {
      const wire = this.wireOf(e);
      const bytes = Buffer.byteLength(wire.value);
      // Re-serialising can in rare cases grow an event past the topic's limit: the spool keeps it as received.
      if (bytes <= this.maxValueBytes && (await this.produce(wire, bytes))) {
        this.o.metrics.accepted.inc({ path: 'kafka' });
        return 'kafka';
      }
    }
    await this.o.spool.accept({ eventId: e.eventId, projectId: e.projectId, keyId: e.keyId, tenantId: e.tenantId, receivedAt: e.receivedAt, payload: e.json });
    this.o.metrics.accepted.inc({ path: 'spool' });
    return 'spool';
  }

  /** Resolves once the spool's transactions in flight have committed (shutdown). */
  drained(): Promise<void> {
    return this.o.spool.drained();
  }

  private wireOf(e: AcceptedEvent): WireMessage {
    const data = { projectId: e.projectId, eventId: e.eventId, keyId: e.keyId, receivedAt: e.receivedAt.toISOString(), event: e.event };
    const envelope = buildEnvelope(ErrorEventAcceptedV2, data, { tenantId: e.tenantId, source: this.o.bus.service, occurredAt: e.receivedAt });
    return encodeWireWithJson(ErrorEventAcceptedV2, envelope, injectTraceHeaders({}), 'event', e.json);
  }

  /** true once Kafka acknowledged; false when it failed or the deadline passed first (the send may still land: processing dedupes by event id). */
  private async produce(wire: WireMessage, bytes: number): Promise<boolean> {
    this.pending++;
    this.pendingBytes += bytes;
    const sent = this.o.bus.sendWire([wire]).then(
      () => true,
      (err: unknown) => {
        this.o.log.warn({ err: (err as Error).message }, 'Kafka produce failed; spooling to PostgreSQL');
        return false;
      },
    );
    void sent.then(() => {
      this.pending--;
      this.pendingBytes -= bytes;
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.o.deadlineMs);
    });
    try {
      const ok = await Promise.race([sent, deadline]);
      if (!ok) {
        this.spoolUntil = Date.now() + this.o.holdMs;
        this.o.metrics.kafkaMisses.inc();
      }
      return ok;
    } finally {
      clearTimeout(timer);
    }
  }
}
