// The platform registry of data holders: who must answer data subject requests.
import type { EnvelopeOf, DataHolderRegistered } from '@vigil/events';
import type { Pool, PoolClient } from 'pg';
import { pageInMemory, type Page, type PageRequest } from '@vigil/service-kit';
import { listDataHolders, upsertDataHolder, type DataHolderRow } from '../db/data-holders.js';

/** Platform-wide (not tenant data): read with the service login. */
export const dataHolders = async (pool: Pool, page: PageRequest): Promise<Page<DataHolderRow>> => pageInMemory(await listDataHolders(pool), page, (h) => [h.service], ['asc']);

/** A service announced what it holds (inside the consumer's inbox transaction). */
export const registerDataHolder = (tx: PoolClient, event: EnvelopeOf<typeof DataHolderRegistered>) => upsertDataHolder(tx, event.data);
