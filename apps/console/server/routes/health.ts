// GET /api/health: every service's readiness, and the console's own.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { probeService, type ServiceHealth } from '../clients/service-health.js';
import { upstreams } from '../config.js';
import type { ConsoleDeps } from '../operations/deps.js';

export const healthRoutes: FastifyPluginAsync<{ deps: ConsoleDeps; stream: () => Promise<Record<string, unknown>> }> = async (app: FastifyInstance, { deps, stream }) => {
  app.get('/api/health', { config: { public: true, access: 'anonymous' }, schema: { tags: ['health'] } }, async () => {
    const list = upstreams(deps.config);
    const results = await Promise.all(list.map((u) => probeService(u.url)));
    const services: Record<string, ServiceHealth> = {};
    list.forEach((u, i) => (services[u.name] = results[i]!));
    const own = await app.inject({ method: 'GET', url: '/readyz' });
    const consoleHealth = own.json() as ServiceHealth;
    const ready = consoleHealth.status === 'ready' && results.every((r) => r.status === 'ready');
    return { status: ready ? 'ready' : 'degraded', console: { ...consoleHealth, stream: await stream() }, services };
  });
};
