// The silences API's use cases: create (time window and/or until resolved), list, edit, expire,
// and the preview of the open alerts a silence would match.
import { decodeCursor, type Page, type PageRequest } from '@vigil/service-kit';
import { openAlerts, type AlertRow } from '../db/alerts.js';
import { expireSilence, getSilence, insertSilence, pageSilences, updateSilence } from '../db/silences.js';
import { matchesAll, parseMatcher } from '../domain/labels.js';
import { validateSilence, type Silence, type SilenceInput } from '../domain/silences.js';
import { checked, silenceExpired, silenceInvalid, silenceNotFound } from '../errors.js';
import type { AlertingDeps } from './deps.js';

export function silencesOf(deps: AlertingDeps, tenantId: string, page: PageRequest): Promise<Page<Silence>> {
  return pageSilences(deps.pool, tenantId, page.limit, decodeCursor(page.cursor, 2));
}

export async function silenceById(deps: AlertingDeps, tenantId: string, id: string): Promise<Silence> {
  return (await getSilence(deps.pool, tenantId, id)) ?? Promise.reject(silenceNotFound(id));
}

export function createSilence(deps: AlertingDeps, tenantId: string, createdBy: string, input: SilenceInput): Promise<Silence> {
  const window = checked(() => validateSilence(input, new Date()), silenceInvalid);
  return insertSilence(deps.pool, tenantId, { matchers: input.matchers, ...window, untilResolved: input.untilResolved ?? false, createdBy, comment: input.comment ?? '' });
}

/** Edits a live silence in place (matchers, window, until-resolved, comment; the editor becomes its author). Extending is an edit of endsAt. */
export async function editSilence(deps: AlertingDeps, tenantId: string, id: string, editedBy: string, input: SilenceInput): Promise<Silence> {
  const current = await getSilence(deps.pool, tenantId, id);
  if (!current) throw silenceNotFound(id);
  const now = new Date();
  if (current.expiredAt || (current.endsAt && new Date(current.endsAt) <= now)) throw silenceExpired(id);
  // A silence that already started keeps its start unless the edit names one.
  const window = checked(() => validateSilence({ ...input, startsAt: input.startsAt ?? current.startsAt }, now), silenceInvalid);
  const updated = await updateSilence(deps.pool, tenantId, id, {
    matchers: input.matchers,
    ...window,
    untilResolved: input.untilResolved ?? false,
    createdBy: editedBy,
    comment: input.comment ?? current.comment,
  });
  return updated ?? Promise.reject(silenceExpired(id));
}

export async function endSilence(deps: AlertingDeps, tenantId: string, id: string, by: string): Promise<Silence> {
  return (await expireSilence(deps.pool, tenantId, id, by)) ?? Promise.reject(silenceNotFound(id));
}

const PREVIEW_SCAN = 10_000;

/** The open alerts these matchers would silence (what the silence form shows before saving). */
export async function previewSilence(deps: AlertingDeps, tenantId: string, matcherTexts: string[], limit: number): Promise<{ items: AlertRow[]; nextCursor: null; total: number }> {
  const matchers = matcherTexts.map((m, i) => checked(() => parseMatcher(m), (d) => silenceInvalid(`matchers/${i}: ${d}`, `matchers/${i}`)));
  const matched = (await openAlerts(deps.pool, tenantId, PREVIEW_SCAN)).filter((a) => matchesAll(matchers, a.labels));
  return { items: matched.slice(0, limit), nextCursor: null, total: matched.length };
}
