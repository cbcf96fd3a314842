// Boot only: the kit loads config, starts telemetry, builds the app, listens and stops cleanly.
import { runService } from '@vigil/service-kit';
import { buildApp } from './app.js';
import { loadServiceConfig } from './config.js';

await runService({ name: 'alerting', loadConfig: () => loadServiceConfig(), buildApp });
