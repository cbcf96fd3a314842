// docs/API.md, enforced: every route of every service's OpenAPI document has a summary and declares
// its error responses as problem+json; parameters with a default are optional; path parameters are
// camelCase resource names (never a bare `id`); list responses are the `{ items, nextCursor }`
// envelope; the document's version is the service's package version; property names are camelCase
// except the names an outside format fixes (Alertmanager, Sentry, OTLP).
import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { platformTest } from '@vigil/service-kit/testing';
import * as alerting from '../services/alerting/src/app.js';
import { loadServiceConfig as alertingConfig } from '../services/alerting/src/config.js';
import * as dr from '../services/dr-orchestrator/src/app.js';
import { loadServiceConfig as drConfig } from '../services/dr-orchestrator/src/config.js';
import * as errorIngest from '../services/error-ingest/src/app.js';
import { loadServiceConfig as errorIngestConfig } from '../services/error-ingest/src/config.js';
import * as gdpr from '../services/gdpr/src/app.js';
import { loadServiceConfig as gdprConfig } from '../services/gdpr/src/config.js';
import * as perf from '../services/perf-collector/src/app.js';
import { loadServiceConfig as perfConfig } from '../services/perf-collector/src/config.js';

const it = platformTest({
  label: 'openapiconvention',
  apps: {
    gdpr: (env) => gdpr.buildApp(gdprConfig(env)),
    'perf-collector': (env) => perf.buildApp(perfConfig(env)),
    alerting: (env) => alerting.buildApp(alertingConfig(env)),
    'error-ingest': (env) => errorIngest.buildApp(errorIngestConfig(env)),
    'dr-orchestrator': (env) => dr.buildApp(drConfig(env)),
  },
});

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; required?: string[]; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; additionalProperties?: boolean | Schema };
interface Parameter { in: string; name: string; required?: boolean; schema?: Schema & { default?: unknown } }
interface Operation {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
type Doc = { info: { version: string }; paths: Record<string, Record<string, Operation>> };

// Routes whose shape an outside protocol fixes: their paths, field names and list formats are that protocol's.
const OUTSIDE = [/^\/api\/v2\//, /^\/-\//, /^\/api\/\{projectId\}\/(envelope|store)\/$/, /^\/v1\/metrics$/];
// Kit routes that are not JSON APIs (probes, Prometheus text, the docs UI).
const PLUMBING = new Set(['/healthz', '/readyz', '/metrics']);
// Field names an outside format fixes, where they appear on Vigil's own routes: Alertmanager's routing
// configuration (PUT/GET /v1/routing) keeps Alertmanager's configuration keys.
const OUTSIDE_FIELDS = new Set(['inhibit_rules', 'group_by', 'group_wait', 'group_interval', 'repeat_interval', 'source_matchers', 'target_matchers', 'equal', 'continue', 'matchers', 'receiver', 'routes', 'mute_time_intervals']);
const CAMEL = /^[a-z][a-zA-Z0-9]*$/;
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

function propertyNames(s: Schema | undefined, at: string, out: string[]): void {
  if (!s || typeof s !== 'object') return;
  for (const [name, child] of Object.entries(s.properties ?? {})) {
    out.push(`${at}.${name}`);
    propertyNames(child, `${at}.${name}`, out);
  }
  propertyNames(s.items, `${at}[]`, out);
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) for (const b of s[k] ?? []) propertyNames(b, at, out);
  if (typeof s.additionalProperties === 'object') propertyNames(s.additionalProperties, `${at}{}`, out);
}

// `{ items, nextCursor }`; a list may add a count beside them (`total`, where counting is cheap), nothing else.
const isEnvelope = (s: Schema | undefined) =>
  !!s?.properties?.items && s.properties.items.type === 'array' && !!s.properties.nextCursor && Object.keys(s.properties).every((k) => ['items', 'nextCursor', 'total'].includes(k));

function problems(service: string, doc: Doc): string[] {
  const out: string[] = [];
  const pkg = JSON.parse(readFileSync(new URL(`../services/${service}/package.json`, import.meta.url), 'utf8')) as { version: string };
  if (doc.info.version !== pkg.version) out.push(`info.version ${doc.info.version} is not the package version ${pkg.version}`);
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (PLUMBING.has(path) || path.startsWith('/docs')) continue;
    const outside = OUTSIDE.some((re) => re.test(path));
    for (const [method, op] of Object.entries(ops)) {
      if (!METHODS.has(method)) continue;
      const route = `${method.toUpperCase()} ${path}`;
      if (!op.summary?.trim()) out.push(`${route}: no summary`);
      const errors = Object.entries(op.responses ?? {}).filter(([status]) => /^4\d\d$/.test(status));
      // Alertmanager's probes take no input and need no key: they cannot answer 4xx.
      if (!errors.length && !path.startsWith('/-/')) out.push(`${route}: no 4xx responses declared`);
      for (const [status, r] of errors) if (!r.content?.['application/problem+json']?.schema) out.push(`${route}: ${status} is not a problem+json schema`);
      const params = op.parameters ?? [];
      for (const p of params) {
        if (p.schema?.default !== undefined && p.required) out.push(`${route}: ${p.in} parameter ${p.name} has a default but is required`);
        if (p.in === 'path' && !outside) {
          if (!CAMEL.test(p.name) || p.name === 'id' || p.name === 'name') out.push(`${route}: path parameter {${p.name}} is not a camelCase resource name`);
        }
      }
      if (params.some((p) => p.in === 'path') && !op.responses?.['404']) out.push(`${route}: has path parameters but declares no 404`);
      const ok = op.responses?.['200'] ?? op.responses?.['201'];
      const okSchema = ok?.content?.['application/json']?.schema;
      if (!outside && okSchema?.type === 'array') out.push(`${route}: returns a bare array; lists return { items, nextCursor }`);
      if (!outside && method === 'get' && params.some((p) => p.in === 'query' && p.name === 'cursor') && !isEnvelope(okSchema)) out.push(`${route}: pages by cursor but its 200 is not the envelope`);
      if (outside) continue;
      const names: string[] = [];
      propertyNames(okSchema, 'response', names);
      for (const [, c] of Object.entries(op.requestBody?.content ?? {})) propertyNames(c.schema, 'body', names);
      for (const p of params) if (p.in === 'query') names.push(`query.${p.name}`);
      for (const n of names) {
        const leaf = n.split('.').at(-1)!.replace(/\[\]|\{\}/g, '');
        if (!CAMEL.test(leaf) && !OUTSIDE_FIELDS.has(leaf)) out.push(`${route}: ${n} is not camelCase`);
      }
    }
  }
  return out;
}

describe('the API convention (docs/API.md) in every service', () => {
  it('holds for every route of every OpenAPI document', { timeout: 240_000 }, async ({ apps }) => {
    const found: Record<string, string[]> = {};
    for (const [service, app] of Object.entries(apps)) {
      const doc = (await app.inject({ url: '/docs/json' })).json() as Doc;
      expect(Object.keys(doc.paths).length, service).toBeGreaterThan(5);
      found[service] = problems(service, doc);
    }
    expect(found).toEqual({ gdpr: [], 'perf-collector': [], alerting: [], 'error-ingest': [], 'dr-orchestrator': [] });
  });

  it('GET /v1/me answers the caller\'s tenant, role and key id in every service', async ({ apps, kit }) => {
    const key = await kit.apiKey('globex', 'write');
    const keyId = /^vgl_([^_]+)_/.exec(key)![1];
    for (const [service, app] of Object.entries(apps)) {
      const me = await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${key}` } });
      expect(me.statusCode, service).toBe(200);
      expect(me.json(), service).toEqual({ tenant: 'globex', role: 'write', keyId });
      const anonymous = await app.inject({ url: '/v1/me' });
      expect(anonymous.statusCode, service).toBe(401);
      expect(anonymous.json().code, service).toBe('AUTH_REQUIRED');
    }
  });
});
