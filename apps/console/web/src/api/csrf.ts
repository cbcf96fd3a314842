// The session's CSRF token, sent as X-CSRF-Token on every state-changing call. It is set whenever the
// session query resolves and cleared on sign-out; the clients read it at request time.
let token: string | undefined;

export const setCsrfToken = (t: string | undefined): void => {
  token = t;
};
export const csrfToken = (): string | undefined => token;

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isStateChanging = (method: string): boolean => !SAFE.has(method.toUpperCase());

/** Listeners told when any call comes back 401, so the app can return to sign-in. */
const unauthorized = new Set<() => void>();
export const onUnauthorized = (fn: () => void): (() => void) => {
  unauthorized.add(fn);
  return () => unauthorized.delete(fn);
};
export const notifyUnauthorized = (): void => unauthorized.forEach((fn) => fn());
