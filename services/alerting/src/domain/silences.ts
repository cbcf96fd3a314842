// Silences: matchers over a time window, or until every alert they matched has resolved.
import { Type, type Static } from '@sinclair/typebox';
import { InvalidInput, matchesAll, parseMatcher, type Labels } from './labels.js';

export const SilenceInput = Type.Object(
  {
    matchers: Type.Array(Type.String({ maxLength: 500 }), { minItems: 1, maxItems: 20 }),
    startsAt: Type.Optional(Type.String({ format: 'date-time' })),
    endsAt: Type.Optional(Type.String({ format: 'date-time' })),
    untilResolved: Type.Optional(Type.Boolean({ description: 'Expires once no open alert matches it any more' })),
    comment: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type SilenceInput = Static<typeof SilenceInput>;

export interface Silence {
  id: string;
  matchers: string[];
  startsAt: string;
  endsAt: string | null;
  untilResolved: boolean;
  createdBy: string;
  comment: string;
  expiredAt: string | null;
  expiredBy: string | null;
  updatedAt: string;
}

export function validateSilence(s: SilenceInput, now: Date): { startsAt: Date; endsAt: Date | null } {
  s.matchers.forEach((m, i) => {
    try {
      parseMatcher(m);
    } catch (err) {
      throw err instanceof InvalidInput ? new InvalidInput(`matchers/${i}: ${err.message}`, `matchers/${i}`) : err;
    }
  });
  if (!s.endsAt && !s.untilResolved) throw new InvalidInput('a silence needs endsAt, untilResolved, or both', 'endsAt');
  const startsAt = s.startsAt ? new Date(s.startsAt) : now;
  const endsAt = s.endsAt ? new Date(s.endsAt) : null;
  if (endsAt && endsAt <= startsAt) throw new InvalidInput('endsAt must be after startsAt', 'endsAt');
  if (endsAt && endsAt <= now) throw new InvalidInput('endsAt is in the past', 'endsAt');
  return { startsAt, endsAt };
}

export function isActive(s: Silence, now: Date): boolean {
  return !s.expiredAt && new Date(s.startsAt) <= now && (!s.endsAt || new Date(s.endsAt) > now);
}

export function silencedBy(silences: readonly Silence[], labels: Labels, now: Date): Silence | undefined {
  return silences.find((s) => isActive(s, now) && matchesAll(s.matchers.map(parseMatcher), labels));
}
