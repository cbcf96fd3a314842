// Stable error codes of perf-collector; the service-kit handler renders them as problem+json.
import { AppError, badRequest, conflict, notFound } from '@vigil/service-kit';

export const targetNotFound = (id: string) => notFound('PERF_TARGET_NOT_FOUND', `no monitored database ${id}`);
export const targetNameTaken = (name: string) => conflict('PERF_TARGET_NAME_TAKEN', `a monitored database named ${name} already exists`);
export const connectionStringInvalid = (why: string) => badRequest('PERF_CONNECTION_STRING_INVALID', why);
export const otlpInvalid = (why: string) => badRequest('PERF_OTLP_INVALID', why);
export const otlpUnsupportedType = (type: string) =>
  new AppError(415, 'PERF_OTLP_UNSUPPORTED_MEDIA_TYPE', `content type ${type || '(none)'} is not accepted; send application/json or application/x-protobuf`);
export const healthNotScored = (databaseId: string) => notFound('PERF_HEALTH_NOT_SCORED', `database ${databaseId} has no health score yet`);
export const optimizationInvalid = (why: string) => badRequest('PERF_OPTIMIZATION_INVALID', why);
export const recommendationNotFound = (id: string) => notFound('PERF_RECOMMENDATION_NOT_FOUND', `no index advice ${id} for this database (advice is replaced by each advisor cycle)`);
export const recommendationNotApplied = (why: string) => conflict('PERF_RECOMMENDATION_NOT_APPLIED', why);
export const statementNotFound = (queryId: string) => notFound('PERF_STATEMENT_NOT_FOUND', `no collected statement with queryId ${queryId} for this database`);
export const targetUnavailable = (why: string) => new AppError(502, 'PERF_TARGET_UNAVAILABLE', why);
export const planFailed = (why: string) => new AppError(422, 'PERF_PLAN_FAILED', why);
