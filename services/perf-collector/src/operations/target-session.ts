// A short session on a monitored database for an API call (plan a statement, re-measure advice):
// opened with the sealed connection string, always closed, unreachable → 502 with the reason.
import type pg from 'pg';
import { abandonTarget, connectTarget } from '../clients/target-probe.js';
import type { TargetRow } from '../db/targets.js';
import { targetUnavailable } from '../errors.js';
import { openConnectionString } from './targets.js';

export interface SessionDeps {
  secretKey: string;
  timeoutMs: number;
}

export async function withTargetSession<T>(d: SessionDeps, target: TargetRow, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  let conn: string;
  try {
    conn = openConnectionString(d.secretKey, target.connSealed);
  } catch {
    throw targetUnavailable('the stored connection string cannot be decrypted with the current PERF_SECRET_KEY; register the database again');
  }
  const { client } = await connectTarget(conn, d.timeoutMs).catch((err: Error) => {
    throw targetUnavailable(`cannot connect to ${target.name}: ${err.message}`);
  });
  try {
    return await fn(client);
  } finally {
    abandonTarget(client);
  }
}
