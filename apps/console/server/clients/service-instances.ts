// The instances of one service behind the front door. With one URL this is a pass-through. With several
// (npm start --replicas N, or a comma-separated CONSOLE_<SERVICE>_URL) requests go round-robin over the
// instances whose last /readyz probe answered ready; one that a request could not reach is left out until a
// probe sees it ready again. When none is known ready, every instance is tried in turn rather than none.
import { upstreams, type Config, type ServiceName } from '../config.js';
import { probeService } from './service-health.js';

export class ServiceInstances {
  private readonly ready: boolean[];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly name: string,
    readonly urls: readonly string[],
    private readonly probeEveryMs = 2_000,
  ) {
    if (urls.length === 0) throw new Error(`service ${name} has no instance URL`);
    this.ready = urls.map(() => true);
  }

  /** The base URL the next request goes to. */
  pick(): string {
    const n = this.urls.length;
    if (n === 1) return this.urls[0]!;
    for (let i = 0; i < n; i++) {
      const at = (this.next + i) % n;
      if (this.ready[at]) {
        this.next = at + 1;
        return this.urls[at]!;
      }
    }
    return this.urls[this.next++ % n]!;
  }

  /** A request could not reach this instance: skip it until a probe finds it ready. */
  unreachable(url: string): void {
    const at = this.urls.indexOf(url);
    if (at >= 0 && this.urls.length > 1) this.ready[at] = false;
  }

  /** How many instances are currently taking requests. */
  get readyCount(): number {
    return this.ready.filter(Boolean).length;
  }

  /** Probes every instance's /readyz on a timer; only needed when there is a choice. */
  start(): void {
    if (this.urls.length < 2 || this.timer) return;
    const probe = async () => {
      const results = await Promise.all(this.urls.map((u) => probeService(u, Math.min(1_500, this.probeEveryMs))));
      results.forEach((r, i) => (this.ready[i] = r.status === 'ready'));
    };
    void probe();
    this.timer = setInterval(() => void probe(), this.probeEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** One ServiceInstances per service behind the front door. */
export function serviceInstances(config: Config): Record<ServiceName, ServiceInstances> {
  return Object.fromEntries(upstreams(config).map((u) => [u.name, new ServiceInstances(u.name, u.urls)])) as Record<ServiceName, ServiceInstances>;
}
