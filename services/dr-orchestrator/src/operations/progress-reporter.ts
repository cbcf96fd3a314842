// Progress of one operation: the row is updated at most once a second, and an
// OperationProgressed event goes out (through the outbox) every configured step.
import { OperationProgressed } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { setBackupProgress } from '../db/backups.js';
import { setVerificationProgress } from '../db/verifications.js';
import { crossesStep } from '../domain/progress.js';
import type { OperationContext } from './context.js';

export class ProgressReporter {
  private lastPct = 0;
  private lastWrite = 0;
  private phase = 'starting';
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: OperationContext,
    private readonly op: { tenantId: string; policyId: string; operationId: string; kind: 'backup' | 'verification' | 'drill' },
  ) {}

  report(phase: string, pct: number): void {
    const clamped = Math.max(0, Math.min(100, Math.round(pct * 100) / 100));
    const event = crossesStep(this.lastPct, clamped, this.ctx.config.DR_PROGRESS_EVENT_STEP) || phase !== this.phase;
    const now = Date.now();
    if (!event && now - this.lastWrite < 1_000) return;
    const previousPct = this.lastPct;
    this.lastPct = Math.max(previousPct, clamped);
    this.phase = phase;
    this.lastWrite = now;
    const pctToWrite = this.lastPct;
    this.chain = this.chain.then(() => this.write(phase, pctToWrite, event)).catch((err: unknown) => this.ctx.log.warn({ err: (err as Error).message }, 'progress update failed'));
  }

  /** Waits for queued progress writes (before the final state is written). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(phase: string, pct: number, event: boolean): Promise<void> {
    const { pool, outbox } = this.ctx;
    const update = this.op.kind === 'backup' ? setBackupProgress : setVerificationProgress;
    if (!event) return update(pool, this.op.operationId, phase, pct);
    await withTransaction(pool, async (tx) => {
      await update(tx, this.op.operationId, phase, pct);
      await outbox.enqueue(
        tx,
        OperationProgressed,
        { policyId: this.op.policyId, operationId: this.op.operationId, kind: this.op.kind, phase, percent: pct, at: new Date().toISOString() },
        { tenantId: this.op.tenantId },
      );
    });
  }
}
