// Used by the bench scripts: install if needed, check PostgreSQL/Redis, start Kafka.
import { checkDatabases, ensureInstalled, startKafka } from './infra.mjs';

ensureInstalled();
await checkDatabases();
startKafka();
