// GET /api/health: every service's readiness, and the console's own.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { probeService, type ServiceHealth } from '../clients/service-health.js';
import { upstreams } from '../config.js';
import type { ConsoleDeps } from '../operations/deps.js';

export const healthRoutes: FastifyPluginAsync<{ deps: ConsoleDeps; stream: () => Promise<Record<string, unknown>> }> = async (app: FastifyInstance, { deps, stream }) => {
  app.get('/api/health', { config: { public: true, access: 'anonymous' }, schema: { tags: ['health'] } }, async () => {
    const list = upstreams(deps.config);
    // A service is ready when one of its instances is; with replicas, each instance is listed too.
    const results = await Promise.all(
      list.map(async (u): Promise<ServiceHealth & { instances?: Record<string, ServiceHealth> }> => {
        const each = await Promise.all(u.urls.map((url) => probeService(url)));
        const best = each.find((h) => h.status === 'ready') ?? each[0]!;
        return u.urls.length === 1 ? best : { ...best, instances: Object.fromEntries(u.urls.map((url, i) => [url, each[i]!])) };
      }),
    );
    const services: Record<string, ServiceHealth> = {};
    list.forEach((u, i) => (services[u.name] = results[i]!));
    const own = await app.inject({ method: 'GET', url: '/readyz' });
    const consoleHealth = own.json() as ServiceHealth;
    const ready = consoleHealth.status === 'ready' && results.every((r) => r.status === 'ready');
    return { status: ready ? 'ready' : 'degraded', console: { ...consoleHealth, stream: await stream() }, services };
  });
};
