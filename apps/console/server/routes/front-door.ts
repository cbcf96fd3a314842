// The front door: the five service APIs under one origin, called with the console's key for
// the session's (tenant, role) instead of anything the browser sent; and the Sentry ingest
// paths, passed through untouched so a DSN can point at the console.
import proxy from '@fastify/http-proxy';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { sendProblem } from '@vigil/service-kit';
import type { ServiceInstances } from '../clients/service-instances.js';
import { upstreams } from '../config.js';
import { recordServiceChange } from '../operations/audit.js';
import type { ConsoleDeps } from '../operations/deps.js';
import { sessionOf } from '../plugins/session-guard.js';

declare module 'fastify' {
  interface FastifyRequest {
    serviceKey: string | null;
    /** The signed-in person, as the services record who acted (X-Vigil-Actor). */
    serviceActor: string | null;
  }
}

/** Set from the session only; a value the browser sends is dropped with its credentials. */
const ACTOR_HEADER = 'x-vigil-actor';

/** Browser credentials (and any claim of who is acting) never travel on. */
function withoutBrowserCredentials(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const name of ['cookie', 'authorization', 'x-api-key', 'x-csrf-token', ACTOR_HEADER]) delete out[name];
  return out;
}

declare module 'fastify' {
  interface FastifyRequest {
    upstreamUrl: string | null;
  }
}

/** The instance this request goes to (chosen once, so a failure is charged to the right one). */
const chooseInstance = (instances: ServiceInstances) => (raw: unknown) => {
  const req = raw as FastifyRequest;
  return (req.upstreamUrl ??= instances.pick());
};

const unreachable =
  (service: string, instances: ServiceInstances) =>
  (raw: unknown, { error }: { error: Error }): void => {
    const reply = raw as FastifyReply;
    if (reply.request.upstreamUrl) instances.unreachable(reply.request.upstreamUrl);
    reply.request.log.warn({ service, upstream: reply.request.upstreamUrl, err: error.message }, 'upstream unreachable');
    void sendProblem(reply.request, reply, 502, 'CONSOLE_UPSTREAM_UNAVAILABLE', `service ${service} cannot be reached`);
  };

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const frontDoorRoutes: FastifyPluginAsync<{ deps: ConsoleDeps }> = async (app: FastifyInstance, { deps }) => {
  // The proxy passes bodies through unparsed (its own parser for every content type); the kit's depth-limited
  // application/json parser would clash with it here (FST_ERR_CTP_ALREADY_PRESENT). Removed in this plugin's scope
  // only: the console's own routes keep it, and each service parses the body it gets with the same limit.
  app.removeContentTypeParser('application/json');
  app.decorateRequest('serviceKey', null);
  app.decorateRequest('upstreamUrl', null);
  app.decorateRequest('serviceActor', null);
  const services = upstreams(deps.config);
  // Who changed what in a service goes to the audit log (the service itself only sees the console's key).
  app.addHook('onResponse', async (req, reply) => {
    const session = req.consoleSession;
    if (!req.serviceKey || !session || !STATE_CHANGING.has(req.method) || reply.statusCode >= 400) return;
    const path = req.url.split('?')[0]!;
    const service = services.find((u) => path.startsWith(`${u.prefix}/`));
    if (!service) return;
    await recordServiceChange(deps, session, { service: service.name, method: req.method, path: path.slice(service.prefix.length), status: reply.statusCode }).catch(
      (err: Error) => req.log.error({ err: err.message }, 'could not record the service change for the audit log'),
    );
  });
  for (const u of services) {
    const instances = deps.services[u.name];
    await app.register(proxy, {
      // No fixed upstream: each request goes to the instance getUpstream picks.
      upstream: '',
      prefix: u.prefix,
      rewritePrefix: '/',
      // Any signed-in role may call; the service enforces the role its key carries.
      config: { public: true, access: 'read' },
      preHandler: async (req: FastifyRequest) => {
        const s = sessionOf(req);
        req.serviceKey = await deps.serviceKeys.keyFor(s.tenantId, s.role);
        req.serviceActor = encodeURIComponent(s.email);
      },
      replyOptions: {
        getUpstream: chooseInstance(instances),
        // The service trusts X-Vigil-Actor only with the console's own front-door key.
        rewriteRequestHeaders: (req, headers) => {
          const r = req as FastifyRequest;
          return { ...withoutBrowserCredentials(headers), authorization: `Bearer ${r.serviceKey}`, ...(r.serviceActor ? { [ACTOR_HEADER]: r.serviceActor } : {}) };
        },
        onError: unreachable(u.name, instances),
      },
    });
  }
  // DSN-authenticated at error-ingest; Content-Encoding and body pass through as they came.
  await app.register(proxy, {
    upstream: '',
    prefix: '/api/:projectId',
    rewritePrefix: '/api/:projectId',
    routes: ['/envelope/', '/store/'],
    httpMethods: ['POST'],
    config: { public: true, access: 'anonymous' },
    replyOptions: {
      getUpstream: chooseInstance(deps.services.errors),
      rewriteRequestHeaders: (_req, headers) => withoutBrowserCredentials(headers),
      onError: unreachable('errors', deps.services.errors),
    },
  });
};
