import type pg from 'pg';

/** A pool or a client inside an open transaction. */
export type Db = pg.Pool | pg.PoolClient;
