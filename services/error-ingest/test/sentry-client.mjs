// Run by sentry-sdk.test.ts in its own Node process: the unmodified Sentry SDK, pointed at
// the DSN given as argument, captures one exception and one message, then flushes.
import * as Sentry from '@sentry/node';

const [dsn, marker] = process.argv.slice(2);
Sentry.init({ dsn, release: 'sdk-app@3.1.4', environment: 'sdk-test', tracesSampleRate: 0, sendClientReports: false });
Sentry.setTag('feature', 'checkout');
Sentry.setUser({ id: 'sdk-user-1', email: 'carol@example.com' });

function placeOrder(orderId) {
  throw new TypeError(`order ${orderId} has no customer (${marker})`);
}

try {
  placeOrder(4242);
} catch (err) {
  Sentry.captureException(err);
}
Sentry.captureMessage(`SDK says hello ${marker}`, 'warning');
const flushed = await Sentry.flush(15_000);
process.stdout.write(flushed ? 'flushed\n' : 'flush timed out\n');
process.exit(flushed ? 0 : 1);
