// gdpr.data-holders -> gdpr.data_holders: who must answer data subject requests.
import { DataHolderRegistered, handleOnce, type EventBus } from '@vigil/events';
import type { Pool } from 'pg';
import { registerDataHolder } from '../operations/data-holders.js';

export function subscribeDataHolders(bus: EventBus, pool: Pool): void {
  bus.subscribe(DataHolderRegistered, async (event) => {
    await handleOnce({ pool, schema: 'gdpr', consumer: 'data-holder-registered' }, event, (tx) => registerDataHolder(tx, event));
  });
}
