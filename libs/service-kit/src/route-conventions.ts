// What every route gets from the kit: its error responses declared in OpenAPI as problem+json
// (400 when it validates input, 401/403 when it needs a key, 404 when it names a resource by
// id), and GET /v1/me, the caller's own identity.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, RouteOptions } from 'fastify';

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable error code: the service prefix (ALERTING_, GDPR_, PERF_, ERRORS_, DR_, CONSOLE_) or a platform code (VALIDATION_FAILED, AUTH_REQUIRED, …)' }),
    detail: Type.Optional(Type.String({ description: 'What is wrong: names the field and what is allowed' })),
    instance: Type.String(),
    requestId: Type.String(),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

/** A problem+json error response for a route's `response` map (409, 422, 502 …; the kit adds 400/401/403/404 itself). */
export const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });
const problem = problemResponse;

const hasInput = (s: Record<string, unknown>) => ['body', 'querystring', 'params', 'headers'].some((k) => s[k] !== undefined);

/** Adds the error responses a route can give, unless it declares them itself. */
export function declareErrorResponses(route: RouteOptions): void {
  const schema = (route.schema ?? {}) as Record<string, unknown> & { hide?: boolean; response?: Record<string, unknown> };
  if (schema.hide) return;
  const config = (route.config ?? {}) as { public?: boolean };
  const response = { ...(schema.response ?? {}) };
  const add = (status: number, description: string) => {
    if (response[status] === undefined) response[status] = problem(description);
  };
  if (hasInput(schema)) add(400, 'Invalid input: the detail names the field and what is allowed (VALIDATION_FAILED)');
  if (!config.public) {
    add(401, 'No valid API key (AUTH_REQUIRED, AUTH_INVALID)');
    add(403, "The key's role is too low for this route (AUTH_FORBIDDEN)");
  }
  if (schema.params !== undefined) add(404, "No such resource, or another tenant's");
  route.schema = { ...schema, response };
}

export function registerMeRoute(app: FastifyInstance): void {
  app.get(
    '/v1/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'The caller: tenant, role and key id of the API key used',
        response: { 200: Type.Object({ tenant: Type.String(), role: Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]), keyId: Type.String() }) },
      },
    },
    async (req) => ({ tenant: req.principal.tenantId, role: req.principal.role, keyId: req.principal.keyId }),
  );
}
