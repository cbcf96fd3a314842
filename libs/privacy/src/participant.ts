// A service's side of data subject requests: it erases or exports its own tables for
// each SubjectRequestIssued addressed to it, and answers with a SubjectRequestReceipt
// written through its outbox in the same transaction as the erasure (so the proof and
// the effect commit together, exactly once per request thanks to the inbox).
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import {
  handleOnceBatch,
  isInfrastructureError,
  SubjectRequestIssued,
  SubjectRequestReceipt,
  type EnvelopeOf,
  type EventBus,
  type EventData,
  type Outbox,
} from '@vigil/events';

export interface SubjectRequest {
  requestId: string;
  tenantId: string;
  kind: 'access' | 'erasure' | 'portability';
  identifiers: { type: string; value: string }[];
  /** Erasure exceptions in force (legal holds, retention policies); held categories are kept and reported as `retained`. */
  holds?: { category: string; ground: string; reason: string }[];
}

/** The Art. 17(3) ground that keeps `category` from erasure in this request, if any. */
export function heldGround(req: SubjectRequest, category: string): string | undefined {
  const hold = req.holds?.find((h) => h.category === category);
  return hold ? `${hold.ground}: ${hold.reason}` : undefined;
}

export type TableOutcome = EventData<typeof SubjectRequestReceipt>['tables'][number];

export interface SubjectDataHandler {
  /** Deletes (or anonymises) the subject's rows; held rows are reported as `retained` with their ground. */
  erase(tx: PoolClient, req: SubjectRequest): Promise<TableOutcome[]>;
  /** Reads the subject's rows; `data` becomes the service's part of the export. */
  export(tx: PoolClient, req: SubjectRequest): Promise<{ tables: TableOutcome[]; data: unknown }>;
}

export interface ParticipantInfra {
  bus: EventBus;
  pool: Pool;
  outbox: Outbox;
  schema: string;
}

/** Stable JSON (sorted keys) so that the export checksum is reproducible. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

type Receipt = EventData<typeof SubjectRequestReceipt>;
type Outcome = Omit<Receipt, 'requestId' | 'service' | 'kind' | 'completedAt'>;

function requestOf(event: EnvelopeOf<typeof SubjectRequestIssued>): SubjectRequest {
  const { data } = event;
  return { requestId: data.requestId, tenantId: event.tenantId, kind: data.kind, identifiers: data.identifiers, ...(data.holds ? { holds: data.holds } : {}) };
}

async function answerOne(tx: PoolClient, handler: SubjectDataHandler, req: SubjectRequest): Promise<Outcome> {
  if (req.kind === 'erasure') return { status: 'completed', tables: await handler.erase(tx, req) };
  const part = await handler.export(tx, req);
  return { status: 'completed', tables: part.tables, exportPart: { format: 'json', sha256: sha256(canonicalJson(part.data)), data: part.data } };
}

/**
 * Answers a batch of requests in one transaction: the inbox rows, every erasure or export and
 * every receipt (one outbox insert) commit together. Each request runs under its own savepoint:
 * a handler error rolls back that request's effects only and answers it with a `failed` receipt;
 * an infrastructure error fails the batch, which the bus retries. A tenant scope a handler set
 * (SET LOCAL ROLE, app.tenant_id) is cleared before the next request.
 */
export async function answerSubjectRequests(
  infra: ParticipantInfra,
  service: string,
  handler: SubjectDataHandler,
  events: readonly EnvelopeOf<typeof SubjectRequestIssued>[],
): Promise<void> {
  const mine = events.filter((e) => e.data.expectedServices.includes(service));
  if (!mine.length) return;
  await handleOnceBatch({ pool: infra.pool, schema: infra.schema, consumer: 'subject-requests' }, mine, async (tx, fresh) => {
    const receipts: { data: Receipt; opts: { tenantId: string } }[] = [];
    // Each request's end (release or roll back, clear the scope) and the next one's savepoint go
    // in one round trip: a batch of n requests costs n + 1 such statements, not 2n.
    if (fresh.length) await tx.query('SAVEPOINT subject_request');
    for (const [i, event] of fresh.entries()) {
      const req = requestOf(event);
      const next = i < fresh.length - 1 ? '; SAVEPOINT subject_request' : '';
      let outcome: Outcome;
      try {
        outcome = await answerOne(tx, handler, req);
        await tx.query(`RELEASE SAVEPOINT subject_request; SET LOCAL ROLE NONE; SELECT set_config('app.tenant_id', '', true)${next}`);
      } catch (err) {
        if (isInfrastructureError(err)) throw err;
        await tx.query(`ROLLBACK TO SAVEPOINT subject_request; RELEASE SAVEPOINT subject_request${next}`);
        outcome = { status: 'failed', tables: [], error: (err as Error).message.slice(0, 500) };
      }
      receipts.push({ data: { requestId: req.requestId, service, kind: req.kind, completedAt: new Date().toISOString(), ...outcome }, opts: { tenantId: req.tenantId } });
    }
    await infra.outbox.enqueueMany(tx, SubjectRequestReceipt, receipts);
  });
}

/** One request (see answerSubjectRequests). */
export const answerSubjectRequest = (infra: ParticipantInfra, service: string, handler: SubjectDataHandler, event: EnvelopeOf<typeof SubjectRequestIssued>) =>
  answerSubjectRequests(infra, service, handler, [event]);

/**
 * Subscribes the service to data subject requests, consumed in batches (one transaction per
 * batch). `group`: a consumer group of its own (default: the service's), so that answering does
 * not wait behind the service's other consumers of that group (the inbox keeps it exactly-once
 * when a service moves to a new group and reads the topic again).
 */
export function participateInSubjectRequests(infra: ParticipantInfra, service: string, handler: SubjectDataHandler, o: { group?: string } = {}): void {
  infra.bus.subscribeBatch(SubjectRequestIssued, (events) => answerSubjectRequests(infra, service, handler, events), { maxBatch: 100, ...(o.group ? { group: o.group } : {}) });
}
