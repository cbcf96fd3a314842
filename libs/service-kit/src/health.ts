// /healthz (alive), /readyz (dependencies reachable) and Prometheus /metrics.
import type { FastifyInstance } from 'fastify';
import type { Admin } from 'kafkajs';

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

export function registerHealthRoutes(app: FastifyInstance): void {
  let admin: Admin | undefined;
  const open = { config: { public: true }, schema: { hide: true } } as const;

  app.get('/healthz', open, async () => ({ status: 'ok' }));

  app.get('/readyz', open, async (_req, reply) => {
    const { pool, redis, bus } = app.infra;
    const checks: Record<string, string> = {};
    const probe = async (name: string, fn: () => Promise<unknown>) => {
      try {
        await withTimeout(fn(), 2_000);
        checks[name] = 'ok';
      } catch (err) {
        checks[name] = (err as Error).message;
      }
    };
    await Promise.all([
      probe('postgres', () => pool.query('SELECT 1')),
      probe('redis', () => redis.ping()),
      probe('kafka', async () => {
        if (!admin) {
          const a = bus.kafka.admin();
          await a.connect();
          admin = a;
        }
        await admin.describeCluster().catch((err: unknown) => {
          admin = undefined;
          throw err;
        });
      }),
    ]);
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });

  app.get('/metrics', open, async (_req, reply) => {
    const { registry } = app.infra;
    return reply.type(registry.contentType).send(await registry.metrics());
  });

  app.addHook('onClose', async () => {
    await admin?.disconnect().catch(() => undefined);
  });
}
