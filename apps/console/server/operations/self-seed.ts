// "The first start shows real data": Vigil set up to watch itself, through the services' own
// APIs with the dev admin key — a "vigil" error project whose DSN the services report to,
// perf-collector monitoring Vigil's database, and a daily backup-and-verify policy for it.
// Each step records itself in console.setup_steps, and looks for its resource by name first,
// so the seed runs once and a half-done seed resumes without duplicates.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { PlatformApi } from '../clients/platform-api.js';
import type { ServiceInstances } from '../clients/service-instances.js';
import type { Config, ServiceName } from '../config.js';
import { markStepDone, stepDone } from '../db/setup-steps.js';

export const SEED_STEPS = ['self-seed:error-project', 'self-seed:perf-target', 'self-seed:dr-policy'] as const;

interface Named {
  id: string;
  name: string;
}

export interface SeedLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export async function seedDone(pool: pg.Pool): Promise<boolean> {
  for (const step of SEED_STEPS) if (!(await stepDone(pool, step))) return false;
  return true;
}

/** Runs the steps not done yet; a step that fails (a service not up yet) is retried at the next call. */
export async function seedSelf(pool: pg.Pool, config: Config, o: { key: string; services: Record<ServiceName, ServiceInstances>; signal?: AbortSignal; log: SeedLog }): Promise<boolean> {
  const api = new PlatformApi(o.key, o.signal);
  const steps: Record<(typeof SEED_STEPS)[number], () => Promise<Record<string, unknown>>> = {
    'self-seed:error-project': async () => {
      const base = o.services.errors.pick();
      const projects = await api.all<Named>(base, '/v1/projects');
      const project = projects.find((p) => p.name === 'vigil') ?? (await api.call<Named>(base, 'POST', '/v1/projects', { name: 'vigil' }));
      const keys = await api.all<{ id: string; dsn: string; revokedAt: string | null }>(base, `/v1/projects/${project.id}/keys`);
      const key = keys.find((k) => !k.revokedAt) ?? (await api.call<{ id: string; dsn: string }>(base, 'POST', `/v1/projects/${project.id}/keys`, { label: 'vigil services' }));
      await writeDsnFile(config.CONSOLE_SELF_DSN_FILE, key.dsn);
      return { projectId: project.id, keyId: key.id, dsn: key.dsn };
    },
    'self-seed:perf-target': async () => {
      const base = o.services.perf.pick();
      const targets = await api.all<Named>(base, '/v1/databases');
      const target =
        targets.find((t) => t.name === 'vigil') ??
        (await api.call<Named>(base, 'POST', '/v1/databases', { name: 'vigil', connectionString: config.DATABASE_URL, intervalSeconds: 60 }));
      return { databaseId: target.id };
    },
    'self-seed:dr-policy': async () => {
      const base = o.services.dr.pick();
      const policies = await api.all<Named>(base, '/v1/policies');
      const existing = policies.find((p) => p.name === 'vigil daily');
      const policy =
        existing ??
        (await api.call<Named>(base, 'POST', '/v1/policies', {
          name: 'vigil daily',
          sourceUrl: config.DATABASE_URL,
          schedule: '0 3 * * *',
          repositoryPath: config.CONSOLE_SELF_BACKUP_DIR,
          retentionCount: 7,
          rpoTargetSeconds: 26 * 3600,
          drillSchedule: '0 4 * * 0',
        }));
      // A first backup-and-verify right away, so DR readiness shows a verified restore on the first day, not after 03:00.
      if (!existing) await api.call(base, 'POST', `/v1/policies/${policy.id}/backups`, {});
      return { policyId: policy.id };
    },
  };
  let all = true;
  for (const step of SEED_STEPS) {
    if (await stepDone(pool, step)) continue;
    try {
      const detail = await steps[step]();
      await markStepDone(pool, step, detail);
      o.log.info({ step, ...('dsn' in detail ? { projectId: detail.projectId } : detail) }, 'first-start seed step done');
    } catch (err) {
      all = false;
      o.log.warn({ step, err: (err as Error).message }, 'first-start seed step not done yet; retrying');
    }
  }
  return all;
}

async function writeDsnFile(file: string, dsn: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${dsn}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}
