// /healthz (alive), /readyz (dependencies reachable) and Prometheus /metrics.
// A 503 names the failing dependency and how it failed, never the raw driver message (that
// goes to the log): readiness bodies are public.
import type { FastifyInstance } from 'fastify';

const PROBE_TIMEOUT_MS = 2_000;

class ProbeTimeout extends Error {}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new ProbeTimeout(`timed out after ${ms} ms`)), ms).unref())]);

export type CheckResult = 'ok' | 'unreachable' | 'timeout';

export function registerHealthRoutes(app: FastifyInstance): void {
  const open = { config: { public: true }, schema: { hide: true } } as const;

  app.get('/healthz', open, async () => ({ status: 'ok' }));

  app.get('/readyz', open, async (req, reply) => {
    const { pool, redis, bus } = app.infra;
    const checks: Record<string, CheckResult> = {};
    const probe = async (name: string, fn: () => Promise<unknown>) => {
      try {
        await withTimeout(fn(), PROBE_TIMEOUT_MS);
        checks[name] = 'ok';
      } catch (err) {
        checks[name] = err instanceof ProbeTimeout ? 'timeout' : 'unreachable';
        req.log.warn({ dependency: name, err: (err as Error).message }, `readiness: ${name} is ${checks[name]}`);
      }
    };
    await Promise.all([
      probe('postgres', () => pool.query('SELECT 1')),
      probe('redis', () => redis.ping()),
      // The bus keeps one admin connection for these probes and drops it when a probe fails.
      probe('kafka', () => bus.describeCluster()),
    ]);
    const failing = Object.keys(checks).filter((k) => checks[k] !== 'ok');
    if (!failing.length) return reply.send({ status: 'ready', checks });
    return reply.status(503).send({ status: 'unavailable', checks, detail: `not ready: ${failing.map((f) => `${f} ${checks[f]}`).join(', ')}` });
  });

  app.get('/metrics', open, async (_req, reply) => {
    const { registry } = app.infra;
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
