// Due aggregation groups are flushed: at once when ingestion wakes the job, else every poll interval.
import type { DispatchDeps } from '../operations/deps.js';
import { flushDueGroups } from '../operations/flush-groups.js';
import { WorkLoop, type LoopLogger } from './work-loop.js';

export const groupFlushJob = (deps: DispatchDeps, pollMs: number, log: LoopLogger) => new WorkLoop('group-flush', () => flushDueGroups(deps), pollMs, log);
