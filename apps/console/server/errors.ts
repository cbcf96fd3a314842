// Stable error codes of the console; the kit's handler renders them as problem+json.
import { AppError, badRequest, conflict, notFound } from '@vigil/service-kit';

export const signInFailed = () => new AppError(401, 'CONSOLE_SIGNIN_FAILED', 'email or password is wrong, or the account is disabled');
export const signInRateLimited = (scope: 'account' | 'ip', retryAfterSeconds: number) =>
  new AppError(429, 'CONSOLE_SIGNIN_RATE_LIMITED', `too many failed sign-ins for this ${scope === 'ip' ? 'IP address' : 'account'}; retry in ${retryAfterSeconds} s`, {}, { 'retry-after': String(retryAfterSeconds) });
export const rateLimitUnavailable = () => new AppError(503, 'CONSOLE_RATE_LIMIT_UNAVAILABLE', 'sign-in is unavailable: the rate limiter (Redis) cannot be reached', {}, { 'retry-after': '5' });
export const sessionRequired = () => new AppError(401, 'CONSOLE_SESSION_REQUIRED', 'sign in first: no valid session cookie (it is missing, expired or revoked)');
export const csrfRefused = () => new AppError(403, 'CONSOLE_CSRF', 'header X-CSRF-Token is missing or does not match the session');
export const originRefused = (origin: string) => new AppError(403, 'CONSOLE_ORIGIN', `Origin ${origin} is not this console's origin`);
export const forbidden = (needed: string, role: string) => new AppError(403, 'CONSOLE_FORBIDDEN', `your role in this tenant is ${role}; ${needed} is required`);
export const passwordChangeRequired = () =>
  new AppError(403, 'CONSOLE_PASSWORD_CHANGE_REQUIRED', 'change your password first (POST /api/session/password)');
export const passwordWrong = () => new AppError(400, 'CONSOLE_PASSWORD_WRONG', 'currentPassword is not your current password');
export const passwordWeak = (detail: string, field = 'newPassword') => badRequest('CONSOLE_PASSWORD_WEAK', `${field} ${detail}`);
export const tenantNotMember = (tenant: string) => new AppError(403, 'CONSOLE_TENANT_FORBIDDEN', `tenant: you are not a member of tenant ${tenant}`);
export const userExists = (email: string) => conflict('CONSOLE_USER_EXISTS', `email: a user ${email} already exists`);
export const userNotFound = (id: string) => notFound('CONSOLE_USER_NOT_FOUND', `userId: no user ${id} in this tenant`);
export const userSelf = (detail: string) => new AppError(409, 'CONSOLE_USER_SELF', detail);
export const apiKeyNotFound = (id: string) => notFound('CONSOLE_API_KEY_NOT_FOUND', `keyId: no active API key ${id} in this tenant`);
export const webNotBuilt = () => new AppError(503, 'CONSOLE_WEB_NOT_BUILT', 'the web app is not built: run `npm run build:web -w @vigil/console`');
export const upstreamUnavailable = (service: string) => new AppError(502, 'CONSOLE_UPSTREAM_UNAVAILABLE', `service ${service} cannot be reached`);
export const incidentNotFound = (id: string) => notFound('CONSOLE_INCIDENT_NOT_FOUND', `incidentId: no incident ${id} in this tenant`);
export const incidentTransition = (from: string, to: string) =>
  new AppError(409, 'CONSOLE_INCIDENT_TRANSITION', `status: an incident that is ${from} cannot become ${to} (open → acknowledged → resolved; a resolved incident can be reopened)`);
export const ownerNotMember = (id: string) => badRequest('CONSOLE_INCIDENT_OWNER_INVALID', `ownerId: ${id} is not an enabled member of this tenant`);
export const savedViewNotFound = (id: string) => notFound('CONSOLE_SAVED_VIEW_NOT_FOUND', `viewId: you have no saved view ${id}`);
export const keyNameReserved = (name: string) => badRequest('CONSOLE_KEY_NAME_RESERVED', `name "${name}" is reserved for the console's own keys (the services trust it to name the person acting)`, { field: 'name' });
export const periodInvalid = (detail: string) => badRequest('CONSOLE_REPORT_PERIOD_INVALID', detail);
export const renderTokenInvalid = () => new AppError(401, 'CONSOLE_RENDER_TOKEN_INVALID', 'x-render-token: missing, expired or already used');
export const scheduleInvalid = (detail: string) => badRequest('CONSOLE_SCHEDULE_INVALID', detail);
export const scheduleNotFound = (id: string) => notFound('CONSOLE_SCHEDULE_NOT_FOUND', `scheduleId: no report schedule ${id} in this tenant`);
export const reportSourceUnavailable = (detail: string) => new AppError(502, 'CONSOLE_REPORT_SOURCE_UNAVAILABLE', `a service the report reads from did not answer: ${detail}`);
export const pdfRenderFailed = (detail: string) => new AppError(503, 'CONSOLE_PDF_RENDER_FAILED', `the PDF could not be rendered: ${detail}`);
export const overviewSourceUnavailable = (service: string, detail: string) => new AppError(502, 'CONSOLE_OVERVIEW_SOURCE_UNAVAILABLE', `service ${service} did not answer the overview's read: ${detail}`);
