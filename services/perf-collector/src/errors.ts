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
