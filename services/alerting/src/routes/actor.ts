// Who is acting: the person the console names, or the API key itself.
import type { FastifyRequest } from 'fastify';

/** The console's derived front-door keys carry this name (apps/console/server/operations/service-keys.ts). */
export const CONSOLE_KEY_NAME = 'console-front-door';
export const ACTOR_HEADER = 'x-vigil-actor';

/**
 * `user:<email>` when the console's front door calls on behalf of a signed-in person (it sets the
 * header from the session and drops any the browser sent); else `key:<id>`. The header is taken
 * from no other key: a key holder cannot claim to be someone else.
 */
export function actorOf(req: FastifyRequest): string {
  const key = `key:${req.principal.keyId}`;
  const raw = req.headers[ACTOR_HEADER];
  if (req.principal.keyName !== CONSOLE_KEY_NAME || typeof raw !== 'string' || !raw) return key;
  let person: string;
  try {
    person = decodeURIComponent(raw).trim();
  } catch {
    return key;
  }
  return person && person.length <= 320 ? `user:${person}` : key;
}
