// The task scheduler against real PostgreSQL: no overlap, timeouts abort the run, errors are
// counted and the timer goes on, stop aborts and waits; singleton tasks run on exactly one of
// several app instances sharing a database, and another takes over when the holder closes or dies.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { BaseConfig, createServiceApp, loadConfig, TaskScheduler, type TaskLogger } from '../src/index.js';
import { eventually, serviceTest, type TestKit } from '../src/testing/index.js';
import { addRecordingTask, SCHEDULER_MIGRATIONS } from './fixtures/singleton-task.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const quiet: TaskLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const config = (env: Record<string, string>) => loadConfig({ ...BaseConfig, PORT: Type.Integer({ default: 0 }) }, env);
const createApp = (env: Record<string, string>) =>
  createServiceApp({ name: 'kit-sched', schema: 'kit_sched', version: '0', description: 'scheduler test', config: config(env), migrationsDir: SCHEDULER_MIGRATIONS });
const it = serviceTest({ label: 'kitsched', build: createApp, migrationDirs: [SCHEDULER_MIGRATIONS] });

function scheduler(kit: TestKit, registry = new Registry()) {
  return new TaskScheduler({ databaseUrl: kit.databaseUrl, scope: 'kit_sched', log: quiet, registry });
}

const outcomes = async (registry: Registry, task: string) => {
  const metric = await registry.getSingleMetric('vigil_task_runs_total')!.get();
  return Object.fromEntries(metric.values.filter((v) => v.labels.task === task).map((v) => [v.labels.outcome, v.value]));
};

describe('TaskScheduler', () => {
  it('never overlaps runs: a trigger during a run waits for it', async ({ kit }) => {
    const s = scheduler(kit);
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    s.add({
      name: 'slow',
      everyMs: 5,
      initialDelayMs: 0,
      async run() {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(30);
        runs++;
        active--;
      },
    });
    s.start();
    await Promise.all([s.trigger('slow'), s.trigger('slow'), s.trigger('slow')]);
    await eventually(async () => runs >= 6);
    await s.stop();
    expect(maxActive).toBe(1);
  });

  it('aborts a run at its timeout and counts it; errors are counted and the timer goes on', async ({ kit }) => {
    const registry = new Registry();
    const s = scheduler(kit, registry);
    let sawAbort = false;
    s.add({
      name: 'stuck',
      everyMs: 60_000,
      timeoutMs: 50,
      run: ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(signal.reason as Error);
          });
        }),
    });
    let failures = 0;
    s.add({
      name: 'failing',
      everyMs: 10,
      initialDelayMs: 0,
      async run() {
        failures++;
        throw new Error('boom');
      },
    });
    s.start();
    expect(await s.trigger('stuck')).toBe('timeout');
    expect(sawAbort).toBe(true);
    await eventually(async () => failures >= 3);
    await s.stop();
    expect(await outcomes(registry, 'stuck')).toMatchObject({ timeout: 1 });
    expect((await outcomes(registry, 'failing')).error).toBeGreaterThanOrEqual(3);
  });

  it('runs a task with a long initial delay only when triggered; stop aborts a run in progress and waits for it', async ({ kit }) => {
    const s = scheduler(kit);
    let started = 0;
    let finished = false;
    s.add({
      name: 'long',
      everyMs: 60_000,
      async run({ signal }) {
        started++;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        finished = true;
      },
    });
    s.start();
    await sleep(50);
    expect(started).toBe(0); // positive control below: a trigger does start it
    const run = s.trigger('long');
    await eventually(async () => started === 1);
    await s.stop();
    expect(finished).toBe(true);
    expect(await run).toBe('aborted');
  });
});

describe('singleton tasks across app instances on one database', () => {
  const build = async (kit: TestKit, instance: string) => {
    const app = await createApp(kit.env);
    addRecordingTask(app, instance);
    await app.ready();
    return app;
  };
  const runsBy = async (app: FastifyInstance) =>
    Object.fromEntries((await app.infra.pool.query<{ instance: string; n: number }>('SELECT instance, count(*)::int AS n FROM kit_sched.task_runs GROUP BY instance')).rows.map((r) => [r.instance, r.n]));
  const overlaps = async (app: FastifyInstance) =>
    Number(
      (
        await app.infra.pool.query(
          `SELECT count(*) AS n FROM kit_sched.task_runs a JOIN kit_sched.task_runs b
             ON a.id < b.id AND a.started_at < b.finished_at AND b.started_at < a.finished_at`,
        )
      ).rows[0].n,
    );
  const skipped = async (app: FastifyInstance) => (await outcomes(app.infra.registry, 'tick')).skipped ?? 0;

  it('exactly one instance runs it at a time; when the holder closes the other takes over', async ({ kit }) => {
    const a = await build(kit, 'a');
    await eventually(async () => ((await runsBy(a)).a ?? 0) >= 2);
    const b = await build(kit, 'b');
    let closedA = false;
    try {
      // b has tried (and been refused) several times while a kept running.
      await eventually(async () => (await skipped(b)) >= 3);
      const before = await runsBy(a);
      expect(before.b).toBeUndefined();
      expect(a.infra.scheduler.holding()).toEqual(['tick']);
      expect(b.infra.scheduler.holding()).toEqual([]);

      await a.close();
      closedA = true;
      await eventually(async () => ((await runsBy(b)).b ?? 0) >= 3);
      expect(b.infra.scheduler.holding()).toEqual(['tick']);
      expect(await overlaps(b)).toBe(0);
    } finally {
      if (!closedA) await a.close();
      await b.close();
    }
  });

  it('when the holder process is killed (SIGKILL), its lock goes with its connection and another instance takes over', async ({ kit }) => {
    const child: ChildProcess = fork(path.join(here, 'fixtures/singleton-service.ts'), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...kit.env, TEST_INSTANCE: 'crashing' },
      stdio: 'inherit',
    });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
      });
      const survivor = await build(kit, 'survivor');
      try {
        await eventually(async () => ((await runsBy(survivor)).crashing ?? 0) >= 2);
        await eventually(async () => (await skipped(survivor)) >= 3);
        expect((await runsBy(survivor)).survivor).toBeUndefined();

        child.kill('SIGKILL');
        await exited;
        await eventually(async () => ((await runsBy(survivor)).survivor ?? 0) >= 3, 30_000);
        expect(survivor.infra.scheduler.holding()).toEqual(['tick']);
        expect(await overlaps(survivor)).toBe(0);
      } finally {
        await survivor.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
  }, 90_000);
});
