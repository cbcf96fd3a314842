// The infrastructure of a service as fastify plugins that start on ready and close themselves.
// fastify runs onClose hooks in reverse order of registration, so registering them as
//   postgres → redis → producer → outbox → consumers → scheduler
// gives the shutdown order (after fastify has stopped intake):
//   stop the scheduler → stop consumers → final outbox flush through the still-connected
//   producer → disconnect the producer → close Redis and the pool.
// A service's own onClose hooks (registered later, in buildApp) run before all of these.
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { catalog, type EventBus, type Outbox } from '@vigil/events';
import type { TaskScheduler } from '../scheduler.js';

export const postgresPlugin = fp<{ pool: pg.Pool }>(
  async (app, { pool }) => {
    app.addHook('onClose', async () => {
      await pool.end();
    });
  },
  { name: 'vigil-postgres' },
);

export const redisPlugin = fp<{ redis: Redis }>(
  async (app, { redis }) => {
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
  },
  { name: 'vigil-redis' },
);

/** Topics (with their partition leaders) before anything uses them; the producer closes after the outbox flush. */
export const producerPlugin = fp<{ bus: EventBus }>(
  async (app, { bus }) => {
    app.addHook('onReady', async () => {
      await bus.ensureTopics(catalog);
    });
    app.addHook('onClose', async () => {
      await bus.disconnect();
    });
  },
  { name: 'vigil-producer', dependencies: ['vigil-postgres'] },
);

export const outboxPlugin = fp<{ outbox: Outbox; beforeStart?: () => Promise<void> }>(
  async (app, { outbox, beforeStart }) => {
    app.addHook('onReady', async () => {
      await beforeStart?.();
      await outbox.start();
    });
    app.addHook('onClose', async () => {
      await outbox.stop();
    });
  },
  { name: 'vigil-outbox', dependencies: ['vigil-producer'] },
);

/** Joins the consumer groups once every subscription is registered (buildApp subscribes before ready). */
export const consumersPlugin = fp<{ bus: EventBus }>(
  async (app, { bus }) => {
    app.addHook('onReady', async () => {
      await bus.start();
    });
    app.addHook('onClose', async () => {
      await bus.stopConsumers();
    });
  },
  { name: 'vigil-consumers', dependencies: ['vigil-outbox'] },
);

/** Jobs start last and stop first. */
export const schedulerPlugin = fp<{ scheduler: TaskScheduler }>(
  async (app, { scheduler }) => {
    app.addHook('onReady', async () => {
      scheduler.start();
    });
    app.addHook('onClose', async () => {
      await scheduler.stop();
    });
  },
  { name: 'vigil-scheduler', dependencies: ['vigil-consumers'] },
);
