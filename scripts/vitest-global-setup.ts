// Before any test file: PostgreSQL and Redis reachable, Kafka started (idempotent).
// @ts-expect-error plain .mjs helper without type declarations
import { checkDatabases, startKafka } from './infra.mjs';

export default async function setup(): Promise<void> {
  await checkDatabases();
  startKafka();
}
