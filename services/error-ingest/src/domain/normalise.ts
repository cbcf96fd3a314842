// From a raw Sentry event to what processing stores: grouping key, issue fields,
// categorisation, pseudonymised user identifiers, and the scrubbed payload.
import { groupingOf, normaliseFilename, type ExceptionValue, type Frame, type GroupingRule } from './fingerprint.js';
import { scrubEvent, scrubString, type ScrubSettings } from './scrub.js';
import { storableText } from './text.js';

export const SUBJECT_ID_TYPES = ['user_id', 'email', 'username', 'ip_address'] as const;
export type SubjectIdType = (typeof SUBJECT_ID_TYPES)[number];

export interface ProcessedEvent {
  eventId: string;
  occurredAt: Date;
  level: string;
  release?: string;
  environment?: string;
  title: string;
  culprit?: string;
  exceptionType?: string;
  fingerprint: string;
  groupingRule: GroupingRule;
  tags: Record<string, string>;
  /** Pseudonymised identifiers by type; `userRef` is the one that counts users. */
  subjects: { idType: SubjectIdType; ref: string }[];
  userRef?: string;
  payload: Record<string, unknown>;
}

const clean = storableText;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? clean(v.trim()) : typeof v === 'number' ? String(v) : undefined);
const firstLine = (s: string, max = 200) => {
  const line = s.split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

function exceptionsOf(event: Record<string, unknown>): ExceptionValue[] {
  const ex = event.exception as { values?: ExceptionValue[] } | ExceptionValue[] | undefined;
  if (!ex) return [];
  return Array.isArray(ex) ? ex : (ex.values ?? []);
}

function framesOf(event: Record<string, unknown>, exceptions: ExceptionValue[]): Frame[] {
  const frames = exceptions.flatMap((e) => e.stacktrace?.frames ?? []);
  const st = event.stacktrace as { frames?: Frame[] } | null | undefined;
  return frames.length ? frames : (st?.frames ?? []);
}

function messageOf(event: Record<string, unknown>): { template?: string; formatted?: string } {
  const log = event.logentry as { message?: string; formatted?: string } | undefined;
  const msg = event.message;
  const m = typeof msg === 'string' ? { message: msg } : ((msg as { message?: string; formatted?: string } | undefined) ?? {});
  const template = log?.message ?? m.message ?? log?.formatted ?? m.formatted;
  const formatted = log?.formatted ?? m.formatted ?? template;
  return { template, formatted };
}

function tagsOf(event: Record<string, unknown>, scrub: ScrubSettings): Record<string, string> {
  const raw = event.tags;
  const pairs: [string, unknown][] = Array.isArray(raw) ? (raw as [string, unknown][]) : raw && typeof raw === 'object' ? Object.entries(raw) : [];
  const out: Record<string, string> = {};
  for (const [k, v] of pairs.slice(0, 200)) {
    if (v === null || v === undefined) continue;
    const value = clean(String(v).slice(0, 200));
    out[clean(k.slice(0, 200))] = scrub.enabled ? scrubString(value, scrub) : value;
  }
  return out;
}

function occurredAt(ts: unknown, fallback: Date): Date {
  const d = typeof ts === 'number' ? new Date(ts * 1000) : typeof ts === 'string' ? new Date(ts) : undefined;
  // Clocks lie: a timestamp far from the receive time is replaced by the receive time.
  if (!d || Number.isNaN(d.getTime()) || Math.abs(d.getTime() - fallback.getTime()) > 30 * 86_400_000) return fallback;
  return d;
}

export type Pseudonymise = (value: string) => string;

export function processEvent(
  eventId: string,
  raw: Record<string, unknown>,
  receivedAt: Date,
  scrub: ScrubSettings,
  pseudonymise: Pseudonymise,
): ProcessedEvent {
  const exceptions = exceptionsOf(raw);
  const frames = framesOf(raw, exceptions);
  const main = exceptions.at(-1);
  const { template, formatted } = messageOf(raw);
  const { rule, hash } = groupingOf({
    fingerprint: Array.isArray(raw.fingerprint) ? (raw.fingerprint as string[]) : undefined,
    exceptions,
    frames,
    message: template,
  });

  const exceptionType = str(main?.type);
  const value = str(main?.value);
  const rawTitle = exceptionType ? (value ? `${exceptionType}: ${value}` : exceptionType) : (value ?? formatted ?? '<unlabeled event>');
  const title = firstLine(clean(scrub.enabled ? scrubString(rawTitle, scrub) : rawTitle));
  const top = [...frames].reverse().find((f) => f.in_app === true) ?? frames.at(-1);
  const frameCulprit = top ? `${top.module || normaliseFilename(top.filename || top.abs_path || '?')} in ${top.function || '?'}` : undefined;
  const culprit = str(raw.culprit) ?? str(raw.transaction) ?? frameCulprit;

  // User identifiers become pseudonyms before anything is stored; the raw values never are.
  const user = raw.user && typeof raw.user === 'object' ? { ...(raw.user as Record<string, unknown>) } : undefined;
  const subjects: ProcessedEvent['subjects'] = [];
  if (user) {
    const ids: Record<SubjectIdType, unknown> = { user_id: user.id, email: user.email, username: user.username, ip_address: user.ip_address };
    for (const idType of SUBJECT_ID_TYPES) {
      const v = str(ids[idType]);
      if (v && v !== '{{auto}}') subjects.push({ idType, ref: pseudonymise(v) });
    }
    delete user.id;
    delete user.email;
    delete user.username;
    delete user.ip_address;
  }
  const userRef = subjects[0]?.ref;
  const stored = scrubEvent({ ...raw, ...(user ? { user: { ...user, ...(userRef ? { ref: userRef } : {}) } } : {}) }, scrub);

  return {
    eventId,
    occurredAt: occurredAt(raw.timestamp, receivedAt),
    level: str(raw.level) ?? 'error',
    release: str(raw.release),
    environment: str(raw.environment),
    title,
    culprit: culprit && firstLine(culprit, 500),
    exceptionType,
    fingerprint: hash,
    groupingRule: rule,
    tags: tagsOf(raw, scrub),
    subjects,
    userRef,
    payload: stored,
  };
}
