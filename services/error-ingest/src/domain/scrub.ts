// Server-side PII scrubbing of an event, per project settings. Runs before anything is
// stored: emails, IPs, card-like numbers, credentials in headers and request data.
export interface ScrubSettings {
  enabled: boolean;
  emails: boolean;
  ipAddresses: boolean;
  creditCards: boolean;
  /** Extra field names (case-insensitive substrings) whose values are removed. */
  sensitiveFields: string[];
}

export const DEFAULT_SCRUBBING: ScrubSettings = { enabled: true, emails: true, ipAddresses: true, creditCards: true, sensitiveFields: [] };

export const FILTERED = '[Filtered]';
const SENSITIVE_KEYS = ['password', 'passwd', 'secret', 'token', 'api_key', 'apikey', 'authorization', 'cookie', 'session', 'credentials', 'private_key', 'x-sentry-auth', 'x-api-key'];
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}\b/gi;
const IPV4 = /\b(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
const IPV6 = /\b([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b([0-9a-f]{1,4}:){1,6}:([0-9a-f]{1,4}(:[0-9a-f]{1,4}){0,5})?\b/gi;
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
const BEARER = /\b(bearer|basic)\s+[\w\-.~+/=]{8,}/gi;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Cheap guards first: most strings in an event hold none of these, and a guard is far
// cheaper than a global regex replace.
const MAYBE_ANY = /[@:]|\d[.\d]\d|bearer|basic/i;
const MAYBE_AUTH = /bearer|basic/i;
const MAYBE_CARD = /\d{4}/;
const MAYBE_IPV4 = /\d\.\d/;
const MAYBE_IPV6 = /[0-9a-f]:[0-9a-f]{0,4}:/i;

export function scrubString(value: string, s: ScrubSettings): string {
  if (value.length < 6 || !MAYBE_ANY.test(value)) return value;
  let out = MAYBE_AUTH.test(value) ? value.replace(BEARER, (_m, scheme: string) => `${scheme} ${FILTERED}`) : value;
  if (s.emails && out.includes('@')) out = out.replace(EMAIL, '[email]');
  if (s.creditCards && MAYBE_CARD.test(out))
    out = out.replace(CARD, (m) => {
      const digits = m.replace(/\D/g, '');
      return digits.length >= 13 && luhn(digits) ? '[card]' : m;
    });
  if (s.ipAddresses) {
    if (MAYBE_IPV4.test(out)) out = out.replace(IPV4, '[ip]');
    if (MAYBE_IPV6.test(out)) out = out.replace(IPV6, (m) => (m.includes('::') || m.split(':').length === 8 ? '[ip]' : m));
  }
  return out;
}

// Field names repeat across events (breadcrumbs: thousands of `message`, `data`, `level` per event):
// whether a name holds one of the built-in sensitive words is remembered (bounded; names are client input).
const builtinVerdicts = new Map<string, boolean>();
const MAX_REMEMBERED = 10_000;

function builtinSensitive(key: string): boolean {
  let verdict = builtinVerdicts.get(key);
  if (verdict === undefined) {
    const k = key.toLowerCase();
    verdict = SENSITIVE_KEYS.some((n) => k.includes(n));
    if (builtinVerdicts.size >= MAX_REMEMBERED) builtinVerdicts.clear();
    builtinVerdicts.set(key, verdict);
  }
  return verdict;
}

function isSensitiveKey(key: string, s: ScrubSettings): boolean {
  if (builtinSensitive(key)) return true;
  if (!s.sensitiveFields.length) return false;
  const k = key.toLowerCase();
  return s.sensitiveFields.some((n) => n && k.includes(n.toLowerCase()));
}

function scrubValue(value: unknown, s: ScrubSettings, depth: number): unknown {
  if (typeof value === 'string') return scrubString(value, s);
  if (value === null || typeof value !== 'object' || depth > 40) return value;
  if (Array.isArray(value)) {
    // Header and tag lists come as [name, value] pairs.
    if (value.length === 2 && typeof value[0] === 'string' && isSensitiveKey(value[0], s)) return [value[0], FILTERED];
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = scrubValue(value[i], s, depth + 1);
    return out;
  }
  const out: Record<string, unknown> = {};
  const o = value as Record<string, unknown>;
  // for…in, not Object.entries: no pair arrays per field (parsed JSON has no inherited enumerable keys).
  for (const k in o) {
    const v = o[k];
    out[k] = v !== null && v !== '' && isSensitiveKey(k, s) ? FILTERED : scrubValue(v, s, depth + 1);
  }
  return out;
}

/**
 * Scrubs the whole event. `user` is handled by pseudonymisation before this runs; here
 * only the stack frames' code context is left alone (it is source, not user data).
 */
// Identifiers of the event itself, never personal data (and `user@1.2` releases are not emails).
const KEPT_AS_IS = new Set(['event_id', 'release', 'dist', 'environment', 'platform', 'level', 'timestamp', 'start_timestamp', 'fingerprint', 'sdk', 'logger', 'server_name', 'type']);

export function scrubEvent(event: Record<string, unknown>, s: ScrubSettings): Record<string, unknown> {
  if (!s.enabled) return event;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) {
    if (KEPT_AS_IS.has(k)) out[k] = v;
    else if (k === 'exception' || k === 'stacktrace' || k === 'threads') out[k] = scrubFrames(v, s);
    else out[k] = scrubValue(v, s, 0);
  }
  const request = out.request as Record<string, unknown> | undefined;
  if (request && typeof request === 'object') {
    if (request.cookies !== undefined) request.cookies = FILTERED;
    if (request.env && typeof request.env === 'object' && s.ipAddresses) delete (request.env as Record<string, unknown>).REMOTE_ADDR;
  }
  return out;
}

// Exception values, frame vars and source context are scrubbed; file names and functions are not.
const FRAME_FIELDS_AS_IS = new Set(['filename', 'abs_path', 'module', 'function', 'type', 'lineno', 'colno', 'in_app']);
function scrubFrames(value: unknown, s: ScrubSettings): unknown {
  if (value === null || typeof value !== 'object') return value;
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object' || depth > 12) return typeof v === 'string' ? scrubString(v, s) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const o: Record<string, unknown> = {};
    const from = v as Record<string, unknown>;
    for (const k in from) {
      const x = from[k];
      if (k === 'vars') o[k] = scrubValue(x, s, depth + 1);
      else if (FRAME_FIELDS_AS_IS.has(k)) o[k] = x;
      else o[k] = walk(x, depth + 1);
    }
    return o;
  };
  return walk(value, 0);
}
