// Silences through the Alertmanager v2 API: list and read in its shape, create or update
// (Alertmanager's rules: in place when allowed, else the old one expires and a new id is issued),
// expire.
import { withTransaction } from '@vigil/service-kit';
import { expireSilence, getSilence, insertSilence, listSilences, updateSilence } from '../db/silences.js';
import { canUpdateInPlace, fromAmMatcher, parseFilter, silenceMatchesFilter, sortSilences, toGettableSilence, type GettableSilence, type PostableSilence } from '../domain/am-api.js';
import { InvalidInput } from '../domain/labels.js';
import { checked, matcherInvalid, silenceInvalid, silenceNotFound } from '../errors.js';
import type { AlertingDeps } from './deps.js';

export async function listAmSilences(deps: AlertingDeps, tenantId: string, filter: string[] | undefined): Promise<GettableSilence[]> {
  const matchers = checked(() => parseFilter(filter), matcherInvalid);
  const now = new Date();
  const list = (await listSilences(deps.pool, tenantId)).map((s) => toGettableSilence(s, now));
  return sortSilences(list.filter((s) => silenceMatchesFilter(s, matchers)));
}

export async function amSilence(deps: AlertingDeps, tenantId: string, id: string): Promise<GettableSilence> {
  const s = await getSilence(deps.pool, tenantId, id);
  if (!s) throw silenceNotFound(id);
  return toGettableSilence(s, new Date());
}

function checkPosted(p: PostableSilence, now: Date): { matchers: string[]; startsAt: Date; endsAt: Date } {
  if (!p.matchers.length) throw new InvalidInput('matchers must not be empty');
  const matchers = p.matchers.map((m, i) => fromAmMatcher(m, `matchers[${i}]`));
  const startsAt = new Date(p.startsAt);
  const endsAt = new Date(p.endsAt);
  if (endsAt <= startsAt) throw new InvalidInput(`endsAt (${p.endsAt}) must be after startsAt (${p.startsAt})`);
  if (endsAt <= now) throw new InvalidInput(`endsAt (${p.endsAt}) is in the past`);
  return { matchers, startsAt, endsAt };
}

/** Returns the silence's id: the same one when updated in place, a new one otherwise. */
export async function postAmSilence(deps: AlertingDeps, tenantId: string, p: PostableSilence): Promise<string> {
  const now = new Date();
  const next = checked(() => checkPosted(p, now), silenceInvalid);
  const fields = { createdBy: p.createdBy, comment: p.comment };
  return withTransaction(deps.pool, async (tx) => {
    if (p.id) {
      const prev = await getSilence(tx, tenantId, p.id);
      if (!prev) throw silenceNotFound(p.id);
      if (canUpdateInPlace(prev, next, now)) {
        const updated = await updateSilence(tx, tenantId, p.id, { startsAt: next.startsAt, endsAt: next.endsAt, ...fields });
        if (updated) return updated.id;
      }
      await expireSilence(tx, tenantId, p.id);
    }
    const startsAt = next.startsAt < now ? now : next.startsAt;
    const created = await insertSilence(tx, tenantId, { matchers: next.matchers, startsAt, endsAt: next.endsAt, untilResolved: false, ...fields });
    return created.id;
  });
}

/** Expiring an already expired silence succeeds (Alertmanager 0.25 answers 500 there). */
export async function expireAmSilence(deps: AlertingDeps, tenantId: string, id: string): Promise<void> {
  if (!(await expireSilence(deps.pool, tenantId, id))) throw silenceNotFound(id);
}
