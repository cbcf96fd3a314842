// Stable error codes of the alerting service; the shared handler renders them as problem+json.
import { AppError, badRequest, notFound } from '@vigil/service-kit';

export const ruleInvalid = (detail: string) => badRequest('ALERTING_RULE_INVALID', detail);
export const alertsInvalid = (detail: string) => badRequest('ALERTING_ALERTS_INVALID', detail);
export const matcherInvalid = (detail: string) => badRequest('ALERTING_MATCHER_INVALID', detail);
export const routingInvalid = (detail: string) => badRequest('ALERTING_ROUTING_INVALID', detail);
export const receiverInvalid = (detail: string) => badRequest('ALERTING_RECEIVER_INVALID', detail);
export const silenceInvalid = (detail: string) => badRequest('ALERTING_SILENCE_INVALID', detail);
export const alertNotFound = (id: string) => notFound('ALERTING_ALERT_NOT_FOUND', `no alert ${id}`);
export const ruleNotFound = (id: string) => notFound('ALERTING_RULE_NOT_FOUND', `no rule ${id}`);
export const receiverNotFound = (name: string) => notFound('ALERTING_RECEIVER_NOT_FOUND', `no receiver ${name}`);
export const silenceNotFound = (id: string) => notFound('ALERTING_SILENCE_NOT_FOUND', `no silence ${id}`);
export const transitionInvalid = (detail: string) => new AppError(409, 'ALERTING_TRANSITION_INVALID', detail);
