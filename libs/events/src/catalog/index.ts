import type { AnyEventDefinition } from '../define.js';
import * as alerts from './alerts.js';
import * as audit from './audit.js';
import * as dr from './dr.js';
import * as errors from './errors.js';
import * as gdpr from './gdpr.js';
import * as perf from './perf.js';

export * from './alerts.js';
export * from './audit.js';
export * from './dr.js';
export * from './errors.js';
export * from './gdpr.js';
export * from './perf.js';

/** Every catalogued event; topics are created from this list at startup. */
export const catalog: readonly AnyEventDefinition[] = [
  ...Object.values(errors),
  ...Object.values(perf),
  ...Object.values(alerts),
  ...Object.values(gdpr),
  ...Object.values(audit),
  ...Object.values(dr),
];

const firehoseTopics = new Set(catalog.filter((d) => d.firehose).map((d) => d.topic));

/**
 * The catalog without the topics that carry a firehose event (errors.events: one message per
 * Sentry event, with its payload). For listeners of "everything" such as the console's stream and
 * history: they would otherwise read every ingested event.
 */
export const broadcastCatalog: readonly AnyEventDefinition[] = catalog.filter((d) => !firehoseTopics.has(d.topic));
