// One transaction helper for every service: BEGIN (with an optional tenant scope for
// row-level security), COMMIT, ROLLBACK on throw, and the client always released.
import type pg from 'pg';

/** Row-level-security scope: the transaction runs as `role` with `app.tenant_id` set to `id`. */
export interface TenantScope {
  id: string;
  role: string;
}

export interface TransactionOptions {
  tenant?: TenantScope;
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  readOnly?: boolean;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]*$/;

function checkRole(role: string): string {
  if (!ROLE_NAME.test(role)) throw new Error(`invalid tenant role name ${JSON.stringify(role)}`);
  return role;
}

function beginStatement(tx: pg.PoolClient, o: TransactionOptions): string {
  let begin = 'BEGIN';
  if (o.isolation) begin += ` ISOLATION LEVEL ${o.isolation.toUpperCase()}`;
  if (o.readOnly) begin += ' READ ONLY';
  if (!o.tenant) return begin;
  // One round trip for BEGIN and the scope: a multi-statement query takes no parameters, hence the escaped literal.
  return `${begin}; SET LOCAL ROLE ${checkRole(o.tenant.role)}; SELECT set_config('app.tenant_id', ${tx.escapeLiteral(o.tenant.id)}, true)`;
}

/** Clients whose transaction `fn` ended itself (a multi-statement query closing with COMMIT). */
const endedInQuery = new WeakSet<pg.PoolClient>();

/**
 * Tells withTransaction that the query just run on `tx` ended with its own COMMIT (one round trip
 * for the last statements and the commit), so it sends none. Call it only after that query succeeded.
 */
export function committedInQuery(tx: pg.PoolClient): void {
  endedInQuery.add(tx);
}

/**
 * Runs `fn` in a transaction on a client of `pool`. The result of `fn` is returned after COMMIT;
 * if `fn` throws, the transaction is rolled back (a failing ROLLBACK is ignored) and the original
 * error is rethrown. A client whose connection broke is discarded rather than returned to the pool.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(beginStatement(client, opts));
    const result = await fn(client);
    if (!endedInQuery.delete(client)) await client.query('COMMIT');
    return result;
  } catch (err) {
    endedInQuery.delete(client);
    await client.query('ROLLBACK').catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Makes an already open transaction tenant-scoped (e.g. inside `handleOnce`). */
export async function scopeTransaction(tx: pg.PoolClient, scope: TenantScope): Promise<void> {
  // One round trip (a multi-statement query takes no parameters, hence the escaped literal).
  await tx.query(`SET LOCAL ROLE ${checkRole(scope.role)}; SELECT set_config('app.tenant_id', ${tx.escapeLiteral(scope.id)}, true)`);
}

/**
 * Runs `fn` in a transaction on an already connected client and always rolls it back: for
 * what-if work on a database Vigil does not own (EXPLAIN, hypothetical indexes). `comment` is
 * prefixed to BEGIN and ROLLBACK so that the monitored database's statistics can tell them apart.
 */
export async function withRollback<T>(client: pg.ClientBase, fn: () => Promise<T>, opts: { readOnly?: boolean; comment?: string } = {}): Promise<T> {
  const prefix = opts.comment ? `${opts.comment} ` : '';
  await client.query(`${prefix}BEGIN${opts.readOnly ? ' READ ONLY' : ''}`);
  try {
    return await fn();
  } finally {
    await client.query(`${prefix}ROLLBACK`);
  }
}
