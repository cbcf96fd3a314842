// The silences API's use cases: create (time window and/or until resolved), list, expire.
import { decodeCursor, type Page, type PageRequest } from '@vigil/service-kit';
import { expireSilence, insertSilence, pageSilences } from '../db/silences.js';
import { validateSilence, type Silence, type SilenceInput } from '../domain/silences.js';
import { checked, silenceInvalid, silenceNotFound } from '../errors.js';
import type { AlertingDeps } from './deps.js';

export function silencesOf(deps: AlertingDeps, tenantId: string, page: PageRequest): Promise<Page<Silence>> {
  return pageSilences(deps.pool, tenantId, page.limit, decodeCursor(page.cursor, 2));
}

export function createSilence(deps: AlertingDeps, tenantId: string, createdBy: string, input: SilenceInput): Promise<Silence> {
  const window = checked(() => validateSilence(input, new Date()), silenceInvalid);
  return insertSilence(deps.pool, tenantId, { matchers: input.matchers, ...window, untilResolved: input.untilResolved ?? false, createdBy, comment: input.comment ?? '' });
}

export async function endSilence(deps: AlertingDeps, tenantId: string, id: string): Promise<Silence> {
  return (await expireSilence(deps.pool, tenantId, id)) ?? Promise.reject(silenceNotFound(id));
}
