export * from './config.js';
export { kafkaConnection } from './kafka-connection.js';
export * from './errors.js';
export * from './pagination.js';
export { Problem, problemResponse } from './route-conventions.js';
export { validationDetail, type AjvError } from './validation-detail.js';
export * from './auth.js';
export * from './app.js';
export * from './lifecycle.js';
export * from './telemetry.js';
export { createPool, ensureDatabase } from './db/pool.js';
export { migrate, loadMigrations, type Migration, type MigrateOptions, type MigrationContext, type CodeMigration } from './db/migrate.js';
export { withTransaction, withRollback, scopeTransaction, type TenantScope, type TransactionOptions } from './db/transaction.js';
export * from './scheduler.js';
// Secrets live in @vigil/privacy (importable without the kit, e.g. by the console); re-exported here.
export { sealSecret, openSecret, isSealed, redactUrl, redactSecrets, SecretError } from '@vigil/privacy';
export { IDENTITY_SCHEMA, revokeApiKey } from './db/api-keys.js';
export { listApiKeys, API_KEY_REVOKED_CHANNEL, type ApiKeyInfo, type Queryable } from './db/api-keys.js';
export { SelfReportConfig } from './self-report.js';
