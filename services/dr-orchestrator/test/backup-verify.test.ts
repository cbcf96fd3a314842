// A real database backed up with pg_dump, restored with pg_restore and checked; then a
// byte of the backup is corrupted and the next verification must fail and say so.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { SubjectRequestIssued } from '@vigil/events';
import { eventually, serviceTest, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { admin, createSourceDb, dropDb, observeDrEvents, serverUrl, type Seen } from './fixtures.js';

const it = serviceTest({ label: 'drverify', env: { DR_SCHEDULER_ENABLED: 'false', DR_PROGRESS_EVENT_STEP: '25' }, build: (env) => buildApp(loadServiceConfig(env)) });

let kit: TestKit;
let app: FastifyInstance;
let source: string;
let repo: string;
let observer: Awaited<ReturnType<typeof observeDrEvents>>;
let adminKey: string;
let writeKey: string;
let policyId: string;
let backupId: string;

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  source = await createSourceDb('verify');
  repo = await mkdtemp(path.join(tmpdir(), 'vigil-dr-repo-'));
}, 300_000);

// The app is the file's fixture (built once, on a database cloned from the migrated template).
beforeEach<{ app: FastifyInstance; kit: TestKit }>(async ({ app: a, kit: k }) => {
  if (app) return;
  app = a;
  kit = k;
  observer = await observeDrEvents(kit.env.KAFKA_BROKERS!, kit.namespace);
  adminKey = await kit.apiKey('acme', 'admin');
  writeKey = await kit.apiKey('acme', 'write');
}, 300_000);

afterAll(async () => {
  await observer?.stop();
  if (source) await dropDb(source);
  if (repo) await rm(repo, { recursive: true, force: true });
});

const seen = (type: string, pred: (e: Seen) => boolean = () => true) => eventually(async () => observer.events.find((e) => e.type === type && pred(e)), 60_000);

describe('policies', { timeout: 180_000 }, () => {
  it('rejects bad input with a precise problem, and needs an admin key', async () => {
    const base = { sourceUrl: serverUrl(source), schedule: '0 3 * * *', repositoryPath: repo };
    const bad = async (payload: object, detail: RegExp) => {
      const res = await app.inject({ method: 'POST', url: '/v1/policies', headers: auth(adminKey), payload });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(detail);
    };
    await bad({ ...base, schedule: '61 * * * *' }, /schedule: cron expression "61 \* \* \* \*" is invalid/);
    await bad({ ...base, schedule: 'every day' }, /must have 5 or 6 fields/);
    await bad({ ...base, repositoryPath: 'relative/dir' }, /repositoryPath must be an absolute path/);
    await bad({ ...base, sourceUrl: 'mysql://x/y' }, /postgres:\/\/ scheme/);
    await bad({ ...base, sourceUrl: 'postgres://127.0.0.1:5432/' }, /must name a database/);
    await bad({ ...base, jobs: 0 }, /jobs/);
    const forbidden = await app.inject({ method: 'POST', url: '/v1/policies', headers: auth(writeKey), payload: base });
    expect(forbidden.statusCode).toBe(403);
  });

  it('stores the source encrypted and never returns its password', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/policies',
      headers: auth(adminKey),
      payload: { name: 'orders', sourceUrl: serverUrl(source).replace('postgres@', 'postgres:s3cret@'), schedule: '0 3 * * *', repositoryPath: repo, jobs: 2, rpoTargetSeconds: 86_400, rtoTargetSeconds: 600 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p.source).toBe(`postgres://postgres:***@127.0.0.1:5432/${source}`);
    expect(JSON.stringify(p)).not.toContain('s3cret');
    expect(p.nextBackupAt).toMatch(/T03:00:00/);
    const stored = await admin((c) => c.query('SELECT source_url_enc FROM dr.policies WHERE id = $1', [p.id]), new URL(kit.databaseUrl).pathname.slice(1));
    // The kit's one sealed-secret format (issue 10 §2), no longer the service's own v1: format.
    expect(stored.rows[0].source_url_enc).toMatch(/^vs1:/);
    expect(stored.rows[0].source_url_enc).not.toContain('s3cret');
    // Real policy without the fake password (trust auth would accept it, but keep it clean).
    const patched = await app.inject({ method: 'PATCH', url: `/v1/policies/${p.id}`, headers: auth(adminKey), payload: { sourceUrl: serverUrl(source) } });
    expect(patched.statusCode, patched.body).toBe(200);
    policyId = p.id;
    const other = await kit.apiKey('globex', 'admin');
    expect((await app.inject({ url: `/v1/policies/${policyId}`, headers: auth(other) })).statusCode).toBe(404);
  });
});

describe('backup proven by restore', { timeout: 180_000 }, () => {
  it('backs up a real database and verifies it by restoring it', async () => {
    const res = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/backups`, headers: auth(writeKey) });
    expect(res.statusCode, res.body).toBe(202);
    backupId = res.json().id;
    const backup = await eventually(async () => {
      const b = (await app.inject({ url: `/v1/backups/${backupId}`, headers: auth(writeKey) })).json();
      return b.verificationStatus !== 'pending' || b.status === 'failed' ? b : undefined;
    }, 90_000);
    expect(backup.error).toBeNull();
    expect(backup.status).toBe('completed');
    const verifications = (await app.inject({ url: `/v1/policies/${policyId}/verifications`, headers: auth(writeKey) })).json().items;
    expect(verifications).toHaveLength(1);
    const v = verifications[0];
    expect(v.checks.filter((c: { outcome: string }) => c.outcome !== 'passed')).toEqual([]);
    expect(v.status).toBe('passed');
    expect(backup.verificationStatus).toBe('passed');
    expect(backup.tables).toBe(3);
    expect(backup.rows).toBe(60_000);
    expect(backup.progressPct).toBe(100);

    const files = await readdir(backup.path);
    expect(files.sort()).toEqual(['backup-id', 'dump', 'manifest.json']);
    expect((await readdir(path.join(repo, policyId))).filter((f) => f.startsWith('.partial-'))).toEqual([]);
    const manifest = JSON.parse(await readFile(path.join(backup.path, 'manifest.json'), 'utf8'));
    expect(manifest.files.length).toBe(backup.fileCount);
    expect(manifest.files.every((f: { sha256: string }) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
    expect(manifest.facts.schemaLines).toEqual(expect.arrayContaining([expect.stringMatching(/^index CREATE INDEX invoices_customer/), expect.stringMatching(/^trigger /)]));

    expect(v.checks.map((c: { name: string }) => c.name).sort()).toEqual(['amcheck', 'manifest', 'restore_errors', 'row_counts', 'schema_diff', 'table_checksums']);
    expect(v.checks.every((c: { outcome: string }) => c.outcome === 'passed')).toBe(true);
    expect(v.rtoSeconds).toBeGreaterThan(0);
    // The scratch database is gone.
    const scratch = await admin((c) => c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'vigil_dr_scratch_%' AND datname = $1`, [`vigil_dr_scratch_${v.id.replace(/-/g, '')}`]));
    expect(scratch.rowCount).toBe(0);

    const finished = await seen('BackupFinished', (e) => e.data.backupId === backupId);
    expect(finished.data).toMatchObject({ outcome: 'completed', policyId, database: source });
    expect(finished.tenantId).toBe('acme');
    const verified = await seen('VerificationFinished', (e) => e.data.backupId === backupId);
    expect(verified.data.outcome).toBe('passed');
    await seen('OperationProgressed', (e) => e.data.operationId === backupId && e.data.percent === 100);
    await seen('OperationProgressed', (e) => e.data.operationId === v.id && e.data.phase === 'restoring');
  });

  it('runs a DR drill on demand and keeps its history', async () => {
    const res = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/drills`, headers: auth(writeKey) });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().backupId).toBe(backupId);
    const drill = await eventually(async () => {
      const list = (await app.inject({ url: `/v1/policies/${policyId}/drills`, headers: auth(writeKey) })).json().items;
      return list[0]?.status !== 'running' ? list[0] : undefined;
    }, 90_000);
    expect(drill.kind).toBe('drill');
    expect(drill.status).toBe('passed');
    expect(drill.rtoSeconds).toBeGreaterThan(0);

    const objectives = (await app.inject({ url: `/v1/policies/${policyId}/objectives`, headers: auth(writeKey) })).json();
    expect(objectives.rpo.breached).toBe(false);
    expect(objectives.rto.actualSeconds).toBeGreaterThan(0);
    const trends = (await app.inject({ url: `/v1/policies/${policyId}/trends?days=7`, headers: auth(writeKey) })).json();
    expect(trends.summary.restores).toBe(2);
    expect(trends.restores.map((r: { kind: string }) => r.kind).sort()).toEqual(['drill', 'verification']);

    const doc = await app.inject({ url: '/v1/continuity-document', headers: auth(writeKey) });
    expect(doc.headers['content-type']).toContain('text/markdown');
    expect(doc.body).toContain('| orders |');
    expect(doc.body).toMatch(/orders\*\*: passed on .*achieved RTO/);
    expect(doc.body).toContain('No DR drill is scheduled.');
    // Proven twice over (the verification, then the drill): the document names the backup and the drill.
    const { snapshotAt } = (await app.inject({ url: `/v1/backups/${backupId}`, headers: auth(writeKey) })).json();
    expect(doc.body).toContain(`- **orders**: the backup of ${new Date(snapshotAt).toISOString()} was proven by a DR drill that passed on ${new Date(drill.finishedAt).toISOString()}.`);
    expect(doc.body).not.toContain('No backup has ever been proven');
  });

  it('fails verification when one byte of the backup is corrupted, and raises an event', async () => {
    const b = (await app.inject({ url: `/v1/backups/${backupId}`, headers: auth(writeKey) })).json();
    const dumpDir = path.join(b.path, 'dump');
    const data = (await readdir(dumpDir)).filter((f) => f.endsWith('.dat.gz'));
    let target = data[0]!;
    let size = 0;
    for (const f of data) {
      const s = (await readFile(path.join(dumpDir, f))).length;
      if (s > size) [target, size] = [f, s];
    }
    const bytes = await readFile(path.join(dumpDir, target));
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    await writeFile(path.join(dumpDir, target), bytes);

    const res = await app.inject({ method: 'POST', url: `/v1/backups/${backupId}/verifications`, headers: auth(writeKey) });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id;
    const v = await eventually(async () => {
      const x = (await app.inject({ url: `/v1/verifications/${id}`, headers: auth(writeKey) })).json();
      return x.status !== 'running' ? x : undefined;
    }, 90_000);
    expect(v.status).toBe('failed');
    const manifest = v.checks.find((c: { name: string }) => c.name === 'manifest');
    expect(manifest).toMatchObject({ outcome: 'failed', detail: expect.stringContaining(`dump/${target}: SHA-256 mismatch`) });

    const event = await seen('VerificationFinished', (e) => e.data.verificationId === id);
    expect(event.data.outcome).toBe('failed');
    expect(event.data.runbookUrl).toMatch(/\/runbooks\/verification-failure$/);
    expect((event.data.checks as { name: string; outcome: string }[]).find((c) => c.name === 'manifest')?.outcome).toBe('failed');
    const after = (await app.inject({ url: `/v1/backups/${backupId}`, headers: auth(writeKey) })).json();
    expect(after.verificationStatus).toBe('failed');
    // The only backup no longer stands proven, but one was: the document says which, and what became of it.
    const doc = (await app.inject({ url: '/v1/continuity-document', headers: auth(writeKey) })).body;
    expect(doc).toMatch(/- \*\*orders\*\*: no backup stands proven now: the backup of \S+ passed a DR drill on \S+, but a later verification of it failed\./);
    expect(doc).toContain('No backup stands proven by a restore now:');
    expect(doc).not.toContain('No backup has ever been proven');
  });
});

describe('data subject requests', { timeout: 180_000 }, () => {
  it('answers an access request with where the subject data is retained in backups', async () => {
    const requestId = randomUUID();
    const now = new Date();
    await observer.bus.publish(
      SubjectRequestIssued,
      {
        requestId,
        kind: 'access',
        identifiers: [{ type: 'email', value: 'user1@example.com' }],
        expectedServices: ['dr-orchestrator'],
        deadline: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
        issuedAt: now.toISOString(),
      },
      { tenantId: 'acme' },
    );
    const receipt = await seen('SubjectRequestReceipt', (e) => e.data.requestId === requestId);
    expect(receipt.data).toMatchObject({ service: 'dr-orchestrator', status: 'completed', tables: [{ table: 'dr.backups', rows: 1, action: 'retained' }] });
    const part = receipt.data.exportPart as { data: { backups: { database: string; backupsHeld: number }[] } };
    expect(part.data.backups).toEqual([expect.objectContaining({ database: source, backupsHeld: 1 })]);
  });
});

describe('runbooks', { timeout: 180_000 }, () => {
  it('serves every runbook, versioned, with the sections an operator needs', async () => {
    const list = (await app.inject({ url: '/v1/runbooks', headers: auth(writeKey) })).json().items as { slug: string; version: number }[];
    expect(list.map((r) => r.slug).sort()).toEqual([
      'archiving-stalled',
      'backup-failure',
      'gdpr-breach-notification',
      'kafka-broker-loss',
      'repository-unreachable',
      'restore-failed',
      'restoring-a-database',
      'rpo-breach',
      'rto-breach',
      'service-crash-loop',
      'verification-failure',
    ]);
    for (const r of list) {
      const res = await app.inject({ url: `/v1/runbooks/${r.slug}`, headers: auth(writeKey) });
      expect(res.headers['x-runbook-version']).toBe(String(r.version));
      for (const section of ['## Triggers', '## Diagnosis', '## Resolution', '## Verification', '## Escalation']) expect(res.body, `${r.slug} ${section}`).toContain(section);
    }
    const missing = await app.inject({ url: '/v1/runbooks/nope', headers: auth(writeKey) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('DR_RUNBOOK_NOT_FOUND');
  });
});
