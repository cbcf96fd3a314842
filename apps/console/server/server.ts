// Boot only: the kit loads config, starts telemetry, builds the app, listens and stops cleanly.
import { runService } from '@vigil/service-kit';
import { buildApp } from './app.js';
import { loadConsoleConfig } from './config.js';

await runService({ name: 'console', loadConfig: () => loadConsoleConfig(), buildApp });
