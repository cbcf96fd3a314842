// npm start's supervisor with real child processes: a crashed process is restarted with backoff and a log
// line naming it, why and when; one that keeps crashing is given up on while the others keep running;
// stopping ends everything and restarts nothing.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error — a plain .mjs module of the start script, without type declarations
import { Supervisor } from '../scripts/supervisor.mjs';

interface Status {
  name: string;
  pid: number | null;
  restarts: number;
  gaveUp: boolean;
}
interface Sup {
  add(spec: { name: string; start: () => ReturnType<typeof spawn> }): void;
  status(): Status[];
  stop(): Promise<void>;
}

const node = (code: string) => () => spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
const LONG = node('setInterval(() => {}, 1000)');

async function until<T>(what: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let sup: Sup | undefined;
afterEach(async () => sup?.stop());

describe('supervisor', () => {
  it('restarts a process killed with SIGKILL, saying which, why and when', async () => {
    const lines: string[] = [];
    sup = new Supervisor({ baseDelayMs: 50, log: (l: string) => lines.push(l) }) as Sup;
    sup.add({ name: 'gdpr-2', start: LONG });
    const first = await until(() => sup!.status()[0]!.pid ?? undefined);
    process.kill(first, 'SIGKILL');
    const second = await until(() => {
      const s = sup!.status()[0]!;
      return s.pid && s.pid !== first ? s.pid : undefined;
    });
    expect(second).not.toBe(first);
    expect(sup.status()[0]).toMatchObject({ restarts: 1, gaveUp: false });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[vigil\] gdpr-2 exited \(signal SIGKILL\) at \d{4}-\d\d-\d\dT[\d:.]+Z; restarting in 0\.1 s \(crash 1 of 5/);
  });

  it('gives up on a process that keeps crashing, with backoff between tries, and keeps the others running', async () => {
    const lines: string[] = [];
    const times: number[] = [];
    let gaveUp = '';
    sup = new Supervisor({ maxCrashes: 3, windowMs: 30_000, baseDelayMs: 100, log: (l: string) => lines.push(l), onGiveUp: (n: string) => (gaveUp = n) }) as Sup;
    sup.add({ name: 'steady', start: LONG });
    sup.add({
      name: 'crasher',
      start: () => {
        times.push(Date.now());
        return node('process.exit(3)')();
      },
    });
    await until(() => gaveUp);
    expect(gaveUp).toBe('crasher');
    const crasher = sup.status().find((s) => s.name === 'crasher')!;
    expect(crasher).toMatchObject({ gaveUp: true, restarts: 2, pid: null });
    expect(lines.map((l) => l.replace(/at \d\S+Z/, 'at T'))).toEqual([
      '[vigil] crasher exited (exit code 3) at T; restarting in 0.1 s (crash 1 of 3 allowed within 30 s)',
      '[vigil] crasher exited (exit code 3) at T; restarting in 0.2 s (crash 2 of 3 allowed within 30 s)',
      '[vigil] crasher exited (exit code 3) at T: 3 crashes within 30 s — giving up on it; the rest of the platform keeps running',
    ]);
    // Exponential backoff: the second wait is about twice the first.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200);
    const steady = sup.status().find((s) => s.name === 'steady')!;
    expect(steady.pid).toBeGreaterThan(0);
    expect(() => process.kill(steady.pid!, 0)).not.toThrow();
  });

  it('stops everything and restarts nothing', async () => {
    const lines: string[] = [];
    sup = new Supervisor({ baseDelayMs: 20, log: (l: string) => lines.push(l) }) as Sup;
    sup.add({ name: 'a', start: LONG });
    sup.add({ name: 'b', start: LONG });
    const pids = await until(() => {
      const p = sup!.status().map((s) => s.pid);
      return p.every(Boolean) ? (p as number[]) : undefined;
    });
    await sup.stop();
    // Positive signal first: both processes are gone. Then, well past the backoff, none came back.
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    await new Promise((r) => setTimeout(r, 200));
    expect(sup.status().map((s) => s.pid)).toEqual([null, null]);
    expect(lines).toEqual([]);
  });
});
