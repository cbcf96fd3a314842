// A service's side of data subject requests: it erases or exports its own tables for
// each SubjectRequestIssued addressed to it, and answers with a SubjectRequestReceipt
// written through its outbox in the same transaction as the erasure (so the proof and
// the effect commit together, exactly once per request thanks to the inbox).
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import {
  handleOnce,
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

export async function answerSubjectRequest(
  infra: ParticipantInfra,
  service: string,
  handler: SubjectDataHandler,
  event: EnvelopeOf<typeof SubjectRequestIssued>,
): Promise<void> {
  const { data } = event;
  if (!data.expectedServices.includes(service)) return;
  const req: SubjectRequest = {
    requestId: data.requestId,
    tenantId: event.tenantId,
    kind: data.kind,
    identifiers: data.identifiers,
    ...(data.holds ? { holds: data.holds } : {}),
  };
  const receipt = (r: Omit<EventData<typeof SubjectRequestReceipt>, 'requestId' | 'service' | 'kind' | 'completedAt'>) => ({
    requestId: req.requestId,
    service,
    kind: req.kind,
    completedAt: new Date().toISOString(),
    ...r,
  });
  try {
    await handleOnce({ pool: infra.pool, schema: infra.schema, consumer: 'subject-requests' }, event, async (tx) => {
      if (req.kind === 'erasure') {
        const tables = await handler.erase(tx, req);
        await infra.outbox.enqueue(tx, SubjectRequestReceipt, receipt({ status: 'completed', tables }), { tenantId: req.tenantId });
      } else {
        const part = await handler.export(tx, req);
        await infra.outbox.enqueue(
          tx,
          SubjectRequestReceipt,
          receipt({ status: 'completed', tables: part.tables, exportPart: { format: 'json', sha256: sha256(canonicalJson(part.data)), data: part.data } }),
          { tenantId: req.tenantId },
        );
      }
    });
  } catch (err) {
    // A dependency outage is retried by the bus; anything else is answered with a failed receipt.
    if (isInfrastructureError(err)) throw err;
    await handleOnce({ pool: infra.pool, schema: infra.schema, consumer: 'subject-requests' }, event, (tx) =>
      infra.outbox.enqueue(tx, SubjectRequestReceipt, receipt({ status: 'failed', tables: [], error: (err as Error).message.slice(0, 500) }), {
        tenantId: req.tenantId,
      }).then(() => undefined),
    );
  }
}

/** Subscribes the service to data subject requests. */
export function participateInSubjectRequests(infra: ParticipantInfra, service: string, handler: SubjectDataHandler): void {
  infra.bus.subscribe(SubjectRequestIssued, (event) => answerSubjectRequest(infra, service, handler, event));
}
