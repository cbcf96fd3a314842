// X-Sentry-Error carries the rejection detail, which quotes the client's own input (JSON parse
// errors, header values). A header value may only hold visible ASCII, space and tab; anything
// else (CR/LF, controls, non-ASCII, lone surrogates) is written as a \uXXXX escape.
const MAX_CHARS = 500;

export function sentryErrorHeader(detail: string): string {
  const safe = detail.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return safe.length > MAX_CHARS ? safe.slice(0, MAX_CHARS).replace(/\\u?[0-9a-f]{0,3}$/, '') : safe;
}
