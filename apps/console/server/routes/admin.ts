// Admin API (admin role in the session's tenant): users and API keys.
import { Type } from '@sinclair/typebox';
import { pageQuery, type PageRequest } from '@vigil/service-kit';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { createKey, listKeys, revokeKey } from '../operations/admin-api-keys.js';
import { createUser, listUsers, updateUser, type CreateUserInput } from '../operations/admin-users.js';
import type { ConsoleDeps } from '../operations/deps.js';
import { sessionOf } from '../plugins/session-guard.js';
import type { Role } from '../domain/roles.js';

const RoleSchema = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]);
const CreateUserBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320, pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' }),
    name: Type.Optional(Type.String({ maxLength: 200 })),
    role: RoleSchema,
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false },
);
const UpdateUserBody = Type.Object({ role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });
const UserParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
const CreateKeyBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), role: RoleSchema }, { additionalProperties: false });
const KeyParams = Type.Object({ keyId: Type.String({ pattern: '^[A-Za-z0-9]{8,64}$' }) });
/** `{ items, nextCursor }` with keyset cursors (docs/API.md): 50 a page by default, at most 500. */
const ListQuery = Type.Object(pageQuery({ limit: 50, maxLimit: 500 }), { additionalProperties: false });

export const adminRoutes: FastifyPluginAsync<{ deps: ConsoleDeps }> = async (app: FastifyInstance, { deps }) => {
  const config = { public: true, access: 'admin' } as const;
  const tags = ['admin'];
  app.get('/api/admin/users', { config, schema: { tags, summary: 'People of the tenant, by email', querystring: ListQuery } }, async (req) =>
    listUsers(deps, sessionOf(req), req.query as PageRequest),
  );
  app.post('/api/admin/users', { config, schema: { tags, body: CreateUserBody } }, async (req, reply) =>
    reply.status(201).send(await createUser(deps, sessionOf(req), req.body as CreateUserInput)),
  );
  app.patch('/api/admin/users/:userId', { config, schema: { tags, params: UserParams, body: UpdateUserBody } }, async (req) =>
    updateUser(deps, sessionOf(req), (req.params as { userId: string }).userId, req.body as { role?: Role; disabled?: boolean }),
  );
  app.get('/api/admin/api-keys', { config, schema: { tags, summary: "The tenant's API keys, newest first", querystring: ListQuery } }, async (req) =>
    listKeys(deps, sessionOf(req), req.query as PageRequest),
  );
  app.post('/api/admin/api-keys', { config, schema: { tags, body: CreateKeyBody } }, async (req, reply) =>
    reply.status(201).send(await createKey(deps, sessionOf(req), req.body as { name: string; role: Role })),
  );
  app.delete('/api/admin/api-keys/:keyId', { config, schema: { tags, params: KeyParams } }, async (req, reply) => {
    await revokeKey(deps, sessionOf(req), (req.params as { keyId: string }).keyId);
    return reply.status(204).send();
  });
};
