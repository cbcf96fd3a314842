// Alerts past their endsAt resolve (checked at least once a second).
import type { DispatchDeps } from '../operations/deps.js';
import { resolveExpired } from '../operations/expire-alerts.js';
import { WorkLoop, type LoopLogger } from './work-loop.js';

export const expiryJob = (deps: DispatchDeps, pollMs: number, log: LoopLogger) => new WorkLoop('expiry', () => resolveExpired(deps), Math.max(pollMs, 1000), log);
