// Boot: telemetry first, then config, app, listen; stop cleanly on SIGINT/SIGTERM.
import { initTelemetry, runService } from '@vigil/service-kit';
import { buildApp } from './app.js';
import { loadConsoleConfig } from './config.js';

const config = (() => {
  try {
    return loadConsoleConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
})();
initTelemetry('console', config.OTEL_EXPORTER_OTLP_ENDPOINT);
await runService(() => buildApp(config), { host: config.HOST, port: config.PORT, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
