// The policy clock: every DR_SCHEDULER_TICK_MS, runs what the cron schedules say is due.
// Ticks never overlap.
import type { OperationContext } from '../operations/context.js';
import { runDueOperations } from '../operations/run-due.js';
import type { OperationRunner } from '../operations/runner.js';

export class Scheduler {
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private readonly abort = new AbortController();

  constructor(
    private readonly ctx: OperationContext,
    private readonly runner: OperationRunner,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.ticking || this.abort.signal.aborted) return;
      this.ticking = this.tick()
        .catch((err: unknown) => this.ctx.log.warn({ err: (err as Error).message }, 'scheduler tick failed'))
        .finally(() => (this.ticking = undefined));
    }, this.ctx.config.DR_SCHEDULER_TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  tick(now = new Date()): Promise<void> {
    return runDueOperations(this.ctx, this.runner, now, this.abort.signal);
  }
}
