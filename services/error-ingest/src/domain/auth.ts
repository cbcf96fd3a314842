// DSN key presented by an SDK: X-Sentry-Auth header, sentry_key query parameter, or the
// envelope header's dsn. All that are present must name the same key (and the dsn the
// same project as the URL).
import { forbidden } from '../errors.js';

export interface PresentedCredentials {
  authHeader?: string;
  queryKey?: string;
  envelopeDsn?: unknown;
}

const KEY = /^[0-9a-f]{32}$/;

export function keyFromAuthHeader(header: string): string | undefined {
  if (header.length > 2048) throw forbidden('X-Sentry-Auth is too long');
  const body = header.replace(/^\s*sentry\s+/i, '');
  for (const part of body.split(',')) {
    const [k, ...rest] = part.split('=');
    if (k?.trim() === 'sentry_key') return rest.join('=').trim();
  }
  return undefined;
}

export function keyFromDsn(dsn: string, projectId: string): string {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw forbidden('the envelope dsn is not a URL');
  }
  const pathProject = url.pathname.split('/').filter(Boolean).pop();
  if (pathProject !== projectId) throw forbidden(`the envelope dsn names project ${pathProject ?? '(none)'}, not ${projectId}`);
  return decodeURIComponent(url.username);
}

/** The one public key the request presents, or a 403 when none, a malformed one, or disagreeing ones. */
export function presentedKey(c: PresentedCredentials, projectId: string): string {
  const keys: string[] = [];
  if (c.authHeader !== undefined) {
    const k = keyFromAuthHeader(c.authHeader);
    if (k === undefined) throw forbidden('X-Sentry-Auth carries no sentry_key');
    keys.push(k);
  }
  if (c.queryKey !== undefined) keys.push(c.queryKey);
  if (c.envelopeDsn !== undefined) {
    if (typeof c.envelopeDsn !== 'string') throw forbidden('the envelope dsn must be a string');
    keys.push(keyFromDsn(c.envelopeDsn, projectId));
  }
  if (!keys.length) throw forbidden('missing DSN key: send X-Sentry-Auth, sentry_key or an envelope dsn');
  const first = keys[0]!;
  if (keys.some((k) => k !== first)) throw forbidden('the DSN keys presented do not agree');
  if (!KEY.test(first)) throw forbidden('malformed DSN key');
  return first;
}
