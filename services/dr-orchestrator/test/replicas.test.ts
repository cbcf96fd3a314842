// Two instances of dr-orchestrator on one database, both with the policy clock ticking every 200 ms:
// a due scheduled backup runs once per slot, not once per instance. When the instance that holds the
// clock stops, the other takes over and runs the next slot — once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, eventually, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { createSourceDb, dropDb, serverUrl } from './fixtures.js';

let env: TestEnv;
let source: string;
let repo: string;
let pool: pg.Pool;
const apps: FastifyInstance[] = [];
let auth: { authorization: string };

beforeAll(async () => {
  env = await createTestEnv('dr_replicas');
  source = await createSourceDb('replicas', 500);
  repo = await mkdtemp(path.join(tmpdir(), 'vigil-dr-replicas-'));
  for (let i = 0; i < 2; i++) {
    const app = await buildApp(loadServiceConfig({ ...env.env, DR_SCHEDULER_TICK_MS: '200' }));
    apps.push(app);
    await app.ready();
  }
  auth = { authorization: `Bearer ${await env.apiKey('acme', 'admin')}` };
  pool = new pg.Pool({ connectionString: env.databaseUrl, max: 2 });
}, 180_000);

afterAll(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  await pool?.end();
  await env?.cleanup();
  await dropDb(source);
  await rm(repo, { recursive: true, force: true });
}, 120_000);

async function scheduledBackups(policyId: string): Promise<{ status: string; startedAt: string }[]> {
  const { rows } = await pool.query(`SELECT status, started_at AS "startedAt" FROM dr.backups WHERE policy_id = $1 AND trigger = 'schedule' ORDER BY started_at`, [policyId]);
  return rows;
}

describe('two instances, one policy clock', () => {
  it('runs one backup per due slot, and the other instance takes over the clock when the holder stops', async () => {
    const created = await apps[0]!.inject({
      method: 'POST',
      url: '/v1/policies',
      headers: auth,
      payload: { name: 'every-minute', sourceUrl: serverUrl(source), schedule: '* * * * *', repositoryPath: repo },
    });
    expect(created.statusCode, created.body).toBe(201);
    const policyId = created.json().id as string;
    // The test arranges the clock: the policy was created two minutes ago, so a slot is due now.
    await pool.query(`UPDATE dr.policies SET created_at = now() - interval '2 minutes' WHERE id = $1`, [policyId]);

    const first = await eventually(async () => {
      const b = await scheduledBackups(policyId);
      return b.length > 0 && b.every((x) => x.status !== 'running') ? b : undefined;
    }, 120_000, 200);
    // Positive signal that both clocks had every chance to start a second one: the backup finished,
    // and its verification too — dozens of 200 ms ticks later.
    await eventually(async () => {
      const { rows } = await pool.query(`SELECT verification_status AS v FROM dr.backups WHERE policy_id = $1`, [policyId]);
      return rows.length > 0 && rows.every((r: { v: string }) => r.v !== 'pending' && r.v !== 'running');
    }, 120_000, 200);
    expect(first).toHaveLength(1);
    expect(first[0]!.status).toBe('completed');
    expect(await scheduledBackups(policyId)).toHaveLength(1);

    // The holder of the clock stops; the next slot (arranged: the last backup was two minutes ago) runs on the other.
    const { rows: holders } = await pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`);
    expect(holders[0].n).toBeGreaterThan(0);
    await apps[0]!.close();
    await pool.query(`UPDATE dr.backups SET started_at = started_at - interval '2 minutes' WHERE policy_id = $1`, [policyId]);
    const second = await eventually(async () => {
      const b = await scheduledBackups(policyId);
      return b.length > 1 && b.every((x) => x.status !== 'running') ? b : undefined;
    }, 120_000, 200);
    expect(second).toHaveLength(2);
    expect(second.map((b) => b.status)).toEqual(['completed', 'completed']);
  }, 300_000);
});
