// Data subject requests: intake with identity verification, Art. 12(3) deadlines,
// fan-out to every registered data holder, receipts, completion and re-runs.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { SubjectRequestIssued, type EnvelopeOf, type Outbox, SubjectRequestReceipt } from '@vigil/events';
import { holdersFor } from '../db/data-holders.js';
import { activeHoldsFor, listRetentionPolicies } from '../db/holds.js';
import {
  findOpenDuplicate,
  getRequest,
  insertReceipts,
  insertRequest,
  completeAnswered,
  lockRequests,
  listReceipts,
  missingServices,
  setRequestHolds,
  updateRequest,
  pageRequests,
  type RequestRow,
  type RequestState,
} from '../db/requests.js';
import { decodeCursor, scopeTransaction, withTransaction, type Page, type PageRequest } from '@vigil/service-kit';
import { asTenant, tenantScope } from './tenant-scope.js';
import { extendedRequestDeadline, requestDeadline } from '../domain/deadlines.js';
import { retentionInForce } from '../domain/exceptions.js';
import { checkIdentifiers, hashToken, isClosed, requestSubjectRef, tokenMatches, viewOf, type RequestInput, type RequestView } from '../domain/requests.js';
import { alreadyExtended, requestClosed, requestNotFound, requestUnverified, verificationFailed } from '../errors.js';

export interface RequestDeps {
  pool: Pool;
  outbox: Outbox;
  pseudonymKey: string;
}

/**
 * Intake. A duplicate (same idempotency key, or an open request of the same kind for the same
 * subject) returns the existing request and no new token.
 */
export async function submitRequest(
  deps: RequestDeps,
  tenantId: string,
  input: RequestInput,
  now = new Date(),
): Promise<{ request: RequestView; created: boolean; verificationToken?: string }> {
  checkIdentifiers(input.identifiers);
  const ref = requestSubjectRef(deps.pseudonymKey, tenantId, input.identifiers);
  const token = randomBytes(24).toString('base64url');
  return withTransaction(deps.pool, async (tx) => {
    // Serialise intake per subject so two concurrent duplicates cannot both open a request.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`gdpr-intake:${tenantId}:${ref}`]);
    const open = await findOpenDuplicate(tx, tenantId, input.kind, ref);
    if (open) return { request: viewOf(open), created: false };
    const { row, created } = await insertRequest(tx, {
      id: randomUUID(),
      tenantId,
      kind: input.kind,
      subjectRef: ref,
      identifiers: input.identifiers.map((i) => ({ type: i.type, value: i.value.trim() })),
      idempotencyKey: input.idempotencyKey ?? null,
      state: 'unverified',
      verificationHash: hashToken(token),
      receivedAt: now.toISOString(),
      deadline: requestDeadline(now).toISOString(),
      parentId: null,
      origin: 'api',
    });
    return created ? { request: viewOf(row), created, verificationToken: token } : { request: viewOf(row), created };
  }, asTenant(tenantId));
}

interface HoldInForce {
  category: string;
  ground: string;
  reason: string;
  source: { holdId: string } | { policyId: string };
}

async function holdsFor(tx: PoolClient, request: RequestRow, now: Date): Promise<HoldInForce[] | undefined> {
  if (request.kind !== 'erasure') return undefined;
  const holds: HoldInForce[] = (await activeHoldsFor(tx, request.subjectRef)).map((h) => ({
    category: h.category,
    ground: h.ground,
    reason: h.reason,
    source: { holdId: h.id },
  }));
  // A retention policy keeps data for its period counted from the original request.
  const root = await rootOf(tx, request);
  for (const p of await listRetentionPolicies(tx)) {
    if (retentionInForce(root.receivedAt, p.retentionDays, now)) {
      holds.push({ category: p.category, ground: p.ground, reason: `retention policy: ${p.description}`, source: { policyId: p.id } });
    }
  }
  return holds;
}

/** The original request of a re-run chain. */
export async function rootOf(tx: PoolClient, request: RequestRow): Promise<RequestRow> {
  let r = request;
  while (r.parentId) r = (await getRequest(tx, r.parentId)) ?? r;
  return r;
}

/** Writes SubjectRequestIssued (outbox, same transaction) to `services`; with none, the request completes at once. */
async function issue(deps: RequestDeps, tx: PoolClient, request: RequestRow, services: string[], now: Date): Promise<RequestRow> {
  if (!services.length) return updateRequest(tx, request.id, { state: 'completed', completedAt: now.toISOString(), expectedServices: [] });
  const holds = await holdsFor(tx, request, now);
  if (holds?.length) await setRequestHolds(tx, request.id, holds.map((h) => h.source));
  await deps.outbox.enqueue(
    tx,
    SubjectRequestIssued,
    {
      requestId: request.id,
      kind: request.kind,
      identifiers: request.identifiers ?? [],
      expectedServices: services,
      deadline: request.extendedDeadline ?? request.deadline,
      issuedAt: now.toISOString(),
      ...(holds ? { holds: holds.map(({ category, ground, reason }) => ({ category, ground, reason })) } : {}),
      ...(request.parentId ? { parentRequestId: request.parentId } : {}),
    },
    { tenantId: request.tenantId },
  );
  return request;
}

/** Identity verified: the request is fanned out to every holder registered for its kind. Repeating it changes nothing. */
export async function verifyRequest(deps: RequestDeps, tenantId: string, id: string, token: string, now = new Date()): Promise<RequestView> {
  return withTransaction(deps.pool, async (tx) => {
    const r = await getRequest(tx, id, true);
    if (!r) throw requestNotFound(id);
    if (!tokenMatches(token, r.verificationHash)) throw verificationFailed();
    if (r.state !== 'unverified') return viewOf(r);
    const services = (await holdersFor(tx, r.kind)).map((h) => h.service);
    const updated = await updateRequest(tx, id, { state: 'in_progress', verifiedAt: now.toISOString(), expectedServices: services });
    return viewOf(await issue(deps, tx, updated, services, now));
  }, asTenant(tenantId));
}

export async function extendRequest(deps: RequestDeps, tenantId: string, id: string, reason: string): Promise<RequestView> {
  return withTransaction(deps.pool, async (tx) => {
    const r = await getRequest(tx, id, true);
    if (!r) throw requestNotFound(id);
    if (isClosed(r)) throw requestClosed(id, r.state);
    if (r.extendedDeadline) throw alreadyExtended(id);
    const extendedDeadline = extendedRequestDeadline(new Date(r.receivedAt)).toISOString();
    return viewOf(await updateRequest(tx, id, { extendedDeadline, extensionReason: reason, warnedState: null }));
  }, asTenant(tenantId));
}

export async function refuseRequest(deps: RequestDeps, tenantId: string, id: string, reason: string, now = new Date()): Promise<RequestView> {
  return withTransaction(deps.pool, async (tx) => {
    const r = await getRequest(tx, id, true);
    if (!r) throw requestNotFound(id);
    if (isClosed(r)) throw requestClosed(id, r.state);
    return viewOf(await updateRequest(tx, id, { state: 'refused', refusalReason: reason, completedAt: now.toISOString() }));
  }, asTenant(tenantId));
}

/** Asks the services that have not answered (or failed) again, with a new event. */
export async function retryRequest(deps: RequestDeps, tenantId: string, id: string, now = new Date()): Promise<{ request: RequestView; reissuedTo: string[] }> {
  return withTransaction(deps.pool, async (tx) => {
    const r = await getRequest(tx, id, true);
    if (!r) throw requestNotFound(id);
    if (r.state === 'unverified') throw requestUnverified(id);
    if (r.state !== 'in_progress') throw requestClosed(id, r.state);
    const missing = await missingServices(tx, id);
    await issue(deps, tx, r, missing, now);
    return { request: viewOf(r), reissuedTo: missing };
  }, asTenant(tenantId));
}

export async function requestList(deps: RequestDeps, tenantId: string, filter: PageRequest & { state?: RequestState }): Promise<Page<RequestView>> {
  const page = await withTransaction(deps.pool, (tx) => pageRequests(tx, { state: filter.state, limit: filter.limit, after: decodeCursor(filter.cursor, 2) }), asTenant(tenantId));
  return { items: page.items.map(viewOf), nextCursor: page.nextCursor };
}

export async function requestDetail(deps: RequestDeps, tenantId: string, id: string) {
  return withTransaction(deps.pool, async (tx) => {
    const r = await getRequest(tx, id);
    if (!r) throw requestNotFound(id);
    const receipts = await listReceipts(tx, id);
    const answered = new Set(receipts.filter((x) => x.status === 'completed').map((x) => x.service));
    return { ...viewOf(r), receipts, missingServices: r.state === 'in_progress' ? r.expectedServices.filter((s) => !answered.has(s)) : [] };
  }, asTenant(tenantId));
}

/**
 * Holders' receipts, many at once inside the consumer's inbox transaction: per tenant (the
 * transaction is scoped to each in turn), the requests are locked in id order, the receipts stored
 * in arrival order (one statement), then every request whose expected services have all answered is completed
 * in one statement. Returns the receipts whose request is unknown.
 */
export async function applyReceipts(
  tx: PoolClient,
  events: readonly EnvelopeOf<typeof SubjectRequestReceipt>[],
  now = new Date(),
): Promise<EnvelopeOf<typeof SubjectRequestReceipt>[]> {
  const byTenant = new Map<string, EnvelopeOf<typeof SubjectRequestReceipt>[]>();
  for (const e of events) {
    const list = byTenant.get(e.tenantId);
    if (list) list.push(e);
    else byTenant.set(e.tenantId, [e]);
  }
  const unknown: EnvelopeOf<typeof SubjectRequestReceipt>[] = [];
  for (const [tenantId, list] of byTenant) {
    await scopeTransaction(tx, tenantScope(tenantId));
    const known = await lockRequests(tx, [...new Set(list.map((e) => e.data.requestId))]);
    const receipts = [];
    for (const e of list) {
      const d = e.data;
      if (!known.has(d.requestId)) {
        unknown.push(e);
        continue;
      }
      receipts.push({
        requestId: d.requestId,
        service: d.service,
        status: d.status,
        tables: d.tables,
        exportSha256: d.exportPart?.sha256 ?? null,
        exportData: d.exportPart?.data,
        error: d.error ?? null,
        completedAt: d.completedAt,
      });
    }
    // One statement for the tenant's receipts (in arrival order), then one completing UPDATE.
    await insertReceipts(tx, tenantId, receipts);
    if (known.size) await completeAnswered(tx, [...known], now.toISOString());
  }
  return unknown;
}

/**
 * Erases again what was retained, once the exception that kept it no longer applies: a follow-up
 * erasure request (parent = the request that retained) goes to the services that retained.
 */
export async function rerunErasure(
  deps: RequestDeps,
  tx: PoolClient,
  tenantId: string,
  parent: RequestRow,
  services: string[],
  origin: string,
  now = new Date(),
): Promise<RequestRow> {
  const { row } = await insertRequest(tx, {
    id: randomUUID(),
    tenantId,
    kind: 'erasure',
    subjectRef: parent.subjectRef,
    identifiers: parent.identifiers,
    idempotencyKey: null,
    state: 'in_progress',
    verificationHash: parent.verificationHash,
    receivedAt: now.toISOString(),
    deadline: requestDeadline(now).toISOString(),
    parentId: parent.id,
    origin,
    expectedServices: services,
    verifiedAt: now.toISOString(),
  });
  return issue(deps, tx, row, services, now);
}
