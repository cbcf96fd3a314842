// The scheduler tick: starts due backups and drills of enabled policies, and evaluates RPO
// for every policy (a disabled one is exactly how backups silently stop). Ticks never overlap; several instances are safe (the policy lock decides).
import { AppError } from '@vigil/service-kit';
import { lastBackupStartedAt, latestCompletedBackup } from '../db/backups.js';
import { listAllPolicies } from '../db/policies.js';
import { lastDrillStartedAt } from '../db/verifications.js';
import { isDue } from '../domain/schedule.js';
import type { OperationContext } from './context.js';
import { evaluateRpo } from './objectives.js';
import type { OperationRunner } from './runner.js';

export class Scheduler {
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly ctx: OperationContext,
    private readonly runner: OperationRunner,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.ticking || this.stopped) return;
      this.ticking = this.tick()
        .catch((err: unknown) => this.ctx.log.warn({ err: (err as Error).message }, 'scheduler tick failed'))
        .finally(() => (this.ticking = undefined));
    }, this.ctx.config.DR_SCHEDULER_TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  async tick(now = new Date()): Promise<void> {
    for (const policy of await listAllPolicies(this.ctx.pool)) {
      if (this.stopped) return;
      try {
        if (policy.enabled && !this.runner.isBusy(policy.id)) {
          const lastBackup = (await lastBackupStartedAt(this.ctx.pool, policy.id)) ?? policy.createdAt;
          const latest = await latestCompletedBackup(this.ctx.pool, policy.id);
          if (isDue(policy.schedule, lastBackup, now)) {
            await this.runner.startBackup(policy, 'schedule');
          } else if (latest?.verificationStatus === 'pending') {
            // A backup whose verification was cut short (shutdown) is not good until restored.
            await this.runner.startVerification(policy, 'verification', 'schedule', latest.id);
          } else if (policy.drillSchedule) {
            const lastDrill = (await lastDrillStartedAt(this.ctx.pool, policy.id)) ?? policy.createdAt;
            if (isDue(policy.drillSchedule, lastDrill, now) && latest)
              await this.runner.startVerification(policy, 'drill', 'schedule');
          }
        }
        await evaluateRpo(this.ctx, policy, now);
      } catch (err) {
        // Busy elsewhere (another instance holds the policy lock) is normal.
        if (err instanceof AppError && err.code === 'DR_POLICY_BUSY') continue;
        this.ctx.log.warn({ policyId: policy.id, err: (err as Error).message }, 'scheduling a policy failed');
      }
    }
  }
}
