// Process lifecycle: config, telemetry, boot, listen, and a clean stop on SIGINT/SIGTERM.
// Every service's server.ts is one call: runService({ name, loadConfig, buildApp }).
import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.js';
import { initTelemetry } from './telemetry.js';

/** The part of a service's config that booting needs. */
export interface BootConfig {
  HOST: string;
  PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /** Replica number when several instances run (npm start --replicas): process title `vigil-<name>-<n>`. */
  VIGIL_INSTANCE?: number;
}

export interface RunServiceOptions<C extends BootConfig> {
  /** Service name: process title `vigil-<name>` and tracer resource. */
  name: string;
  loadConfig: () => C;
  buildApp: (config: C) => Promise<FastifyInstance>;
}

export async function runService<C extends BootConfig>(o: RunServiceOptions<C>): Promise<void> {
  process.title = `vigil-${o.name}`;
  let config: C;
  let app: FastifyInstance;
  try {
    config = o.loadConfig();
    if (config.VIGIL_INSTANCE) process.title = `vigil-${o.name}-${config.VIGIL_INSTANCE}`;
    initTelemetry(o.name, config.OTEL_EXPORTER_OTLP_ENDPOINT);
    app = await o.buildApp(config);
    await app.listen({ host: config.HOST, port: config.PORT });
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
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
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
