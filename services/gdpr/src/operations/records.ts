// Records of processing activities (Art. 30(1)(a)-(g)).
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { getRecord, listRecords, upsertRecord, type RecordInput } from '../db/records.js';
import { pageInMemory, withTransaction, type PageRequest } from '@vigil/service-kit';
import { asTenant } from './tenant-scope.js';
import { recordNotFound } from '../errors.js';

export const saveProcessingRecord = (pool: Pool, tenantId: string, r: RecordInput) => withTransaction(pool, (tx) => upsertRecord(tx, tenantId, randomUUID(), r), asTenant(tenantId));
export const processingRecords = async (pool: Pool, tenantId: string, page: PageRequest) =>
  pageInMemory(await withTransaction(pool, (tx) => listRecords(tx), asTenant(tenantId)), page, (r) => [r.name], ['asc']);
export const processingRecord = (pool: Pool, tenantId: string, id: string) =>
  withTransaction(pool, async (tx) => {
    const r = await getRecord(tx, id);
    if (!r) throw recordNotFound(id);
    return r;
  }, asTenant(tenantId));
