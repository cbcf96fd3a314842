// Reading a stored Sentry event (scrubbed, pseudonymised) for display: the exception chain newest
// first, frames most recent call first, breadcrumbs, request, contexts. Tolerant of every optional field.
export interface Frame {
  filename?: string;
  absPath?: string;
  module?: string;
  function?: string;
  lineno?: number;
  colno?: number;
  inApp: boolean;
  preContext: string[];
  contextLine?: string;
  postContext: string[];
}

export interface ExceptionEntry {
  type: string;
  value: string;
  mechanism?: string;
  handled?: boolean;
  /** Most recent call first, as Sentry shows them. */
  frames: Frame[];
}

export interface Breadcrumb {
  at?: string;
  category: string;
  message: string;
  level: string;
  type?: string;
  data?: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const lines = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : Array.isArray(obj(v)?.values) ? (obj(v)!.values as unknown[]) : []);

function frameOf(f: Obj): Frame {
  return {
    filename: str(f.filename),
    absPath: str(f.abs_path),
    module: str(f.module),
    function: str(f.function),
    lineno: num(f.lineno),
    colno: num(f.colno),
    inApp: f.in_app === true,
    preContext: lines(f.pre_context),
    contextLine: str(f.context_line),
    postContext: lines(f.post_context),
  };
}

/** The chain, the exception that was thrown last (the outermost) first. */
export function exceptionsOf(payload: Obj | undefined): ExceptionEntry[] {
  const values = list(payload?.exception).map(obj).filter((x): x is Obj => !!x);
  const fallback = obj(payload?.stacktrace);
  const entries = values.map((e) => {
    const mechanism = obj(e.mechanism);
    return {
      type: str(e.type) ?? 'Error',
      value: str(e.value) ?? '',
      mechanism: str(mechanism?.type),
      handled: typeof mechanism?.handled === 'boolean' ? mechanism.handled : undefined,
      frames: list(obj(e.stacktrace)?.frames).map(obj).filter((x): x is Obj => !!x).map(frameOf).reverse(),
    };
  });
  if (!entries.length && fallback) return [{ type: 'Stack trace', value: str(payload?.message) ?? '', frames: list(fallback.frames).map(obj).filter((x): x is Obj => !!x).map(frameOf).reverse() }];
  return entries.reverse();
}

export function breadcrumbsOf(payload: Obj | undefined): Breadcrumb[] {
  return list(payload?.breadcrumbs)
    .map(obj)
    .filter((x): x is Obj => !!x)
    .map((b) => {
      const ts = b.timestamp;
      const at = typeof ts === 'number' ? new Date(ts * 1000).toISOString() : str(ts);
      const data = obj(b.data);
      return { at, category: str(b.category) ?? str(b.type) ?? 'default', message: str(b.message) ?? (data ? JSON.stringify(data) : ''), level: str(b.level) ?? 'info', type: str(b.type), data };
    });
}

export interface RequestInfo {
  method?: string;
  url?: string;
  query?: string;
  headers: [string, string][];
  data?: string;
}

export function requestOf(payload: Obj | undefined): RequestInfo | undefined {
  const r = obj(payload?.request);
  if (!r) return undefined;
  const headers = obj(r.headers);
  const q = r.query_string;
  return {
    method: str(r.method),
    url: str(r.url),
    query: typeof q === 'string' ? q : Array.isArray(q) ? q.map((p) => (Array.isArray(p) ? p.join('=') : String(p))).join('&') : obj(q) ? new URLSearchParams(obj(q) as Record<string, string>).toString() : undefined,
    headers: headers ? Object.entries(headers).map(([k, v]) => [k, str(v) ?? JSON.stringify(v)] as [string, string]) : [],
    data: r.data === undefined ? undefined : typeof r.data === 'string' ? r.data : JSON.stringify(r.data, null, 2),
  };
}

/** Contexts (runtime, os, app, …) and the user and SDK, as flat key/value tables. */
export function contextsOf(payload: Obj | undefined): { name: string; entries: [string, string][] }[] {
  const out: { name: string; entries: [string, string][] }[] = [];
  const flat = (o: Obj): [string, string][] =>
    Object.entries(o)
      .filter(([k, v]) => k !== 'type' && v !== null && v !== undefined && v !== '')
      .map(([k, v]) => [k, str(v) ?? JSON.stringify(v)] as [string, string]);
  const user = obj(payload?.user);
  if (user && Object.keys(user).length) out.push({ name: 'user', entries: flat(user) });
  for (const [name, v] of Object.entries(obj(payload?.contexts) ?? {})) {
    const o = obj(v);
    if (o && name !== 'trace') out.push({ name, entries: flat(o) });
  }
  const sdk = obj(payload?.sdk);
  if (sdk) out.push({ name: 'sdk', entries: [['name', str(sdk.name) ?? ''], ['version', str(sdk.version) ?? '']] });
  return out.filter((c) => c.entries.length);
}
