// Keeps `npm start`'s processes up: a process that exits unexpectedly is restarted with exponential
// backoff, and one that keeps crashing (maxCrashes within windowMs) is given up on — with a log line
// that says which, why and when — while the others keep running. Stopping is the only way all end.

/** @typedef {{ name: string, start: () => import('node:child_process').ChildProcess }} ProcessSpec */

export class Supervisor {
  /** @param {{ maxCrashes?: number, windowMs?: number, baseDelayMs?: number, maxDelayMs?: number, log?: (line: string) => void, onGiveUp?: (name: string) => void }} [options] */
  constructor(options = {}) {
    this.maxCrashes = options.maxCrashes ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.log = options.log ?? ((line) => console.error(line));
    this.onGiveUp = options.onGiveUp ?? (() => undefined);
    this.stopping = false;
    /** @type {Map<string, { spec: ProcessSpec, child: import('node:child_process').ChildProcess | null, crashes: number[], timer: NodeJS.Timeout | null, gaveUp: boolean, restarts: number }>} */
    this.entries = new Map();
  }

  /** @param {ProcessSpec} spec */
  add(spec) {
    if (this.entries.has(spec.name)) throw new Error(`process ${spec.name} is already supervised`);
    const entry = { spec, child: null, crashes: [], timer: null, gaveUp: false, restarts: 0 };
    this.entries.set(spec.name, entry);
    this.#launch(entry);
  }

  /** Names and state, for status lines and tests. */
  status() {
    return [...this.entries.values()].map((e) => ({
      name: e.spec.name,
      pid: e.child && e.child.exitCode === null && e.child.signalCode === null ? e.child.pid : null,
      restarts: e.restarts,
      gaveUp: e.gaveUp,
    }));
  }

  #launch(entry) {
    entry.timer = null;
    const child = entry.spec.start();
    entry.child = child;
    child.once('exit', (code, signal) => this.#exited(entry, child, code, signal));
  }

  #exited(entry, child, code, signal) {
    if (this.stopping || entry.child !== child) return;
    const now = Date.now();
    entry.crashes = entry.crashes.filter((t) => now - t < this.windowMs);
    entry.crashes.push(now);
    const why = signal ? `signal ${signal}` : `exit code ${code}`;
    const when = new Date(now).toISOString();
    if (entry.crashes.length >= this.maxCrashes) {
      entry.gaveUp = true;
      this.log(
        `[vigil] ${entry.spec.name} exited (${why}) at ${when}: ${entry.crashes.length} crashes within ${Math.round(this.windowMs / 1000)} s — giving up on it; the rest of the platform keeps running`,
      );
      this.onGiveUp(entry.spec.name);
      return;
    }
    const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (entry.crashes.length - 1));
    this.log(
      `[vigil] ${entry.spec.name} exited (${why}) at ${when}; restarting in ${(delay / 1000).toFixed(1)} s (crash ${entry.crashes.length} of ${this.maxCrashes} allowed within ${Math.round(this.windowMs / 1000)} s)`,
    );
    entry.timer = setTimeout(() => {
      if (this.stopping) return;
      entry.restarts += 1;
      this.#launch(entry);
    }, delay);
  }

  /** SIGTERM to every running process; resolves when all have exited. */
  async stop(signal = 'SIGTERM') {
    this.stopping = true;
    await Promise.all(
      [...this.entries.values()].map((entry) => {
        if (entry.timer) clearTimeout(entry.timer);
        const child = entry.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return undefined;
        return new Promise((resolve) => {
          child.once('exit', resolve);
          child.kill(signal);
        });
      }),
    );
  }
}
