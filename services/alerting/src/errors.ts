// Stable error codes of the alerting service (ALERTING_*); the shared handler renders them as problem+json.
import { AppError, badRequest, conflict, notFound } from '@vigil/service-kit';
import { InvalidInput } from './domain/labels.js';

export const ruleInvalid = (detail: string, field?: string) => badRequest('ALERTING_RULE_INVALID', detail, field ? { field } : undefined);
export const alertsInvalid = (detail: string) => badRequest('ALERTING_ALERTS_INVALID', detail);
export const matcherInvalid = (detail: string) => badRequest('ALERTING_MATCHER_INVALID', detail);
export const routingInvalid = (detail: string) => badRequest('ALERTING_ROUTING_INVALID', detail);
export const receiverInvalid = (detail: string) => badRequest('ALERTING_RECEIVER_INVALID', detail);
export const silenceInvalid = (detail: string, field?: string) => badRequest('ALERTING_SILENCE_INVALID', detail, field ? { field } : undefined);
export const silenceExpired = (id: string) => conflict('ALERTING_SILENCE_EXPIRED', `silence ${id} has expired and cannot be edited; create a new one`);
export const periodInvalid = (detail: string) => badRequest('ALERTING_PERIOD_INVALID', detail);
export const alertNotFound = (id: string) => notFound('ALERTING_ALERT_NOT_FOUND', `no alert ${id}`);
export const ruleNotFound = (id: string) => notFound('ALERTING_RULE_NOT_FOUND', `no rule ${id}`);
export const receiverNotFound = (name: string) => notFound('ALERTING_RECEIVER_NOT_FOUND', `no receiver ${name}`);
export const silenceNotFound = (id: string) => notFound('ALERTING_SILENCE_NOT_FOUND', `no silence ${id}`);
export const ruleExists = (name: string) => conflict('ALERTING_RULE_EXISTS', `a rule named ${name} already exists`);
export const ruleBuiltin = (detail: string) => conflict('ALERTING_RULE_BUILTIN', detail);
export const transitionInvalid = (detail: string) => new AppError(409, 'ALERTING_TRANSITION_INVALID', detail);
/** Every connection busy for the pool's timeout: the client should come back (Alertmanager clients retry). */
export const busy = () => new AppError(503, 'ALERTING_BUSY', 'the database is saturated; retry shortly', { retryAfterSeconds: 1 });

/** For API transactions: a pool that had no connection to give within its timeout answers 503 ALERTING_BUSY. */
export function saturatedAsBusy(err: unknown): never {
  if (err instanceof Error && /timeout exceeded when trying to connect/.test(err.message)) throw busy();
  throw err;
}

/** Runs a domain check; its InvalidInput becomes the given 400. */
export function checked<T>(check: () => T, as: (detail: string, field?: string) => AppError): T {
  try {
    return check();
  } catch (err) {
    throw err instanceof InvalidInput ? as(err.message, err.field) : err;
  }
}
