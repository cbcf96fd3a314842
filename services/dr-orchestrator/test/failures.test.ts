// Failure paths with real infrastructure: an unwritable repository, and backups that stop
// (scheduled backups run, the policy is disabled, the RPO breach is detected and published).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { RecoveryObjectiveBreached, type EventData } from '@vigil/events';
import { eventually, serviceTest, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { POLICY_SCHEDULE_TASK } from '../src/jobs/policy-schedule.js';
import { loadServiceConfig } from '../src/config.js';
import { createSourceDb, dropDb, observeDrEvents, serverUrl, type Seen } from './fixtures.js';

const it = serviceTest({ label: 'drfail', env: { DR_SCHEDULER_TICK_MS: '300' }, build: (env) => buildApp(loadServiceConfig(env)) });

let kit: TestKit;
let app: FastifyInstance;
let source: string;
let dir: string;
let observer: Awaited<ReturnType<typeof observeDrEvents>>;
let key: string;

const headers = () => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  source = await createSourceDb('fail', 2_000);
  dir = await mkdtemp(path.join(tmpdir(), 'vigil-dr-fail-'));
}, 300_000);

// The app is the file's fixture (built once, on a database cloned from the migrated template).
beforeEach<{ app: FastifyInstance; kit: TestKit }>(async ({ app: a, kit: k }) => {
  if (app) return;
  app = a;
  kit = k;
  observer = await observeDrEvents(kit.env.KAFKA_BROKERS!, kit.namespace);
  key = await kit.apiKey('acme', 'admin');
}, 300_000);

afterAll(async () => {
  await observer?.stop();
  if (source) await dropDb(source);
  if (dir) await rm(dir, { recursive: true, force: true });
});

const seen = (type: string, pred: (e: Seen) => boolean) => eventually(async () => observer.events.find((e) => e.type === type && pred(e)), 60_000);

async function createPolicy(payload: Record<string, unknown>): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/v1/policies', headers: headers(), payload: { sourceUrl: serverUrl(source), ...payload } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('unwritable repository', { timeout: 180_000 }, () => {
  it('fails the backup with a clear message, leaves nothing behind, and publishes the failure', async () => {
    // A regular file where a folder should be: unwritable even for root.
    const blocker = path.join(dir, 'not-a-directory');
    await writeFile(blocker, 'x');
    const policyId = await createPolicy({ schedule: '0 0 1 1 *', repositoryPath: path.join(blocker, 'repo') });
    const res = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/backups`, headers: headers() });
    expect(res.statusCode).toBe(202);
    const backupId = res.json().id;
    const backup = await eventually(async () => {
      const b = (await app.inject({ url: `/v1/backups/${backupId}`, headers: headers() })).json();
      return b.status !== 'running' ? b : undefined;
    });
    expect(backup.status).toBe('failed');
    expect(backup.error).toMatch(/cannot write to backup repository .*not-a-directory\/repo: repository is not writable \(ENOTDIR/);
    expect(backup.path).toBeNull();
    const event = await seen('BackupFinished', (e) => e.data.backupId === backupId);
    expect(event.data).toMatchObject({ outcome: 'failed', error: backup.error });
    expect(event.data.runbookUrl).toMatch(/\/runbooks\/backup-failure$/);
    // Nothing was verified, so nothing counts for RPO.
    const objectives = (await app.inject({ url: `/v1/policies/${policyId}/objectives`, headers: headers() })).json();
    expect(objectives.lastVerifiedSnapshotAt).toBeNull();
    const deleted = await app.inject({ method: 'DELETE', url: `/v1/policies/${policyId}`, headers: headers() });
    expect(deleted.statusCode).toBe(204);
    expect((await app.inject({ url: `/v1/backups/${backupId}`, headers: headers() })).statusCode).toBe(404);
    const gone = await app.inject({ method: 'DELETE', url: `/v1/policies/${policyId}`, headers: headers() });
    expect(gone.json()).toMatchObject({ status: 404, code: 'DR_POLICY_NOT_FOUND' });
  });
});

describe('scheduled drills', { timeout: 180_000 }, () => {
  it('restores the latest backup on the drill schedule and keeps the history', async () => {
    const policyId = await createPolicy({ name: 'drilled', schedule: '0 0 1 1 *', repositoryPath: path.join(dir, 'drills'), jobs: 1 });
    const started = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/backups`, headers: headers() });
    const backupId = started.json().id;
    await eventually(async () => (await app.inject({ url: `/v1/backups/${backupId}`, headers: headers() })).json().verificationStatus === 'passed', 60_000);
    const on = await app.inject({ method: 'PATCH', url: `/v1/policies/${policyId}`, headers: headers(), payload: { drillSchedule: '* * * * * *' } });
    expect(on.json().drillSchedule).toBe('* * * * * *');
    const drill = await eventually(async () => {
      const list = (await app.inject({ url: `/v1/policies/${policyId}/drills`, headers: headers() })).json().items as { trigger: string; status: string; backupId: string; rtoSeconds: number }[];
      return list.find((d) => d.trigger === 'schedule' && d.status !== 'running');
    }, 60_000);
    expect(drill).toMatchObject({ status: 'passed', backupId });
    expect(drill.rtoSeconds).toBeGreaterThan(0);
    await app.inject({ method: 'PATCH', url: `/v1/policies/${policyId}`, headers: headers(), payload: { drillSchedule: null, enabled: false } });
    const event = await seen('VerificationFinished', (e) => e.data.policyId === policyId && e.data.kind === 'drill');
    expect(event.data.outcome).toBe('passed');
  });
});

describe('RPO', { timeout: 180_000 }, () => {
  it('runs scheduled backups, then detects the breach once they stop', async () => {
    const repo = path.join(dir, 'repo');
    // Every 2 seconds (six-field cron), RPO target 6 s.
    const policyId = await createPolicy({ name: 'ticking', schedule: '*/2 * * * * *', repositoryPath: repo, rpoTargetSeconds: 6, retentionCount: 2, jobs: 1 });
    const verified = await eventually(async () => {
      const list = (await app.inject({ url: `/v1/policies/${policyId}/backups`, headers: headers() })).json().items as { trigger: string; verificationStatus: string }[];
      return list.find((b) => b.trigger === 'schedule' && b.verificationStatus === 'passed');
    }, 90_000);
    expect(verified).toBeTruthy();
    // Backups stop.
    const off = await app.inject({ method: 'PATCH', url: `/v1/policies/${policyId}`, headers: headers(), payload: { enabled: false } });
    expect(off.statusCode).toBe(200);
    const breach = await seen('RecoveryObjectiveBreached', (e) => e.data.policyId === policyId);
    expect(breach.data.objective).toBe('rpo');
    expect(breach.data.targetSeconds).toBe(6);
    expect(breach.data.actualSeconds as number).toBeGreaterThan(6);
    expect(breach.data.runbookUrl).toMatch(/\/runbooks\/rpo-breach$/);
    const objectives = (await app.inject({ url: `/v1/policies/${policyId}/objectives`, headers: headers() })).json();
    expect(objectives.rpo.breached).toBe(true);
    expect(objectives.openBreaches).toEqual([expect.objectContaining({ objective: 'rpo' })]);
    // Retention kept at most two completed backups on disk.
    await app.dr.runner.idle();
    const backups = (await app.inject({ url: `/v1/policies/${policyId}/backups`, headers: headers() })).json().items as { status: string }[];
    expect(backups.filter((b) => b.status === 'completed').length).toBeLessThanOrEqual(2);
    // The breach is published once, not on every tick. Positive signals first: two more ticks
    // evaluate RPO with the breach open, the relay sends whatever they wrote, and a marker
    // published afterwards on the same key (same partition, so behind any such event) arrives.
    expect(await app.infra.scheduler.trigger(POLICY_SCHEDULE_TASK)).toBe('ok');
    expect(await app.infra.scheduler.trigger(POLICY_SCHEDULE_TASK)).toBe('ok');
    await eventually(async () => (await app.infra.pool.query(`SELECT count(*)::int AS n FROM dr.outbox WHERE topic LIKE '%dr.objectives'`)).rows[0].n === 0, 30_000);
    const marker = { ...(breach.data as EventData<typeof RecoveryObjectiveBreached>), database: 'test-marker', detectedAt: new Date().toISOString() };
    await observer.bus.publish(RecoveryObjectiveBreached, marker, { tenantId: breach.tenantId });
    await seen('RecoveryObjectiveBreached', (e) => e.data.policyId === policyId && e.data.database === 'test-marker');
    expect(observer.events.filter((e) => e.type === 'RecoveryObjectiveBreached' && e.data.policyId === policyId && e.data.database !== 'test-marker')).toHaveLength(1);
    const doc = await app.inject({ url: '/v1/continuity-document', headers: headers() });
    expect(doc.body).toMatch(/RPO target 6\.0 s is breached/);
    expect(doc.body).toContain('The policy is disabled: no backups are being taken.');
  });
});

describe('policy clock', () => {
  it('ticks on one instance at a time: a second instance on the same database skips it until the holder stops', async () => {
    expect(await app.infra.scheduler.trigger(POLICY_SCHEDULE_TASK)).toBe('ok');
    // A second replica (built, not started: no consumers join) does not get the singleton lock.
    const replica = await buildApp(loadServiceConfig(kit.env));
    try {
      expect(await replica.infra.scheduler.trigger(POLICY_SCHEDULE_TASK)).toBe('skipped');
      // The holder stops (last test of the file: the fixture's own close is then a no-op); the lock goes with its session.
      await app.close();
      expect(await replica.infra.scheduler.trigger(POLICY_SCHEDULE_TASK)).toBe('ok');
    } finally {
      await replica.close();
    }
  });
});
