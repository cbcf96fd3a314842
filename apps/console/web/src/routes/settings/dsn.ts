// A DSN that points at the console's own address (the console serves the Sentry ingest paths), and the
// SDK snippets that use it.

/** `http://<publicKey>@<console host>/<projectId>`, whatever public URL error-ingest was configured with. */
export function consoleDsn(publicKey: string, projectId: string, origin: string = window.location.origin): string {
  const u = new URL(origin);
  return `${u.protocol}//${publicKey}@${u.host}/${projectId}`;
}

export const nodeSnippet = (dsn: string): string => `// npm install @sentry/node
import * as Sentry from '@sentry/node';

Sentry.init({
  dsn: '${dsn}',
  environment: process.env.NODE_ENV,
  release: process.env.APP_VERSION,
});`;

export const browserSnippet = (dsn: string): string => `// npm install @sentry/browser
import * as Sentry from '@sentry/browser';

Sentry.init({
  dsn: '${dsn}',
  // The console must be reachable from your users' browsers at this address.
});`;
