export * from './define.js';
export * from './errors.js';
export { validate, buildEnvelope, parseEnvelope, HEADER_TYPE, HEADER_VERSION } from './codec.js';
export * from './bus.js';
export * from './outbox.js';
export * from './inbox.js';
export * from './migrations.js';
export { injectTraceHeaders, extractTraceContext } from './tracing.js';
export * from './catalog/index.js';
