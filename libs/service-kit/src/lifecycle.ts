// Process lifecycle: boot, listen, and stop cleanly on SIGINT/SIGTERM.
import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.js';

export async function runService(build: () => Promise<FastifyInstance>, listen: { host: string; port: number; shutdownTimeoutMs: number }): Promise<void> {
  let app: FastifyInstance;
  try {
    app = await build();
    await app.listen({ host: listen.host, port: listen.port });
  } catch (err) {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error('boot failed:', err);
    process.exit(1);
  }
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out');
      process.exit(1);
    }, listen.shutdownTimeoutMs).unref();
    app.close().then(
      () => {
        clearTimeout(timer);
        process.exit(0);
      },
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
