// The shape an incoming Sentry event must have for the fields we read. Everything else
// passes through untouched; wrong types in these fields are a 400 naming the field.
import { Type } from '@sinclair/typebox';
import { TypeCompiler, type ValueError } from '@sinclair/typebox/compiler';
import { malformed } from '../errors.js';

const Str = Type.String({ maxLength: 8192 });
const Frame = Type.Object({
  filename: Type.Optional(Type.Union([Str, Type.Null()])),
  abs_path: Type.Optional(Type.Union([Str, Type.Null()])),
  module: Type.Optional(Type.Union([Str, Type.Null()])),
  function: Type.Optional(Type.Union([Str, Type.Null()])),
  in_app: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  lineno: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  colno: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
});
const Stacktrace = Type.Object({ frames: Type.Optional(Type.Array(Frame, { maxItems: 2000 })) });
const Exception = Type.Object({
  type: Type.Optional(Type.Union([Str, Type.Null()])),
  value: Type.Optional(Type.Union([Type.String({ maxLength: 65536 }), Type.Null()])),
  module: Type.Optional(Type.Union([Str, Type.Null()])),
  stacktrace: Type.Optional(Type.Union([Stacktrace, Type.Null()])),
});
const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);

export const SentryEventShape = Type.Object({
  event_id: Type.Optional(Str),
  timestamp: Type.Optional(Type.Union([Type.Number(), Str])),
  level: Type.Optional(Type.Union(['fatal', 'error', 'warning', 'info', 'debug', 'log', 'sample'].map((l) => Type.Literal(l)))),
  platform: Type.Optional(Str),
  release: Type.Optional(Type.Union([Type.String({ maxLength: 250 }), Type.Null()])),
  environment: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  transaction: Type.Optional(Type.Union([Str, Type.Null()])),
  culprit: Type.Optional(Type.Union([Str, Type.Null()])),
  message: Type.Optional(Type.Union([Type.String({ maxLength: 65536 }), Type.Object({ formatted: Type.Optional(Type.String()), message: Type.Optional(Type.String()) })])),
  logentry: Type.Optional(Type.Object({ formatted: Type.Optional(Type.String()), message: Type.Optional(Type.String()), params: Type.Optional(Type.Unknown()) })),
  fingerprint: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 50 })),
  tags: Type.Optional(Type.Union([Type.Record(Type.String(), Scalar), Type.Array(Type.Tuple([Type.String(), Scalar]))])),
  user: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
  exception: Type.Optional(Type.Union([Type.Object({ values: Type.Optional(Type.Array(Exception, { maxItems: 100 })) }), Type.Array(Exception, { maxItems: 100 })])),
  stacktrace: Type.Optional(Type.Union([Stacktrace, Type.Null()])),
  request: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
  extra: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
  contexts: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
});

const check = TypeCompiler.Compile(SentryEventShape);

// For a union, the variant that got deepest into the value names the real problem.
function deepest(err: ValueError): ValueError {
  let best = err;
  for (const variant of err.errors ?? []) {
    const first = variant.First();
    if (!first) continue;
    const d = deepest(first);
    if (d.path.length > best.path.length) best = d;
  }
  return best;
}

export function assertEventShape(event: Record<string, unknown>): void {
  if (check.Check(event)) return;
  const first = check.Errors(event).First();
  const problem = first && deepest(first);
  throw malformed('ERRORS_EVENT_INVALID', `event field ${problem?.path || '/'}: ${problem?.message ?? 'is invalid'}`);
}

const HEX32 = /^[0-9a-f]{32}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sentry event ids are 32 hex digits (a UUID without dashes); returns the dashed UUID form. */
export function normaliseEventId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (HEX32.test(value)) {
    const v = value.toLowerCase();
    return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20)}`;
  }
  return UUID.test(value) ? value.toLowerCase() : undefined;
}

export const sentryId = (uuid: string) => uuid.replace(/-/g, '');
