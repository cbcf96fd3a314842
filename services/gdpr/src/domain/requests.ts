// Data subject requests as plain data: the request row, what the API shows of it, identifier
// rules, the subject's pseudonym, and the verification token hash.
import { createHash, timingSafeEqual } from 'node:crypto';
import { subjectRef } from '@vigil/privacy';
import { identifierInvalid } from '../errors.js';

export type RequestKind = 'access' | 'erasure' | 'portability';
export type RequestState = 'unverified' | 'in_progress' | 'completed' | 'refused';
export interface Identifier {
  type: string;
  value: string;
}

export interface RequestRow {
  id: string;
  tenantId: string;
  kind: RequestKind;
  subjectRef: string;
  identifiers: Identifier[] | null;
  idempotencyKey: string | null;
  state: RequestState;
  verificationHash: string;
  receivedAt: string;
  verifiedAt: string | null;
  deadline: string;
  extendedDeadline: string | null;
  extensionReason: string | null;
  refusalReason: string | null;
  expectedServices: string[];
  completedAt: string | null;
  parentId: string | null;
  origin: string;
  warnedState: string | null;
}

export interface RequestInput {
  kind: RequestKind;
  identifiers: Identifier[];
  idempotencyKey?: string;
}

/** What the API shows: never the raw identifiers or the token hash. */
export type RequestView = Omit<RequestRow, 'identifiers' | 'verificationHash' | 'tenantId' | 'warnedState'> & { effectiveDeadline: string };

export function viewOf(r: RequestRow): RequestView {
  const { identifiers: _i, verificationHash: _v, tenantId: _t, warnedState: _w, ...rest } = r;
  return { ...rest, effectiveDeadline: r.extendedDeadline ?? r.deadline };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Constant-time comparison of a presented token with the stored hash. */
export function tokenMatches(token: string, storedHash: string): boolean {
  return timingSafeEqual(Buffer.from(hashToken(token), 'hex'), Buffer.from(storedHash, 'hex'));
}

const IDENTIFIER_TYPE = /^[a-z][a-z0-9_]{0,39}$/;

/** The subject's pseudonym: the `subject_id` identifier if given, else the first one. */
export function requestSubjectRef(key: string, tenantId: string, identifiers: Identifier[]): string {
  const primary = identifiers.find((i) => i.type === 'subject_id') ?? identifiers[0];
  if (!primary) throw identifierInvalid('at least one identifier is required');
  return subjectRef(key, tenantId, primary.value);
}

export function checkIdentifiers(identifiers: Identifier[]): void {
  const seen = new Set<string>();
  for (const [n, i] of identifiers.entries()) {
    if (!IDENTIFIER_TYPE.test(i.type)) throw identifierInvalid(`identifiers/${n}/type must match ${IDENTIFIER_TYPE.source}`);
    if (!i.value.trim()) throw identifierInvalid(`identifiers/${n}/value must not be blank`);
    if (i.type === 'email' && !/^[^@\s]+@[^@\s]+$/.test(i.value.trim())) throw identifierInvalid(`identifiers/${n}/value is not an e-mail address`);
    const k = `${i.type}:${i.value.trim().toLowerCase()}`;
    if (seen.has(k)) throw identifierInvalid(`identifiers/${n} repeats an earlier identifier`);
    seen.add(k);
  }
}

/** Closed requests cannot change any more. */
export const isClosed = (r: Pick<RequestRow, 'state'>) => r.state === 'completed' || r.state === 'refused';
