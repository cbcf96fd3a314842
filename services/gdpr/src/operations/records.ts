// Records of processing activities (Art. 30(1)(a)-(g)).
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { getRecord, listRecords, upsertRecord, type RecordInput } from '../db/records.js';
import { withTenant } from '../db/tenant.js';
import { recordNotFound } from '../errors.js';

export const saveProcessingRecord = (pool: Pool, tenantId: string, r: RecordInput) => withTenant(pool, tenantId, (tx) => upsertRecord(tx, tenantId, randomUUID(), r));
export const processingRecords = (pool: Pool, tenantId: string) => withTenant(pool, tenantId, (tx) => listRecords(tx));
export const processingRecord = (pool: Pool, tenantId: string, id: string) =>
  withTenant(pool, tenantId, async (tx) => {
    const r = await getRecord(tx, id);
    if (!r) throw recordNotFound(id);
    return r;
  });
