// A consumer process killed with SIGKILL mid-stream and restarted: every event has
// its effect exactly once (the effects table has no unique key; only the inbox dedupes).
import { sigkillScenario } from './fixtures/sigkill-scenario.js';

sigkillScenario({ label: 'SIGKILL mid-stream, restart: each event applied exactly once', database: 'evt_crash', batch: false });
