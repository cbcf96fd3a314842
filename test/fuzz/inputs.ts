// fast-check arbitraries for hostile HTTP requests: bodies (random bytes, truncated and deeply
// nested JSON, schema-shaped objects with odd values, oversize fields), header values with
// control and non-Latin-1 characters, wrong or missing content types and encodings.
import fc from 'fast-check';
import type { Endpoint, JsonSchema } from './routes.js';

export interface FuzzContext {
  /** A valid API key (write or admin) of the tenant under test. */
  apiKey: string;
  /** Values that make a path parameter resolve (a real project id, …), by parameter name. */
  knownIds?: Record<string, string[]>;
  /** Extra header values worth trying, by lower-case header name (e.g. a valid x-sentry-auth). */
  knownHeaders?: Record<string, string[]>;
}

export interface FuzzCase {
  path: string;
  headers: [string, string][];
  body: Buffer;
  /** Sent through app.inject instead of a socket: header values reach the app as any JS string. */
  viaInject: boolean;
}

const controlChar = fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c));
const latin1High = fc.integer({ min: 0x7f, max: 0xff }).map((c) => String.fromCharCode(c));
const tricky = fc.constantFrom('\u2028', '\u2029', '\ufeff', '\ufffd', '\uffff', '\u0000', '\u00e9', '\u{1f600}', '"', '\\', '<', '&', "'", ';', ',', '=', '%', '\r\n', ' ');

/** Text mixing printable ASCII, controls, Latin-1, any code point and a few troublemakers. */
export const hostileText = (maxLength = 40) =>
  fc.string({ unit: fc.oneof({ weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) }, controlChar, latin1High, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), tricky), maxLength });

const oversize = fc.integer({ min: 64 * 1024, max: 900 * 1024 }).chain((n) => fc.constantFrom('a', 'é', '\u0000', '😀', '"').map((c) => c.repeat(Math.ceil(n / c.length))));

const jsonLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }),
  hostileText(60),
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53 + 1, 1.5, '', ' ', 'null', 'true', '00000000-0000-0000-0000-000000000000', '1970-01-01T00:00:00Z', 'P1D', '-1s', '9999999999999999999999'),
  oversize,
);

/** An object using the route's own field names, so generated bodies reach past "unknown field". */
const shaped = (keys: string[]) =>
  keys.length
    ? fc.dictionary(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...keys) }, hostileText(12)), jsonLeaf, { maxKeys: keys.length + 2 })
    : fc.dictionary(hostileText(12), jsonLeaf, { maxKeys: 4 });

const nested = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'), fc.boolean()).map(([depth, open, closed]) => {
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + (open === '[' ? '' : '1') + (closed ? close.repeat(depth) : '');
});

const envelope = fc.tuple(shaped(['event_id', 'dsn', 'sent_at']), fc.array(fc.tuple(shaped(['type', 'length', 'content_type']), jsonLeaf), { maxLength: 3 })).map(
  ([h, items]) => [JSON.stringify(h), ...items.flatMap(([ih, p]) => [JSON.stringify(ih), JSON.stringify(p) ?? ''])].join('\n'),
);

const FORMATS: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid(),
  'date-time': fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
  uri: fc.webUrl(),
  email: fc.emailAddress(),
};

/** A value that (mostly) satisfies the schema, with hostile strings wherever a string fits. */
export function fromSchema(s: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 6) return jsonLeaf;
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => fromSchema(a, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string': {
      const min = s.minLength ?? 0;
      const max = Math.max(min, Math.min(s.maxLength ?? 64, 256));
      const text = hostileText(max).filter((t) => t.length >= min);
      const fmt = s.format && FORMATS[s.format];
      return fmt ? fc.oneof({ weight: 3, arbitrary: fmt }, text) : fc.oneof(text, fc.string({ minLength: min, maxLength: max }));
    }
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1e6, -(2 ** 31)), max: Math.min(s.maximum ?? 1e9, 2 ** 31) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e12, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(fromSchema(s.items, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 4, 8)) });
    case 'object': {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const shape = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromSchema(v, depth + 1)]));
      const record = fc.record(shape, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
      return typeof s.additionalProperties === 'object' && !Object.keys(props).length
        ? fc.dictionary(hostileText(16).filter((k) => k.length > 0), fromSchema(s.additionalProperties, depth + 1), { maxKeys: 4 })
        : record;
    }
    default:
      return jsonLeaf;
  }
}

export const body = (e: Endpoint): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 4, arbitrary: fromSchema(e.bodySchema).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
    fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
    shaped(e.bodyKeys).map((o) => Buffer.from(JSON.stringify(o))),
    fc.tuple(shaped(e.bodyKeys), fc.nat()).map(([o, cut]) => {
      const s = Buffer.from(JSON.stringify(o));
      return s.subarray(0, s.length ? cut % s.length : 0);
    }),
    fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }).map((v) => Buffer.from(JSON.stringify(v) ?? '')),
    nested.map((s) => Buffer.from(s)),
    envelope.map((s) => Buffer.from(s)),
    hostileText(200).map((s) => Buffer.from(s)),
    fc.constant(Buffer.alloc(0)),
  );

const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/json;;', 'text/plain',
  'application/x-sentry-envelope', 'application/x-protobuf', 'application/octet-stream', 'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded', 'application/problem+json', 'application/xml', '*/*', '', ';', 'application/json; charset="',
];
const ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'gzip, br', 'x-gzip', 'compress', 'zstd', '', 'GZIP', 'gzip;q=1', 'deflate, gzip, identity'];

const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });

function authorization(ctx: FuzzContext, e: Endpoint): fc.Arbitrary<string | undefined> {
  const valid = `Bearer ${ctx.apiKey}`;
  const broken = fc.oneof(
    hostileText(),
    hostileText().map((t) => `Bearer ${t}`),
    hostileText().map((t) => `Basic ${t}`),
    fc.constantFrom(`Basic ${Buffer.from(`x:${ctx.apiKey}`).toString('base64')}`, `bearer ${ctx.apiKey}`, `Bearer ${ctx.apiKey}\u0000`, 'Bearer', 'Bearer vgl_x_y', `Bearer ${ctx.apiKey.slice(0, -1)}`),
  );
  // Authenticated routes: a valid key nine times in ten, so validation is what gets fuzzed.
  return e.auth ? fc.oneof({ weight: 9, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: broken }) : optional(fc.oneof(broken, fc.constant(valid)));
}

const known = (ctx: FuzzContext, name: string, fallback: fc.Arbitrary<string>) => {
  const values = ctx.knownHeaders?.[name] ?? [];
  return values.length ? fc.oneof(fc.constantFrom(...values), fallback) : fallback;
};

const headers = (ctx: FuzzContext, e: Endpoint): fc.Arbitrary<[string, string][]> =>
  fc
    .record({
      authorization: authorization(ctx, e),
      'content-type': optional(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, hostileText())),
      'content-encoding': optional(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ENCODINGS) }, hostileText())),
      'x-sentry-auth': optional(known(ctx, 'x-sentry-auth', fc.oneof(hostileText(), hostileText().map((t) => `Sentry sentry_version=7, sentry_key=${t}, sentry_client=${t}`)))),
      'x-request-id': optional(fc.oneof(hostileText(), fc.constantFrom('a'.repeat(129), 'ok-id.1:2', ''))),
      'idempotency-key': optional(hostileText(300)),
      traceparent: optional(fc.oneof(hostileText(60), fc.constant(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`))),
      accept: optional(fc.oneof(fc.constantFrom('application/x-protobuf', 'application/json', '*/*', 'text/html'), hostileText())),
      'accept-encoding': optional(fc.oneof(fc.constantFrom(...ENCODINGS), hostileText())),
      'x-api-key': optional(hostileText()),
      'user-agent': optional(hostileText(100)),
      origin: optional(hostileText()),
    })
    .map((h) => Object.entries(h).filter((kv): kv is [string, string] => kv[1] !== undefined));

function pathValue(ctx: FuzzContext, name: string): fc.Arbitrary<string> {
  const fuzz = fc.oneof(
    // Most ids are UUIDs: a well-formed unknown id gets past parameter validation to the handler (404).
    { weight: 4, arbitrary: fc.uuid() },
    hostileText(30).map((t) => encodeURIComponent(t) || 'x'),
    fc.constantFrom('0', '-1', '999999999999999999999', 'x'.repeat(300), '%00', '%E0%A4%A', '..%2F..%2F', '%2e', 'null', '%F0%9F%98%80', 'a%20b'),
  );
  const values = ctx.knownIds?.[name] ?? [];
  return values.length ? fc.oneof(fc.constantFrom(...values), fuzz) : fuzz;
}

const queryString = (ctx: FuzzContext, e: Endpoint): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(fc.oneof(fc.constantFrom(...e.queryKeys, 'sentry_key', 'sentry_version', 'format', 'raw'), hostileText(10)), fc.oneof(hostileText(30), known(ctx, 'sentry_key', fc.constant('')))),
      { maxLength: 3 },
    )
    .map((kv) => (kv.length ? `?${kv.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : ''));

export function fuzzCase(ctx: FuzzContext, e: Endpoint): fc.Arbitrary<FuzzCase> {
  const names = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return fc
    .record({
      params: fc.tuple(...names.map((n) => pathValue(ctx, n))),
      query: queryString(ctx, e),
      headers: headers(ctx, e),
      body: body(e),
      // A quarter go through app.inject: there header values are any JS string (non-Latin-1 included),
      // which a socket can only carry as bytes the parser reads as Latin-1.
      viaInject: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
      // Half the cases declare plain JSON and no encoding, so the body (not the framing) is what gets tested.
      plainJson: fc.boolean(),
    })
    .map(({ params, query, headers: h, body: b, viaInject, plainJson }) => {
      let i = 0;
      const hs: [string, string][] = plainJson ? [...h.filter(([k]) => k !== 'content-type' && k !== 'content-encoding'), ['content-type', 'application/json']] : h;
      return { path: e.path.replace(/\{\w+\}/g, () => params[i++]!) + query, headers: hs, body: b, viaInject };
    });
}
