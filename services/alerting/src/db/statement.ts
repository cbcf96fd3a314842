// How the service's SQL reaches PostgreSQL: prepared once per connection, or planned on every execution.

import type { QueryConfig } from 'pg';

/**
 * A statement prepared once per connection under `alerting_<name>`: PostgreSQL parses, analyses and
 * (after five executions) plans it once instead of on every execution, which was a fifth of the
 * backends' CPU in a burst. Only for statements whose plan cannot go wrong as tables grow: inserts
 * from a JSON document and lookups in small tables. Call it with its parameters.
 */
export function prepared(name: string, text: string): (values: unknown[]) => QueryConfig {
  const statementName = `alerting_${name}`;
  return (values) => ({ name: statementName, text, values });
}

/**
 * A statement planned on every execution (an unnamed statement). For those that join a table that grows
 * during a burst: a cached generic plan keeps the plan made while the table was small. Prepared, the
 * `delivered` UPDATE joined every row still `sending` (a scan of the due index) to each batch of marks
 * instead of looking them up by primary key.
 */
export function replanned(text: string): (values: unknown[]) => QueryConfig {
  return (values) => ({ text, values });
}
