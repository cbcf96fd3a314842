// The task scheduler every service's jobs/ run on: a timer per task with no overlap, an
// abortable run with a timeout, start/stop/trigger, and singleton tasks that run on exactly
// one replica. The singleton lock is a PostgreSQL session advisory lock held on a dedicated
// connection, so a crashed holder's lock goes away with its connection.
import pg from 'pg';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface TaskLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child?(bindings: object): TaskLogger;
}

export interface TaskContext {
  /** Aborted at the task's timeout, when the scheduler stops, or when a singleton's lock is lost. */
  signal: AbortSignal;
  log: TaskLogger;
}

export interface TaskSpec {
  /** Unique per service; the metric label and part of the singleton lock key. */
  name: string;
  /** Pause between the end of one run and the start of the next. */
  everyMs: number;
  /** Delay before the first run; defaults to `everyMs` (0 = right after start). */
  initialDelayMs?: number;
  /** The run's signal is aborted after this; default 5 minutes. */
  timeoutMs?: number;
  /** At most one instance across replicas runs this task (PostgreSQL advisory lock). */
  singleton?: boolean;
  run: (ctx: TaskContext) => Promise<void>;
}

export type TaskOutcome = 'ok' | 'error' | 'timeout' | 'aborted' | 'skipped';

export interface TaskSchedulerOptions {
  /** Connection string for the dedicated lock session (singleton tasks). */
  databaseUrl: string;
  /** Lock namespace: two services may have tasks of the same name. Usually the service schema. */
  scope: string;
  log: TaskLogger;
  registry: Registry;
  /** application_name of the lock session (visible in pg_stat_activity). */
  applicationName?: string;
}

interface Task {
  spec: Required<Omit<TaskSpec, 'singleton'>> & { singleton: boolean };
  timer?: NodeJS.Timeout;
  running?: Promise<TaskOutcome>;
  abort?: AbortController;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;

export class TaskScheduler {
  private readonly tasks = new Map<string, Task>();
  private started = false;
  private stopped = false;
  private lockClient?: pg.Client;
  /** Queries on the lock session run one at a time (pg deprecates overlapping queries on one client). */
  private lockQueries: Promise<unknown> = Promise.resolve();
  private connecting?: Promise<pg.Client>;
  private readonly held = new Set<string>();
  private readonly runs: Counter<'task' | 'outcome'>;
  private readonly duration: Histogram<'task'>;

  constructor(private readonly o: TaskSchedulerOptions) {
    const registers = [o.registry];
    this.runs =
      (o.registry.getSingleMetric('vigil_task_runs_total') as Counter<'task' | 'outcome'> | undefined) ??
      new Counter({ name: 'vigil_task_runs_total', help: 'Scheduled task runs by outcome (ok, error, timeout, aborted, skipped)', labelNames: ['task', 'outcome'], registers });
    this.duration =
      (o.registry.getSingleMetric('vigil_task_duration_seconds') as Histogram<'task'> | undefined) ??
      new Histogram({ name: 'vigil_task_duration_seconds', help: 'Scheduled task run duration', labelNames: ['task'], buckets: [0.01, 0.1, 0.5, 1, 5, 30, 120, 600], registers });
  }

  add(spec: TaskSpec): void {
    if (this.tasks.has(spec.name)) throw new Error(`task ${spec.name} is already scheduled`);
    if (!(spec.everyMs > 0)) throw new Error(`task ${spec.name}: everyMs must be positive`);
    const task: Task = {
      spec: {
        name: spec.name,
        everyMs: spec.everyMs,
        initialDelayMs: spec.initialDelayMs ?? spec.everyMs,
        timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        singleton: spec.singleton ?? false,
        run: spec.run,
      },
    };
    this.tasks.set(spec.name, task);
    if (this.started && !this.stopped) this.schedule(task, task.spec.initialDelayMs);
  }

  /** Starts every task's timer. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const task of this.tasks.values()) this.schedule(task, task.spec.initialDelayMs);
  }

  /**
   * Runs the task now and resolves with the outcome once that run is over. A run in progress
   * is waited for first (runs never overlap). A singleton task on an instance that does not hold
   * its lock is `skipped`.
   */
  async trigger(name: string): Promise<TaskOutcome> {
    const task = this.tasks.get(name);
    if (!task) throw new Error(`no task named ${name}`);
    if (this.stopped) return 'skipped';
    while (task.running) await task.running;
    if (task.timer) clearTimeout(task.timer);
    const outcome = await this.runTask(task);
    if (this.started) this.schedule(task, task.spec.everyMs);
    return outcome;
  }

  /** Names of the singleton tasks whose lock this instance holds. */
  holding(): string[] {
    return [...this.held];
  }

  /** Stops the timers, aborts runs in progress, waits for them, and releases the singleton locks. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const task of this.tasks.values()) {
      if (task.timer) clearTimeout(task.timer);
      task.abort?.abort(new Error('scheduler stopping'));
    }
    await Promise.all([...this.tasks.values()].map((t) => t.running));
    await this.connecting?.catch(() => undefined);
    const client = this.lockClient;
    this.lockClient = undefined;
    this.held.clear();
    await client?.end().catch(() => undefined);
  }

  private schedule(task: Task, delay: number): void {
    if (this.stopped) return;
    if (task.timer) clearTimeout(task.timer);
    task.timer = setTimeout(() => {
      task.timer = undefined;
      if (task.running) return; // a trigger is running it; it reschedules
      void this.runTask(task).then(() => this.schedule(task, task.spec.everyMs));
    }, delay);
    task.timer.unref?.();
  }

  private runTask(task: Task): Promise<TaskOutcome> {
    const running = this.execute(task).finally(() => {
      if (task.running === running) task.running = undefined;
    });
    task.running = running;
    return running;
  }

  private async execute(task: Task): Promise<TaskOutcome> {
    const { name, timeoutMs, singleton, run } = task.spec;
    const log = this.o.log.child?.({ task: name }) ?? this.o.log;
    if (singleton && !(await this.acquire(name, log))) {
      this.runs.inc({ task: name, outcome: 'skipped' });
      return 'skipped';
    }
    const abort = new AbortController();
    task.abort = abort;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort(new Error(`task ${name} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const end = this.duration.startTimer({ task: name });
    let outcome: TaskOutcome;
    try {
      await run({ signal: abort.signal, log });
      outcome = timedOut ? 'timeout' : abort.signal.aborted ? 'aborted' : 'ok';
    } catch (err) {
      if (abort.signal.aborted) {
        outcome = timedOut ? 'timeout' : 'aborted';
        if (!timedOut) log.info({ reason: (abort.signal.reason as Error | undefined)?.message }, `task ${name} aborted`);
      } else {
        outcome = 'error';
        log.error({ err }, `task ${name} failed; it runs again in ${task.spec.everyMs} ms`);
      }
    } finally {
      clearTimeout(timer);
      task.abort = undefined;
      end();
    }
    if (outcome === 'timeout') log.warn({ timeoutMs }, `task ${name} overran its timeout`);
    this.runs.inc({ task: name, outcome });
    return outcome;
  }

  /** True when this instance holds (or just took) the task's lock. */
  private async acquire(name: string, log: TaskLogger): Promise<boolean> {
    try {
      const client = await this.lockSession();
      if (this.held.has(name)) {
        await this.onLockSession(() => client.query('SELECT 1')); // the session is alive, so the lock is still ours
        return true;
      }
      const { rows } = await this.onLockSession(() =>
        client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [this.lockKey(name)]),
      );
      if (rows[0]?.ok) {
        this.held.add(name);
        log.info({}, `this instance now runs singleton task ${name}`);
        return true;
      }
      return false;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'singleton lock session unavailable; skipping this run');
      this.dropSession();
      return false;
    }
  }

  private onLockSession<T>(query: () => Promise<T>): Promise<T> {
    const run = this.lockQueries.then(query, query);
    this.lockQueries = run.catch(() => undefined);
    return run;
  }

  private lockKey(name: string): string {
    return `vigil-task:${this.o.scope}:${name}`;
  }

  private lockSession(): Promise<pg.Client> {
    if (this.lockClient) return Promise.resolve(this.lockClient);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.o.databaseUrl, application_name: this.o.applicationName ?? 'vigil-scheduler', connectionTimeoutMillis: 5_000 });
      // A lost session means lost locks: forget them and abort the runs that relied on them.
      client.on('error', () => this.dropSession(client));
      client.on('end', () => this.dropSession(client));
      try {
        await client.connect();
      } catch (err) {
        await client.end().catch(() => undefined);
        throw err;
      }
      if (this.stopped) {
        await client.end().catch(() => undefined);
        throw new Error('scheduler stopped');
      }
      this.lockClient = client;
      return client;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private dropSession(client = this.lockClient): void {
    if (!client || client !== this.lockClient) return;
    this.lockClient = undefined;
    for (const name of this.held) {
      const task = this.tasks.get(name);
      task?.abort?.abort(new Error(`singleton lock of ${name} lost`));
    }
    if (this.held.size && !this.stopped) this.o.log.warn({ tasks: [...this.held] }, 'singleton lock session lost; another instance may take over');
    this.held.clear();
    void client.end().catch(() => undefined);
  }
}
