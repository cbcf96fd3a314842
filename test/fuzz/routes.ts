// What the fuzzer aims at: every write route in a service's OpenAPI document (so a route added
// later is fuzzed without touching this folder), the kit's public probes, and extra public routes.
import type { FastifyInstance } from 'fastify';

export interface Endpoint {
  method: string;
  /** OpenAPI template, e.g. /v1/rules/{ruleId}. */
  path: string;
  /** Authenticated with a valid key so that validation is reached; public routes get no key by default. */
  auth: boolean;
  /** Top-level body property names from the schema: generated bodies use them so they get past "unknown field". */
  bodyKeys: string[];
  /** The body's JSON schema, if declared: schema-shaped bodies get past validation into the handler. */
  bodySchema?: JsonSchema;
  /** Query parameter names the route declares. */
  queryKeys: string[];
}

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  additionalProperties?: boolean | JsonSchema;
}

const WRITE = new Set(['post', 'put', 'patch', 'delete']);

interface OpenApiOperation {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  parameters?: { in: string; name: string }[];
}

export function writeEndpoints(app: FastifyInstance, publicPaths: string[] = []): Endpoint[] {
  const doc = (app as unknown as { swagger(): { paths?: Record<string, Record<string, OpenApiOperation>> } }).swagger();
  const out: Endpoint[] = [];
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      if (!WRITE.has(method)) continue;
      const schema = Object.values(op.requestBody?.content ?? {})[0]?.schema;
      out.push({
        method: method.toUpperCase(),
        path,
        auth: !publicPaths.includes(path),
        bodyKeys: Object.keys(schema?.properties ?? {}),
        bodySchema: schema,
        queryKeys: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return out;
}

/** The kit's probes: public, GET only — the fuzz varies their headers and (ignored) bodies. */
export const PROBES: Endpoint[] = ['/healthz', '/readyz', '/metrics'].map((path) => ({ method: 'GET', path, auth: false, bodyKeys: [], queryKeys: [] }));
