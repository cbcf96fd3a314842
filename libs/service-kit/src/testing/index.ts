// @vigil/service-kit/testing: fixtures for tests against the real PostgreSQL, Redis and Kafka.
export * from './env.js';
export * from './kafka.js';
export * from './scratch-postgres.js';
export * from './template.js';
export * from './service-test.js';
// The span processor classes that match the kit's tracer provider (tests collect spans with them).
export { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
