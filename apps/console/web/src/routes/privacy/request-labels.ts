// Words for request kinds, states and the Art. 12 grounds of refusal, shared by the queue and the detail page.
import type { SubjectRequest } from './queries';

export const KIND_LABEL: Record<SubjectRequest['kind'], string> = { access: 'Access (Art. 15)', erasure: 'Erasure (Art. 17)', portability: 'Portability (Art. 20)' };
export const STATE_LABEL: Record<SubjectRequest['state'], string> = { unverified: 'Awaiting verification', in_progress: 'In progress', completed: 'Completed', refused: 'Refused' };
export const STATE_TONE: Record<SubjectRequest['state'], string> = { unverified: 'warning', in_progress: 'info', completed: 'ok', refused: '' };

export const isOpen = (r: Pick<SubjectRequest, 'state'>) => r.state === 'unverified' || r.state === 'in_progress';

/**
 * The grounds on which Art. 12 lets a controller refuse to act. Identity not established (Art. 12(6),
 * Art. 11(2)) only fits a request whose identity was never verified.
 */
export const REFUSAL_GROUNDS = [
  { id: 'unfounded', label: 'Manifestly unfounded (Art. 12(5)(b))', unverifiedOnly: false },
  { id: 'excessive', label: 'Excessive, in particular repetitive (Art. 12(5)(b))', unverifiedOnly: false },
  { id: 'identity', label: 'Identity could not be established (Art. 12(6), Art. 11(2))', unverifiedOnly: true },
] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number]['id'];

export const refusalReason = (ground: RefusalGround, detail: string) => `${REFUSAL_GROUNDS.find((g) => g.id === ground)!.label}: ${detail.trim()}`;

/** A short, stable handle for a request in lists (the id's first block). */
export const shortId = (id: string) => id.slice(0, 8);
