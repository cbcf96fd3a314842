export * from './config.js';
export * from './errors.js';
export * from './auth.js';
export * from './app.js';
export * from './lifecycle.js';
export * from './telemetry.js';
export { createPool, ensureDatabase } from './db/pool.js';
export { migrate, loadMigrations, type Migration } from './db/migrate.js';
export { IDENTITY_SCHEMA, revokeApiKey } from './db/api-keys.js';
