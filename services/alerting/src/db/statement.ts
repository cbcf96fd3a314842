// Hot statements as named (prepared) statements: PostgreSQL parses, analyses and plans each once per
// connection instead of on every execution (a fifth of the backends' CPU in a burst went to that).
import type { QueryConfig } from 'pg';

/** A statement prepared once per connection under `alerting_<name>`; call it with its parameters. */
export function statement(name: string, text: string): (values: unknown[]) => QueryConfig {
  const prepared = `alerting_${name}`;
  return (values) => ({ name: prepared, text, values });
}
