// Escalation steps that came due notify their receiver (checked at least once a second).
import type { DispatchDeps } from '../operations/deps.js';
import { escalateDue } from '../operations/escalate.js';
import { WorkLoop, type LoopLogger } from './work-loop.js';

export const escalationJob = (deps: DispatchDeps, pollMs: number, log: LoopLogger) => new WorkLoop('escalation', () => escalateDue(deps), Math.max(pollMs, 1000), log);
