// subscribeBatch: a consumer process killed with SIGKILL mid-batch and restarted: every event has
// its effect exactly once (the effects table has no unique key; only the inbox dedupes).
import { sigkillScenario } from './fixtures/sigkill-scenario.js';

sigkillScenario({ label: 'batches: SIGKILL mid-batch, restart: each event applied exactly once', database: 'evt_bcrash', batch: true });
