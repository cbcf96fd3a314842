// createServiceApp: the fastify instance every Vigil service starts from, with its
// infrastructure (pg pool, Redis, Kafka bus, outbox, scheduler) as plugins that close themselves in order.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DataHolderRegistered, EventBus, eventsMigrations, Outbox, type EventData } from '@vigil/events';
import { kafkaBrokers, type BaseConfig } from './config.js';
import { kafkaConnection } from './kafka-connection.js';
import { IDENTITY_SCHEMA } from './db/api-keys.js';
import { migrate } from './db/migrate.js';
import { createPool, ensureDatabase } from './db/pool.js';
import { withTransaction } from './db/transaction.js';
import { TaskScheduler } from './scheduler.js';
import { registerAuth, seedApiKey } from './auth.js';
import { registerProblemHandlers } from './errors.js';
import { limitJsonDepth } from './json-body.js';
import { openApiTrueToCode } from './openapi.js';
import { declareErrorResponses, registerMeRoute } from './route-conventions.js';
import { registerHealthRoutes } from './health.js';
import { consumersPlugin, outboxPlugin, postgresPlugin, producerPlugin, redisPlugin, schedulerPlugin } from './plugins/infrastructure.js';
import { registerSelfReport } from './self-report.js';
import { registerTracing } from './telemetry.js';

export type ServiceConfig = BaseConfig & { PORT: number };

export interface ServiceOptions {
  /** Service name: logs, metrics, Kafka client id and consumer group, envelope source. */
  name: string;
  /** The PostgreSQL schema this service owns. */
  schema: string;
  version: string;
  description: string;
  config: ServiceConfig;
  /** Folder of the service's own SQL migrations. */
  migrationsDir: string;
  /** Personal data this service holds; published at startup so gdpr can fan requests out to it. */
  dataHolder?: Omit<EventData<typeof DataHolderRegistered>, 'service' | 'registeredAt'>;
  logger?: FastifyServerOptions['logger'];
}

export interface Infra {
  config: ServiceConfig;
  schema: string;
  pool: pg.Pool;
  redis: Redis;
  bus: EventBus;
  outbox: Outbox;
  registry: Registry;
  /** The service's jobs: add tasks in buildApp; started after consumers and relay, stopped first. */
  scheduler: TaskScheduler;
}

declare module 'fastify' {
  interface FastifyInstance {
    infra: Infra;
  }
}

export type ServiceApp = FastifyInstance & { withTypeProvider(): FastifyInstance };

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const IDENTITY_MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'migrations');

export const PLATFORM_TENANT = '_platform';

/** The `version` of the package.json next to a service's src folder: `packageVersion(import.meta.url)` in src/app.ts. */
export function packageVersion(moduleUrl: string): string {
  return (JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', moduleUrl)), 'utf8')) as { version: string }).version;
}

export async function createServiceApp(o: ServiceOptions): Promise<FastifyInstance> {
  const { config } = o;
  const app = Fastify({
    logger: o.logger ?? {
      level: config.LOG_LEVEL,
      base: { service: o.name },
      redact: {
        paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'req.headers["x-sentry-auth"]'],
        censor: '[redacted]',
      },
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // onReady creates topics and joins consumer groups; on a loaded host that can exceed fastify's 10 s default.
    pluginTimeout: 120_000,
    // verbose: errors carry their schema, so that a 400 can name the allowed fields and values.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true, verbose: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Before any route: every route's OpenAPI entry gets the error responses it can give.
  app.addHook('onRoute', declareErrorResponses);
  limitJsonDepth(app);

  await ensureDatabase(config.DATABASE_URL);
  const pool = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, `vigil-${o.name}`);
  await migrate(pool, { schema: IDENTITY_SCHEMA, dir: IDENTITY_MIGRATIONS });
  await migrate(pool, { schema: o.schema, dir: o.migrationsDir, library: eventsMigrations, context: { config, log: app.log } });
  if (config.VIGIL_BOOTSTRAP_API_KEY) await seedApiKey(pool, config.VIGIL_BOOTSTRAP_API_KEY, config.VIGIL_BOOTSTRAP_TENANT);

  const registry = new Registry();
  registry.setDefaultLabels({ service: o.name });
  collectDefaultMetrics({ register: registry });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis error'));
  await redis.connect().catch((err: Error) => app.log.warn({ err: err.message }, 'redis not reachable at boot'));
  const bus = new EventBus({
    brokers: kafkaBrokers(config),
    service: o.name,
    logger: app.log,
    registry,
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    namespace: config.KAFKA_NAMESPACE || undefined,
    connection: kafkaConnection(config),
    createTopics: config.KAFKA_CREATE_TOPICS,
  });
  const outbox = new Outbox({ pool, schema: o.schema, bus, logger: app.log });
  const scheduler = new TaskScheduler({
    databaseUrl: config.DATABASE_URL,
    scope: o.schema,
    log: app.log.child({ component: 'scheduler' }),
    registry,
    applicationName: `vigil-${o.name}-scheduler`,
  });
  app.decorate('infra', { config, schema: o.schema, pool, redis, bus, outbox, registry, scheduler });

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  registerProblemHandlers(app);
  registerTracing(app);
  registerAuth(app, pool);
  await app.register(swagger, {
    openapi: {
      info: { title: `Vigil ${o.name}`, description: o.description, version: o.version },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transformObject: (doc) => openApiTrueToCode('openapiObject' in doc ? doc.openapiObject : doc.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  registerHealthRoutes(app);
  registerMeRoute(app);
  registerSelfReport(app, o.name, o.version, config);

  // Start order on ready: topics, outbox relay, consumers, jobs. Close order: the reverse (see plugins/infrastructure.ts).
  await app.register(postgresPlugin, { pool });
  await app.register(redisPlugin, { redis });
  await app.register(producerPlugin, { bus });
  const dataHolder = o.dataHolder;
  await app.register(outboxPlugin, { outbox, beforeStart: dataHolder && (() => registerDataHolder(app.infra, o.name, dataHolder)) });
  await app.register(consumersPlugin, { bus });
  await app.register(schedulerPlugin, { scheduler });
  return app;
}

async function registerDataHolder(infra: Infra, service: string, holder: NonNullable<ServiceOptions['dataHolder']>): Promise<void> {
  await withTransaction(infra.pool, async (tx) => {
    await infra.outbox.enqueue(tx, DataHolderRegistered, { ...holder, service, registeredAt: new Date().toISOString() }, { tenantId: PLATFORM_TENANT });
  });
}
