// The RPO/RTO history behind the console's chart: one point per finished restore, measured against the
// policy's targets, oldest first, keyset-paged in the {items, nextCursor} envelope, tenant-scoped.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eventually, serviceTest, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { createSourceDb, dropDb, serverUrl } from './fixtures.js';

const it = serviceTest({ label: 'drhistory', env: { DR_SCHEDULER_ENABLED: 'false' }, build: (env) => buildApp(loadServiceConfig(env)) });

let kit: TestKit;
let app: FastifyInstance;
let source: string;
let repo: string;
let key: string;

const auth = (k: string) => ({ authorization: `Bearer ${k}` });
interface Point {
  at: string;
  verificationId: string;
  backupId: string;
  kind: string;
  status: string;
  rpoSeconds: number | null;
  rtoSeconds: number | null;
  rpoTargetSeconds: number;
  rtoTargetSeconds: number;
  rpoMet: boolean | null;
  rtoMet: boolean | null;
}

beforeAll(async () => {
  source = await createSourceDb('history', 500);
  repo = await mkdtemp(path.join(tmpdir(), 'vigil-dr-history-'));
}, 300_000);

beforeEach<{ app: FastifyInstance; kit: TestKit }>(async ({ app: a, kit: k }) => {
  if (app) return;
  app = a;
  kit = k;
  key = await kit.apiKey('acme', 'admin');
}, 300_000);

afterAll(async () => {
  if (source) await dropDb(source);
  if (repo) await rm(repo, { recursive: true, force: true });
});

describe('objective history', { timeout: 180_000 }, () => {
  it('charts the verified RPO and the measured RTO of every restore against the targets, page by page', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/policies',
      headers: auth(key),
      // Tight targets (1 s): whether each point met them is computed below from the raw measures.
      payload: { name: 'history', sourceUrl: serverUrl(source), schedule: '0 3 * * *', repositoryPath: repo, rpoTargetSeconds: 1, rtoTargetSeconds: 1 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const policyId = created.json().id as string;
    const empty = (await app.inject({ url: `/v1/policies/${policyId}/objective-history`, headers: auth(key) })).json();
    expect(empty).toEqual({ items: [], nextCursor: null });

    const backupId = (await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/backups`, headers: auth(key) })).json().id as string;
    const backup = await eventually(async () => {
      const b = (await app.inject({ url: `/v1/backups/${backupId}`, headers: auth(key) })).json();
      return b.verificationStatus !== 'pending' ? b : undefined;
    }, 90_000);
    expect(backup.verificationStatus).toBe('passed');
    // The backup's run ends a moment after its verification is recorded (the scratch database is dropped, the
    // policy lock released): until then a new operation is refused with DR_POLICY_BUSY, as the API documents.
    const drill = await eventually(async () => {
      const r = await app.inject({ method: 'POST', url: `/v1/policies/${policyId}/drills`, headers: auth(key) });
      if (r.statusCode === 409 && r.json().code === 'DR_POLICY_BUSY') return undefined;
      return r;
    }, 30_000);
    expect(drill.statusCode, drill.body).toBe(202);
    const restores = await eventually(async () => {
      const list = (await app.inject({ url: `/v1/policies/${policyId}/verifications`, headers: auth(key) })).json().items as { id: string; kind: string; status: string; finishedAt: string; rtoSeconds: number }[];
      return list.length === 2 && list.every((v) => v.status !== 'running') ? list : undefined;
    }, 90_000);

    const res = await app.inject({ url: `/v1/policies/${policyId}/objective-history?days=7`, headers: auth(key) });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: Point[]; nextCursor: string | null };
    expect(page.nextCursor).toBeNull();
    // Oldest first: the verification after the backup, then the drill.
    expect(page.items.map((p) => p.kind)).toEqual(['verification', 'drill']);
    for (const p of page.items) {
      const v = restores.find((r) => r.id === p.verificationId)!;
      // Verified RPO computed independently: the snapshot's age when the restore was proven (ms precision).
      const rpo = (Date.parse(v.finishedAt) - Date.parse(backup.snapshotAt)) / 1000;
      expect(p).toMatchObject({ backupId, status: 'passed', rtoSeconds: v.rtoSeconds, rpoTargetSeconds: 1, rtoTargetSeconds: 1, rtoMet: v.rtoSeconds <= 1, rpoMet: rpo <= 1 });
      expect(p.rpoSeconds!).toBeCloseTo(rpo, 2);
      expect(p.rtoSeconds!).toBeGreaterThan(0);
    }
    expect(page.items[1]!.rpoSeconds!).toBeGreaterThan(page.items[0]!.rpoSeconds!);

    // Keyset pages: one point each, the two pages together are the whole list, the last says there is no more.
    const first = (await app.inject({ url: `/v1/policies/${policyId}/objective-history?limit=1`, headers: auth(key) })).json() as { items: Point[]; nextCursor: string };
    expect(first.items.map((p) => p.verificationId)).toEqual([page.items[0]!.verificationId]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await app.inject({ url: `/v1/policies/${policyId}/objective-history?limit=1&cursor=${first.nextCursor}`, headers: auth(key) })).json() as { items: Point[]; nextCursor: string | null };
    expect(second.items.map((p) => p.verificationId)).toEqual([page.items[1]!.verificationId]);
    expect(second.nextCursor).toBeNull();

    // Not a cursor, and a well-formed one whose key is not an instant and an id: 400 naming the cursor, never a 500.
    for (const cursor of ['not-a-cursor', Buffer.from(JSON.stringify(["2026-12-01'; drop", 'x'])).toString('base64url')]) {
      const bad = await app.inject({ url: `/v1/policies/${policyId}/objective-history?cursor=${cursor}`, headers: auth(key) });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'CURSOR_INVALID', detail: expect.stringMatching(/cursor/) });
    }
    const other = await kit.apiKey('globex', 'read');
    const foreign = await app.inject({ url: `/v1/policies/${policyId}/objective-history`, headers: auth(other) });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('DR_POLICY_NOT_FOUND');
  });
});
