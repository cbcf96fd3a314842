// The Alertmanager v2 API (the paths, parameters and field names of its OpenAPI), as Prometheus,
// amtool and Grafana's Alertmanager data source use it, over Vigil's alerts, silences, receivers
// and groups. Tenant-scoped by the caller's key like every other route.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { amStatus, listAmAlerts, listAmGroups, listAmReceivers, type AlertParams } from '../operations/am-alerts.js';
import { amSilence, expireAmSilence, listAmSilences, postAmSilence } from '../operations/am-silences.js';
import type { AlertingDeps } from '../operations/deps.js';
import { receiveAlertmanagerAlerts } from '../operations/ingest.js';
import { LabelSet } from './schemas.js';

const tags = ['alertmanager'];
const Labels = Type.Record(Type.String(), Type.String());
const Time = Type.String({ format: 'date-time' });
const Filter = Type.Optional(
  Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 50, description: 'Label matchers (`a="b"`, `a=~re`, `{a="b",c!="d"}`), repeatable; all must match' }),
);
const Flag = (description: string) => Type.Optional(Type.Boolean({ default: true, description }));
const AlertsQuery = Type.Object({
  filter: Filter,
  active: Flag('Include active alerts'),
  silenced: Flag('Include silenced alerts'),
  inhibited: Flag('Include inhibited alerts'),
  unprocessed: Flag('Include unprocessed alerts (Vigil processes every alert on receipt: there are none)'),
  receiver: Type.Optional(Type.String({ maxLength: 500, description: 'Regular expression over receiver names' })),
});
const Receiver = Type.Object({ name: Type.String() });
const GettableAlert = Type.Object({
  labels: Labels,
  annotations: Labels,
  startsAt: Time,
  endsAt: Time,
  updatedAt: Time,
  generatorURL: Type.Optional(Type.String()),
  fingerprint: Type.String(),
  receivers: Type.Array(Receiver),
  status: Type.Object({
    state: Type.Union([Type.Literal('active'), Type.Literal('suppressed'), Type.Literal('unprocessed')]),
    silencedBy: Type.Array(Type.String()),
    inhibitedBy: Type.Array(Type.String()),
  }),
});
const PostableAlert = Type.Object({
  labels: LabelSet,
  annotations: Type.Optional(LabelSet),
  startsAt: Type.Optional(Time),
  endsAt: Type.Optional(Time),
  generatorURL: Type.Optional(Type.String({ maxLength: 2000 })),
});
const Matcher = Type.Object(
  {
    name: Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', maxLength: 200 }),
    value: Type.String({ maxLength: 1000 }),
    isRegex: Type.Boolean(),
    isEqual: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
const SilenceId = Type.String({ format: 'uuid' });
const PostableSilence = Type.Object(
  {
    id: Type.Optional(SilenceId),
    matchers: Type.Array(Matcher, { minItems: 1, maxItems: 20 }),
    startsAt: Time,
    endsAt: Time,
    createdBy: Type.String({ minLength: 1, maxLength: 200 }),
    comment: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
);
const GettableSilence = Type.Object({
  id: Type.String(),
  status: Type.Object({ state: Type.Union([Type.Literal('active'), Type.Literal('pending'), Type.Literal('expired')]) }),
  updatedAt: Time,
  matchers: Type.Array(Type.Object({ name: Type.String(), value: Type.String(), isRegex: Type.Boolean(), isEqual: Type.Boolean() })),
  startsAt: Time,
  endsAt: Time,
  createdBy: Type.String(),
  comment: Type.String(),
});
const Status = Type.Object({
  cluster: Type.Object({ name: Type.Optional(Type.String()), status: Type.String(), peers: Type.Array(Type.Object({ name: Type.String(), address: Type.String() })) }),
  config: Type.Object({ original: Type.String() }),
  uptime: Time,
  versionInfo: Type.Object({ branch: Type.String(), buildDate: Type.String(), buildUser: Type.String(), goVersion: Type.String(), revision: Type.String(), version: Type.String() }),
});

const params = (q: { filter?: string[]; active?: boolean; silenced?: boolean; inhibited?: boolean; unprocessed?: boolean; receiver?: string }): AlertParams => ({
  filter: q.filter,
  active: q.active ?? true,
  silenced: q.silenced ?? true,
  inhibited: q.inhibited ?? true,
  unprocessed: q.unprocessed ?? true,
  receiver: q.receiver,
});

/**
 * Alertmanager's clients read an error as a JSON string (its OpenAPI's error type), and Go ones
 * (amtool, Prometheus) cannot decode application/problem+json at all ("no consumer"). So here a
 * problem is sent as the JSON string "<detail> (<code>)", unless the client asks for problem+json.
 */
async function alertmanagerErrors(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const type = String(reply.getHeader('content-type') ?? '');
  if (!type.startsWith('application/problem+json') || typeof payload !== 'string' || /application\/problem\+json/.test(req.headers.accept ?? '')) return payload;
  const problem = JSON.parse(payload) as { code?: string; detail?: string; title?: string };
  reply.type('application/json; charset=utf-8');
  return JSON.stringify(`${problem.detail ?? problem.title ?? 'error'}${problem.code ? ` (${problem.code})` : ''}`);
}

export const alertmanagerRoutes: FastifyPluginAsyncTypebox<{ deps: AlertingDeps }> = async (app, { deps }) => {
  app.addHook('onSend', alertmanagerErrors);

  app.post(
    '/api/v2/alerts',
    { schema: { tags, summary: 'Alertmanager v2: post alerts (firing, or resolved by an endsAt in the past)', body: Type.Array(PostableAlert, { maxItems: 10_000 }), response: { 200: Type.Null() } } },
    async (req) => {
      await receiveAlertmanagerAlerts(deps, req.principal.tenantId, req.body);
      return null;
    },
  );

  app.get('/api/v2/alerts', { schema: { tags, summary: 'Alertmanager v2: open alerts, with receivers and status', querystring: AlertsQuery, response: { 200: Type.Array(GettableAlert) } } }, async (req) =>
    listAmAlerts(deps, req.principal.tenantId, params(req.query)),
  );

  app.get(
    '/api/v2/alerts/groups',
    {
      schema: {
        tags,
        summary: 'Alertmanager v2: aggregation groups (receiver and group labels) with their open alerts',
        querystring: AlertsQuery,
        response: { 200: Type.Array(Type.Object({ labels: Labels, receiver: Receiver, alerts: Type.Array(GettableAlert) })) },
      },
    },
    async (req) => listAmGroups(deps, req.principal.tenantId, params(req.query)),
  );

  app.get('/api/v2/silences', { schema: { tags, summary: 'Alertmanager v2: silences, in Alertmanager order', querystring: Type.Object({ filter: Filter }), response: { 200: Type.Array(GettableSilence) } } }, async (req) =>
    listAmSilences(deps, req.principal.tenantId, req.query.filter),
  );

  app.post(
    '/api/v2/silences',
    { schema: { tags, summary: 'Alertmanager v2: create a silence, or update one (with its id)', body: PostableSilence, response: { 200: Type.Object({ silenceID: Type.String() }) } } },
    async (req) => ({ silenceID: await postAmSilence(deps, req.principal.tenantId, req.body) }),
  );

  app.get('/api/v2/silence/:silenceID', { schema: { tags, summary: 'Alertmanager v2: one silence', params: Type.Object({ silenceID: SilenceId }), response: { 200: GettableSilence } } }, async (req) =>
    amSilence(deps, req.principal.tenantId, req.params.silenceID),
  );

  app.delete('/api/v2/silence/:silenceID', { schema: { tags, summary: 'Alertmanager v2: expire a silence', params: Type.Object({ silenceID: SilenceId }), response: { 200: Type.Null() } } }, async (req) => {
    await expireAmSilence(deps, req.principal.tenantId, req.params.silenceID);
    return null;
  });

  app.get('/api/v2/receivers', { schema: { tags, summary: "Alertmanager v2: the tenant's receivers", response: { 200: Type.Array(Receiver) } } }, async (req) =>
    listAmReceivers(deps, req.principal.tenantId),
  );

  app.get('/api/v2/status', { schema: { tags, summary: "Alertmanager v2: status; config.original is the tenant's routing as an Alertmanager configuration", response: { 200: Status } } }, async (req) =>
    amStatus(deps, req.principal.tenantId),
  );

  // Alertmanager's probes: public, plain text. /-/ready is /readyz, with the failing dependency named.
  app.get('/-/healthy', { config: { public: true }, schema: { tags, summary: 'Alertmanager probe: the process is up' } }, async (_req, reply) => reply.type('text/plain; charset=utf-8').send('OK'));

  app.get('/-/ready', { config: { public: true }, schema: { tags, summary: 'Alertmanager probe: PostgreSQL, Redis and Kafka reachable (as /readyz)' } }, async (_req, reply) => {
    const ready = await app.inject({ url: '/readyz' });
    const body = ready.json() as { detail?: string };
    return reply.status(ready.statusCode).type('text/plain; charset=utf-8').send(ready.statusCode === 200 ? 'OK' : (body.detail ?? 'not ready'));
  });
};
