// Breach management (Art. 33/34): a register of every breach with its 72-hour clock, the
// Art. 33(3) fields, phased information (Art. 33(4)) and the Art. 34 decision.
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { getBreach, insertBreach, insertBreachUpdate, listBreaches, listBreachUpdates, updateBreach } from '../db/breaches.js';
import { pageInMemory, withTransaction, type Page, type PageRequest } from '@vigil/service-kit';
import { asTenant } from './tenant-scope.js';
import { decisionPatch, missingArt33Fields, newBreach, notificationOverdue, type BreachDecision, type BreachInput, type Art33Field, type BreachRow } from '../domain/breaches.js';
import { breachNotFound } from '../errors.js';

export interface BreachView extends BreachRow {
  notificationOverdue: boolean;
  /** Art. 33(3) fields still to be given (Art. 33(4) allows them in phases). */
  missingFields: Art33Field[];
  updates: { phase: string; detail: string; addedAt: string }[];
}

async function view(tx: PoolClient, b: BreachRow, now: Date): Promise<BreachView> {
  return { ...b, notificationOverdue: notificationOverdue(b, now), missingFields: missingArt33Fields(b), updates: await listBreachUpdates(tx, b.id) };
}

export function recordBreach(pool: Pool, tenantId: string, input: BreachInput, now = new Date()): Promise<BreachView> {
  const fields = newBreach(randomUUID(), input, now);
  return withTransaction(pool, async (tx) => view(tx, await insertBreach(tx, tenantId, fields), now), asTenant(tenantId));
}

/** Records notification, the Art. 34 decision or a new phase of information. */
export function updateBreachDecision(pool: Pool, tenantId: string, id: string, d: BreachDecision, now = new Date()): Promise<BreachView> {
  return withTransaction(pool, async (tx) => {
    const b = await getBreach(tx, id, true);
    if (!b) throw breachNotFound(id);
    const patch = decisionPatch(b, d);
    const updated = Object.keys(patch).length ? await updateBreach(tx, id, patch) : b;
    if (d.phase) await insertBreachUpdate(tx, tenantId, { id: randomUUID(), breachId: id, ...d.phase });
    return view(tx, updated, now);
  }, asTenant(tenantId));
}

export function breachDetail(pool: Pool, tenantId: string, id: string, now = new Date()): Promise<BreachView> {
  return withTransaction(pool, async (tx) => {
    const b = await getBreach(tx, id);
    if (!b) throw breachNotFound(id);
    return view(tx, b, now);
  }, asTenant(tenantId));
}

/** Newest awareness first. */
export async function breachRegister(pool: Pool, tenantId: string, page: PageRequest, now = new Date()): Promise<Page<BreachView>> {
  const all = await withTransaction(pool, async (tx) => {
    const out: BreachView[] = [];
    for (const b of await listBreaches(tx)) out.push(await view(tx, b, now));
    return out;
  }, asTenant(tenantId));
  return pageInMemory(all, page, (b) => [b.awareAt, b.id], ['desc', 'desc']);
}
