// JSON request bodies nested past a fixed depth are refused before they are parsed. JSON.parse
// handles any depth, but every later JSON.stringify (pg's jsonb parameters, Kafka messages) and
// recursive walk overflows the stack on deep input, which would answer 500. The limit is
// serde_json's (Relay, Vector): no real document nests 128 levels.
import type { FastifyInstance } from 'fastify';
import { AppError } from './errors.js';

export const MAX_JSON_DEPTH = 128;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** true when the JSON text in buf nests objects/arrays deeper than max (one pass, no recursion; strings skipped). */
export function nestsDeeperThan(buf: Uint8Array, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      for (i++; i < buf.length && buf[i] !== QUOTE; i++) if (buf[i] === BACKSLASH) i++;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Replaces fastify's application/json parser with the same parser behind the depth check. */
export function limitJsonDepth(app: FastifyInstance, max = MAX_JSON_DEPTH): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    if (nestsDeeperThan(buf, max)) {
      done(new AppError(400, 'BODY_TOO_DEEP', `the JSON body nests objects and arrays deeper than ${max} levels; allowed: at most ${max}`), undefined);
      return;
    }
    parse(req, buf as unknown as string, done);
  });
}
