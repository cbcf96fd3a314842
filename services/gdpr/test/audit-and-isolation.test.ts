// The audit chain against tampering, tenant isolation by row-level security, deadline
// warnings, breaches, records of processing, reports and the retention purge.
import { afterAll, beforeEach, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { DataHolderRegistered, ProcessingRecorded } from '@vigil/events';
import { eventually, serviceTest, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { withTransaction } from '@vigil/service-kit';
import { asTenant, TENANT_ROLE } from '../src/operations/tenant-scope.js';
import { watchDeadlines } from '../src/operations/deadline-watch.js';
import { ConsentWriter } from '../src/operations/consent-writer.js';
import { recordConsent } from '../src/operations/consents.js';
import { runRetentionPurge } from '../src/operations/exceptions.js';
import { submitRequest, verifyRequest } from '../src/operations/requests.js';

const it = serviceTest({
  label: 'gdpraudit',
  env: { GDPR_SCHEDULER_INTERVAL_MS: '600000', GDPR_CHECKPOINT_INTERVAL_MS: '600000' },
  build: (env) => buildApp(loadServiceConfig(env)),
});

let gdpr: FastifyInstance;
let kitEnv: Record<string, string>;
let admin: pg.Client;
const keys: Record<string, string> = {};

const call = (tenant: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
  gdpr.inject({ method, url, headers: { authorization: `Bearer ${keys[tenant]}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function publishProcessing(tenantId: string, n: number) {
  for (let i = 0; i < n; i++) {
    await gdpr.infra.bus.publish(
      ProcessingRecorded,
      { service: 'crm', activity: `lookup-${i}`, subjectRef: 'f'.repeat(64), categories: ['contact'], recordedAt: new Date().toISOString() },
      { tenantId },
    );
  }
  await eventually(async () => (await call(tenantId, 'GET', '/v1/audit/verify')).json().entries === n, 30_000);
}

/** Runs SQL as the database superuser with triggers off, as an attacker with DB access would. */
async function tamper(sql: string, params: unknown[] = []) {
  await admin.query('BEGIN');
  try {
    await admin.query('SET LOCAL session_replication_role = replica');
    for (const statement of sql.split(';').filter((s) => s.trim())) await admin.query(statement, params);
    await admin.query('COMMIT');
  } catch (err) {
    await admin.query('ROLLBACK');
    throw err;
  }
}

const verify = async (tenant: string) => (await call(tenant, 'GET', '/v1/audit/verify')).json();

// The app is the file's fixture (built once, on a database cloned from the migrated template).
beforeEach<{ app: FastifyInstance; kit: TestKit }>(async ({ app, kit }) => {
  if (gdpr) return;
  gdpr = app;
  kitEnv = kit.env;
  for (const t of ['acme', 'globex', 't-alter', 't-delete', 't-reorder', 't-tail', 't-rewrite', 't-sig']) keys[t] = await kit.apiKey(t, 'admin');
  admin = new pg.Client({ connectionString: kit.databaseUrl });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
});

describe('audit chain', () => {
  it('is append-only even for the service login', async () => {
    await publishProcessing('acme', 2);
    await expect(gdpr.infra.pool.query(`UPDATE gdpr.audit_log SET content = 'x' WHERE tenant_id = 'acme'`)).rejects.toThrow(/append-only/);
    await expect(gdpr.infra.pool.query(`DELETE FROM gdpr.audit_log WHERE tenant_id = 'acme'`)).rejects.toThrow(/append-only/);
    expect((await verify('acme')).valid).toBe(true);
  });

  it('finds an altered row', async () => {
    await publishProcessing('t-alter', 5);
    await tamper(`UPDATE gdpr.audit_log SET content = replace(content, 'lookup-2', 'lookup-X') WHERE tenant_id = 't-alter' AND seq = 3`);
    const v = await verify('t-alter');
    expect(v.valid).toBe(false);
    expect(v.firstBroken).toMatchObject({ seq: 3, reason: 'hash-mismatch' });
    expect(v.entries).toBe(2);
  });

  it('finds a deleted row', async () => {
    await publishProcessing('t-delete', 5);
    await tamper(`DELETE FROM gdpr.audit_log WHERE tenant_id = 't-delete' AND seq = 2`);
    expect((await verify('t-delete')).firstBroken).toMatchObject({ seq: 2, reason: 'sequence-gap' });
  });

  it('finds two reordered rows', async () => {
    await publishProcessing('t-reorder', 5);
    await tamper(`UPDATE gdpr.audit_log SET seq = -3 WHERE tenant_id = 't-reorder' AND seq = 3;
      UPDATE gdpr.audit_log SET seq = 3 WHERE tenant_id = 't-reorder' AND seq = 4;
      UPDATE gdpr.audit_log SET seq = 4 WHERE tenant_id = 't-reorder' AND seq = -3`);
    expect((await verify('t-reorder')).firstBroken).toMatchObject({ seq: 3, reason: 'prev-hash-mismatch' });
  });

  it('finds rows cut from the end by the signed checkpoint', async () => {
    await publishProcessing('t-tail', 4);
    const cp = await call('t-tail', 'POST', '/v1/audit/checkpoints');
    expect(cp.statusCode).toBe(201);
    expect(cp.json()).toMatchObject({ seq: 4 });
    expect((await verify('t-tail')).checkpoints).toMatchObject({ total: 1, verified: 1, latestSeq: 4 });
    await tamper(`DELETE FROM gdpr.audit_log WHERE tenant_id = 't-tail' AND seq >= 3`);
    expect((await verify('t-tail')).firstBroken).toMatchObject({ seq: 3, reason: 'sequence-gap' });
  });

  it('finds a forged checkpoint signature', async () => {
    await publishProcessing('t-sig', 2);
    await call('t-sig', 'POST', '/v1/audit/checkpoints');
    await tamper(`UPDATE gdpr.audit_checkpoints SET signature = $2 WHERE tenant_id = $1`, ['t-sig', Buffer.alloc(64, 7).toString('base64')]);
    expect((await verify('t-sig')).firstBroken).toMatchObject({ seq: 2, reason: 'checkpoint-signature-invalid' });
  });

  it('finds a rewritten, re-hashed chain by the signed checkpoint', async () => {
    await publishProcessing('t-rewrite', 3);
    await call('t-rewrite', 'POST', '/v1/audit/checkpoints');
    const { rows } = await admin.query(`SELECT seq, content FROM gdpr.audit_log WHERE tenant_id = 't-rewrite' ORDER BY seq`);
    // The attacker alters row 2 and recomputes every hash after it.
    const { entryHash, GENESIS_HASH } = await import('../src/domain/audit-chain.js');
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const content = Number(r.seq) === 2 ? (r.content as string).replace('lookup-1', 'lookup-Z') : (r.content as string);
      const hash = entryHash(prev, Number(r.seq), content);
      await tamper(`UPDATE gdpr.audit_log SET content = $3, prev_hash = $4, hash = $5 WHERE tenant_id = $1 AND seq = $2`, ['t-rewrite', r.seq, content, prev, hash]);
      prev = hash;
    }
    expect((await verify('t-rewrite')).firstBroken).toMatchObject({ seq: 3, reason: 'checkpoint-mismatch' });
    const key = (await call('t-rewrite', 'GET', '/v1/audit/public-key')).json();
    expect(key).toMatchObject({ algorithm: 'Ed25519', publicKeyPem: expect.stringContaining('PUBLIC KEY') });
  });
});

describe('row-level security', () => {
  it('binds every GDPR table, with a role that is neither superuser nor bypasses RLS', async () => {
    const { rows } = await admin.query(
      `SELECT c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'gdpr' AND c.relkind = 'r' AND c.relname NOT IN ('schema_migrations', 'outbox', 'inbox')`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(rows.filter((r) => !r.relrowsecurity).map((r) => r.relname)).toEqual([]);
    const role = await admin.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, [TENANT_ROLE]);
    expect(role.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false });
  });

  it("never shows one tenant's rows to another tenant's key", async () => {
    const consent = await call('acme', 'POST', '/v1/consents', { subjectId: 'zed@example.com', purpose: 'analytics', granted: true, noticeVersion: 'v1', channel: 'web', source: 'banner' });
    expect(consent.statusCode).toBe(201);
    const breach = await call('acme', 'POST', '/v1/breaches', {
      title: 'laptop lost', awareAt: new Date().toISOString(), nature: 'lost device', dataCategories: ['contact'], dpoContact: 'dpo@acme.test',
      likelyConsequences: 'low', measures: 'remote wipe', risk: 'none',
    });
    expect(breach.statusCode, breach.body).toBe(201);
    const req = await call('acme', 'POST', '/v1/subject-requests', { kind: 'access', identifiers: [{ type: 'email', value: 'zed@example.com' }] });
    expect(req.statusCode).toBe(201);

    expect((await call('globex', 'GET', '/v1/subjects/zed@example.com/consents')).json().items).toEqual([]);
    expect((await call('globex', 'GET', '/v1/breaches')).json().items).toEqual([]);
    expect((await call('globex', 'GET', `/v1/breaches/${breach.json().id}`)).statusCode).toBe(404);
    expect((await call('globex', 'GET', `/v1/subject-requests/${req.json().request.id}`)).statusCode).toBe(404);
    expect((await call('globex', 'GET', '/v1/subject-requests')).json().items).toEqual([]);
    expect((await call('globex', 'GET', '/v1/audit/entries')).json().items).toEqual([]);

    // Below the API: even a query without a tenant filter sees only the scoped tenant's rows.
    const pool = gdpr.infra.pool;
    const withTenant = <T>(p: pg.Pool, tenant: string, fn: (tx: pg.PoolClient) => Promise<T>) => withTransaction(p, fn, asTenant(tenant));
    const count = (tenant: string, table: string) => withTenant(pool, tenant, async (tx) => (await tx.query(`SELECT count(*)::int AS n FROM gdpr.${table}`)).rows[0].n);
    for (const table of ['consent_events', 'breaches', 'subject_requests', 'audit_log']) {
      expect(await count('acme', table), table).toBeGreaterThan(0);
      expect(await count('globex', table), table).toBe(0);
    }
    await expect(
      withTenant(pool, 'globex', (tx) =>
        tx.query(`INSERT INTO gdpr.legal_holds (id, tenant_id, category, ground, reason) VALUES (gen_random_uuid(), 'acme', 'x', 'Art. 17(3)(e)', 'forged')`),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(withTenant(pool, 'globex', (tx) => tx.query(`UPDATE gdpr.breaches SET title = 'x' RETURNING id`))).resolves.toMatchObject({ rowCount: 0 });
  });
});

describe('deadlines', () => {
  it('warns once about a request missing a receipt past its deadline and about a breach past 72 hours', async () => {
    await gdpr.infra.bus.publish(
      DataHolderRegistered,
      { service: 'ghost', categories: [{ category: 'contact', tables: ['ghost.people'], description: 'never answers' }], handles: ['erasure', 'export'], registeredAt: new Date().toISOString() },
      { tenantId: '_platform' },
    );
    await eventually(async () => ((await call('acme', 'GET', '/v1/data-holders')).json().items as { service: string }[]).some((h) => h.service === 'ghost'));
    const deps = { pool: gdpr.infra.pool, outbox: gdpr.infra.outbox, pseudonymKey: gdpr.infra.config.VIGIL_PSEUDONYM_KEY };
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    const sub = await submitRequest(deps, 'acme', { kind: 'erasure', identifiers: [{ type: 'email', value: 'late@example.com' }] }, longAgo);
    await verifyRequest(deps, 'acme', sub.request.id, sub.verificationToken!, longAgo);
    const breach = await call('acme', 'POST', '/v1/breaches', {
      title: 'db dump leaked', awareAt: new Date(Date.now() - 80 * 3_600_000).toISOString(), nature: 'exfiltration', dataCategories: ['contact'],
      dpoContact: 'dpo@acme.test', likelyConsequences: 'phishing', measures: 'rotated credentials', risk: 'high',
    });
    expect(breach.json().notificationOverdue).toBe(true);

    const watch = { pool: gdpr.infra.pool, outbox: gdpr.infra.outbox, requestWarnMs: 5 * 86_400_000, breachWarnMs: 12 * 3_600_000 };
    expect(await watchDeadlines(watch)).toBe(2);
    expect(await watchDeadlines(watch)).toBe(0);
    const warnings = await eventually(async () => {
      const list = (await call('acme', 'GET', '/v1/audit/entries?topic=gdpr.deadlines')).json().items as { content: { data: { refId: string; state: string; detail: string } } }[];
      return list.length === 2 ? list.map((e) => e.content.data) : undefined;
    }, 30_000);
    expect(warnings).toContainEqual(expect.objectContaining({ refId: sub.request.id, state: 'missed', detail: expect.stringContaining('ghost') }));
    expect(warnings).toContainEqual(expect.objectContaining({ refId: breach.json().id, state: 'missed' }));
  });
});

describe('breaches', () => {
  it('enforces the Art. 33/34 rules and keeps every breach in the register', async () => {
    const b = (
      await call('acme', 'POST', '/v1/breaches', {
        title: 'misdirected e-mail', awareAt: new Date(Date.now() - 100 * 3_600_000).toISOString(), nature: 'confidentiality', dataCategories: ['contact'],
        approxSubjects: 12, dpoContact: 'dpo@acme.test', likelyConsequences: 'spam', measures: 'recall', risk: 'risk',
      })
    ).json();
    expect(new Date(b.notifyDeadline).getTime() - new Date(b.awareAt).getTime()).toBe(72 * 3_600_000);
    const bad = [
      [{ notNotifiedReason: 'unlikely to matter' }, /must be notified/],
      [{ authorityNotifiedAt: new Date().toISOString() }, /delayReason/],
      [{ subjectsDecision: 'exempt' }, /Art. 34\(3\)/],
      [{}, /body must have at least 1 field/],
      [{ subjectsExemption: 'Art. 99' }, /subjectsExemption/],
    ] as const;
    for (const [body, re] of bad) {
      const res = await call('acme', 'PATCH', `/v1/breaches/${b.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().detail).toMatch(re);
    }
    const ok = await call('acme', 'PATCH', `/v1/breaches/${b.id}`, {
      authorityNotifiedAt: new Date().toISOString(), delayReason: 'forensics took four days', subjectsDecision: 'exempt', subjectsExemption: 'Art. 34(3)(a)',
      phase: { phase: 'initial', detail: 'scope confirmed' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ subjectsDecision: 'exempt', notificationOverdue: false, updates: [{ phase: 'initial' }] });
    const register = (await call('acme', 'GET', '/v1/breaches')).json().items as { title: string }[];
    expect(register.map((r) => r.title)).toEqual(expect.arrayContaining(['misdirected e-mail', 'laptop lost', 'db dump leaked']));
  });
});

describe('consent group commit', () => {
  it('commits concurrent writes of one subject in call order, each with its outbox event', async () => {
    const writer = new ConsentWriter(gdpr.infra.pool, gdpr.infra.outbox, { pseudonymKey: gdpr.infra.config.VIGIL_PSEUDONYM_KEY });
    const deps = { pool: gdpr.infra.pool, writer, pseudonymKey: gdpr.infra.config.VIGIL_PSEUDONYM_KEY };
    const writes = Array.from({ length: 40 }, (_, i) =>
      recordConsent(deps, 'acme', { subjectId: 'order@example.com', purpose: 'profiling', granted: i % 2 === 0, noticeVersion: `v${i}`, channel: 'api', source: 'test' }),
    );
    const rows = await Promise.all(writes);
    expect(new Set(rows.map((r) => r.id)).size).toBe(40);
    const history = (await call('acme', 'GET', '/v1/subjects/order@example.com/consents')).json().items as { noticeVersion: string }[];
    expect(history.map((h) => h.noticeVersion)).toEqual(rows.map((_, i) => `v${i}`));
    const current = (await call('acme', 'GET', '/v1/subjects/order@example.com/consents/current')).json().items;
    expect(current).toEqual([expect.objectContaining({ purpose: 'profiling', granted: false, noticeVersion: 'v39' })]);
    await eventually(async () => {
      const list = (await call('acme', 'GET', '/v1/audit/entries?topic=gdpr.consent&limit=1000')).json().items as { content: { data: { noticeVersion: string } } }[];
      return list.filter((e) => e.content.data.noticeVersion.startsWith('v')).length >= 40;
    }, 30_000);
  });
});

describe('records, dashboard and reports', () => {
  it('keeps Art. 30(1) records and rejects incomplete ones', async () => {
    const missing = await call('acme', 'PUT', '/v1/processing-records/newsletter', { controller: { name: 'Acme', contact: 'x' }, purposes: ['marketing'] });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toMatch(/dataSubjectCategories/);
    const rec = await call('acme', 'PUT', '/v1/processing-records/newsletter', {
      controller: { name: 'Acme Ltd', contact: 'privacy@acme.test', dpo: 'dpo@acme.test' }, purposes: ['marketing'], dataSubjectCategories: ['subscribers'],
      dataCategories: ['email'], recipients: ['mail provider'], thirdCountryTransfers: [{ country: 'US', safeguards: 'SCCs 2021/914' }],
      retention: 'until withdrawal', securityMeasures: 'TLS, access control',
    });
    expect(rec.statusCode, rec.body).toBe(200);
    expect((await call('acme', 'GET', `/v1/processing-records/${rec.json().id}`)).json()).toMatchObject({ thirdCountryTransfers: [{ country: 'US' }] });
  });

  it('shows a subject their consents and requests, and the organisation its compliance', async () => {
    await call('acme', 'POST', '/v1/subjects/zed@example.com/consents/analytics/withdraw', { noticeVersion: 'v1', channel: 'web', source: 'settings' });
    await call('acme', 'POST', '/v1/consents', { subjectId: 'zed@example.com', purpose: 'ads', granted: false, method: 'gpc', noticeVersion: 'v1', channel: 'web', source: 'gpc-header' });
    const dash = (await call('acme', 'GET', '/v1/subjects/zed@example.com/dashboard')).json();
    expect(dash.consents.history.map((c: { method: string }) => c.method)).toEqual(['given', 'withdrawn', 'gpc']);
    expect(dash.consents.current.map((c: { purpose: string; granted: boolean }) => [c.purpose, c.granted])).toEqual([['ads', false], ['analytics', false]]);
    expect(dash.requests).toHaveLength(1);
    expect(dash.dataHeldPerService.map((h: { service: string }) => h.service)).toContain('gdpr');
    expect(JSON.stringify(dash)).not.toContain('zed@example.com');

    const report = (await call('acme', 'GET', '/v1/compliance-report')).json();
    expect(report.consent).toContainEqual(expect.objectContaining({ purpose: 'analytics', subjects: 1, granted: 0, rate: 0 }));
    expect(report.requests.overdue.length).toBeGreaterThanOrEqual(1);
    expect(report.breaches).toMatchObject({ total: 3, notified: 1, overdue: 1 });
    expect(report.auditChain.valid).toBe(true);
  });
});

describe('retention purge', () => {
  it('purges raw identifiers of closed requests and keeps evidence in the log', async () => {
    const deps = { pool: gdpr.infra.pool, outbox: gdpr.infra.outbox, pseudonymKey: gdpr.infra.config.VIGIL_PSEUDONYM_KEY };
    const open = (await call('acme', 'GET', '/v1/subject-requests')).json().items as { id: string; state: string }[];
    const toRefuse = open.find((r) => r.state === 'unverified')!;
    await call('acme', 'POST', `/v1/subject-requests/${toRefuse.id}/refuse`, { reason: 'identity could not be verified' });
    const purged = await runRetentionPurge(deps, 0, new Date(Date.now() + 1_000));
    expect(purged).toBeGreaterThanOrEqual(1);
    const { rows } = await admin.query(`SELECT identifiers, scrubbed_at FROM gdpr.subject_requests WHERE id = $1`, [toRefuse.id]);
    expect(rows[0].identifiers).toBeNull();
    expect(rows[0].scrubbed_at).not.toBeNull();
    const runs = (await call('acme', 'GET', '/v1/purge-runs')).json().items as { category: string; rows: number }[];
    expect(runs).toContainEqual(expect.objectContaining({ category: 'subject-request-data' }));
    await eventually(async () => {
      const list = (await call('acme', 'GET', '/v1/audit/entries?topic=audit.processing&limit=1000')).json().items as { content: { data: { activity: string } } }[];
      return list.some((e) => e.content.data.activity === 'retention-purge');
    }, 30_000);
  });
});

describe('jobs', () => {
  it('run on one instance at a time: a second instance on the same database skips them until the holder stops', async () => {
    // This instance runs each job now and so holds its singleton lock.
    for (const job of ['deadline-watch', 'retention-purge', 'audit-checkpoint']) expect(await gdpr.infra.scheduler.trigger(job), job).toBe('ok');
    // A second replica (built, not started: no consumers join) is refused every one of them.
    const replica = await buildApp(loadServiceConfig(kitEnv));
    try {
      for (const job of ['deadline-watch', 'retention-purge', 'audit-checkpoint']) expect(await replica.infra.scheduler.trigger(job), job).toBe('skipped');
      // The holder stops (last test of the file: the fixture's own close is then a no-op); its locks go with its session.
      await gdpr.close();
      for (const job of ['deadline-watch', 'retention-purge', 'audit-checkpoint']) expect(await replica.infra.scheduler.trigger(job), job).toBe('ok');
    } finally {
      await replica.close();
    }
  });
});
