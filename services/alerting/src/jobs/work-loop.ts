// A background worker: runs `step` until it reports no work, then sleeps until woken or the interval passes.
export interface LoopLogger {
  error(obj: object, msg?: string): void;
}

export class WorkLoop {
  private running = false;
  private done?: Promise<void>;
  private wakeUp?: () => void;
  private pendingWake = false;

  constructor(
    private readonly name: string,
    private readonly step: () => Promise<number>,
    private readonly intervalMs: number,
    private readonly log: LoopLogger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.done;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let worked = 0;
      this.pendingWake = false;
      try {
        worked = await this.step();
      } catch (err) {
        this.log.error({ err, loop: this.name }, 'background step failed');
        await this.sleep(this.intervalMs * 4);
        continue;
      }
      if (worked === 0 && !this.pendingWake) await this.sleep(this.intervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }
}
