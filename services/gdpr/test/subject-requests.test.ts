// Data subject requests through the real broker: gdpr fans out to two participant services
// built with the service kit, collects their receipts, chains them into the audit log,
// survives a participant being down, honours legal holds and exports in three formats.
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { eventually, platformTest, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { runRetentionPurge } from '../src/operations/exceptions.js';
import { buildParticipant, participant, PARTICIPANT_MIGRATIONS, rowsFor, seedSubject, waitForGroupEmpty } from './fixtures/participant.js';

const it = platformTest({
  label: 'gdprdsr',
  env: { GDPR_SCHEDULER_INTERVAL_MS: '600000', GDPR_CHECKPOINT_INTERVAL_MS: '600000' },
  migrationDirs: [PARTICIPANT_MIGRATIONS],
  apps: { gdpr: (env) => buildApp(loadServiceConfig(env)), crm: participant('crm'), billing: participant('billing') },
});

let kit: TestKit;
let gdpr: FastifyInstance;
let crm: FastifyInstance;
let billing: FastifyInstance;
let headers: Record<string, string>;
const TENANT = 'acme';

async function api(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  return gdpr.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

async function submitAndVerify(kind: string, email: string) {
  const res = await api('POST', '/v1/subject-requests', { kind, identifiers: [{ type: 'email', value: email }] });
  expect(res.statusCode, res.body).toBe(201);
  const { request, verificationToken } = res.json();
  const verified = await api('POST', `/v1/subject-requests/${request.id}/verify`, { token: verificationToken });
  expect(verified.statusCode, verified.body).toBe(200);
  return verified.json() as { id: string; state: string; expectedServices: string[] };
}

const detail = async (id: string) => (await api('GET', `/v1/subject-requests/${id}`)).json();
const completed = (id: string) => eventually(async () => ((await detail(id)).state === 'completed' ? detail(id) : undefined), 60_000, 250);

// The apps are the file's fixtures (built once, on a database cloned from the migrated template);
// crm may be replaced by a restarted instance below, which this file closes itself.
beforeEach<{ apps: { gdpr: FastifyInstance; crm: FastifyInstance; billing: FastifyInstance }; kit: TestKit }>(async ({ apps, kit: k }) => {
  if (gdpr) return;
  ({ gdpr, crm, billing } = apps);
  kit = k;
  headers = await kit.auth(TENANT, 'admin');
  await eventually(async () => {
    const list = (await api('GET', '/v1/data-holders')).json().items as { service: string }[];
    return list.length === 3;
  }, 60_000);
});

afterAll(async () => {
  await crm?.close();
});

describe('intake', () => {
  it('rejects malformed requests with a 400 and a precise detail', async () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: 'erasure' }, /identifiers/],
      [{ kind: 'forget-me', identifiers: [{ type: 'email', value: 'a@b.c' }] }, /^`kind` in body must be one of: access, erasure, portability$/],
      [{ kind: 'erasure', identifiers: [] }, /identifiers/],
      [{ kind: 'erasure', identifiers: [{ type: 'email', value: 'not-an-email' }] }, /e-mail/],
      [{ kind: 'erasure', identifiers: [{ type: 'Bad Type', value: 'x' }] }, /type must match/],
      [{ kind: 'erasure', identifiers: [{ type: 'email', value: 'a@b.c' }], extra: 1 }, /unknown field `extra` in body; allowed: kind, identifiers, idempotencyKey/],
    ];
    for (const [body, detailRe] of cases) {
      const res = await api('POST', '/v1/subject-requests', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(detailRe);
    }
    const badId = await api('GET', '/v1/subject-requests/not-a-uuid');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().detail).toMatch(/uuid/);
  });

  it('treats duplicates idempotently and checks the verification token', async () => {
    const body = { kind: 'access', identifiers: [{ type: 'email', value: 'dup@example.com' }], idempotencyKey: 'ticket-1' };
    const first = await api('POST', '/v1/subject-requests', body);
    expect(first.statusCode).toBe(201);
    const again = await api('POST', '/v1/subject-requests', body);
    expect(again.statusCode).toBe(200);
    expect(again.json().request.id).toBe(first.json().request.id);
    expect(again.json().verificationToken).toBeUndefined();
    const sameSubject = await api('POST', '/v1/subject-requests', { kind: 'access', identifiers: [{ type: 'email', value: 'DUP@example.com ' }] });
    expect(sameSubject.json().request.id).toBe(first.json().request.id);
    const id = first.json().request.id as string;
    const wrong = await api('POST', `/v1/subject-requests/${id}/verify`, { token: 'guess' });
    expect(wrong.statusCode).toBe(403);
    expect((await detail(id)).state).toBe('unverified');
    const deadline = new Date(first.json().request.deadline);
    expect(deadline.getTime()).toBeGreaterThan(Date.now() + 27 * 86_400_000);
    const ext = await api('POST', `/v1/subject-requests/${id}/extend`, { reason: 'complex request spanning many systems' });
    expect(ext.statusCode).toBe(200);
    expect(new Date(ext.json().effectiveDeadline).getTime()).toBeGreaterThan(deadline.getTime() + 55 * 86_400_000);
    expect((await api('POST', `/v1/subject-requests/${id}/extend`, { reason: 'again please' })).statusCode).toBe(409);
    const refused = await api('POST', `/v1/subject-requests/${id}/refuse`, { reason: 'manifestly unfounded (Art. 12(5))' });
    expect(refused.json()).toMatchObject({ state: 'refused', refusalReason: 'manifestly unfounded (Art. 12(5))' });
  });
});

describe('erasure fan-out', () => {
  it('erases in every participant, completes on all receipts, and chains the receipts', async () => {
    await seedSubject(crm, TENANT, 'ada@example.com', 'Ada');
    await seedSubject(billing, TENANT, 'ada@example.com', 'Ada');
    await seedSubject(crm, 'other-tenant', 'ada@example.com', 'Not Ada');
    const r = await submitAndVerify('erasure', 'ada@example.com');
    expect(r.state).toBe('in_progress');
    expect(r.expectedServices).toEqual(['billing', 'crm', 'gdpr']);
    const done = await completed(r.id);
    expect(done.receipts.map((x: { service: string }) => x.service)).toEqual(['billing', 'crm', 'gdpr']);
    expect(await rowsFor(crm, TENANT, 'ada@example.com')).toEqual({ contacts: 0, invoices: 0 });
    expect(await rowsFor(billing, TENANT, 'ada@example.com')).toEqual({ contacts: 0, invoices: 0 });
    expect(await rowsFor(crm, 'other-tenant', 'ada@example.com')).toEqual({ contacts: 1, invoices: 1 });
    const gdprReceipt = done.receipts.find((x: { service: string }) => x.service === 'gdpr');
    expect(gdprReceipt.tables[0]).toMatchObject({ action: 'retained', ground: expect.stringContaining('Art. 17(3)(b)') });

    // Every receipt is an entry of the hash chain, under the subject's HMAC, without the e-mail.
    const entries = await eventually(async () => {
      const list = (await api('GET', '/v1/audit/entries?topic=gdpr.request-receipts&limit=1000')).json().items as { subjectRef: string; content: { data: { requestId: string } } }[];
      const mine = list.filter((e) => e.content.data.requestId === r.id);
      return mine.length === 3 ? mine : undefined;
    }, 30_000);
    expect(new Set(entries.map((e) => e.subjectRef))).toEqual(new Set([done.subjectRef]));
    const all = await api('GET', '/v1/audit/entries?limit=1000');
    expect(all.body).not.toContain('ada@example.com');
    const verify = (await api('GET', '/v1/audit/verify')).json();
    expect(verify.valid).toBe(true);
    expect(verify.entries).toBeGreaterThanOrEqual(4);
  });

  it('keeps a request pending while a participant is down and completes it when it is back', async () => {
    await seedSubject(crm, TENANT, 'bob@example.com', 'Bob');
    await seedSubject(billing, TENANT, 'bob@example.com', 'Bob');
    await crm.close();
    const r = await submitAndVerify('erasure', 'bob@example.com');
    await eventually(async () => {
      const d = await detail(r.id);
      return d.receipts.length === 2 ? d : undefined;
    }, 30_000);
    const pending = await detail(r.id);
    expect(pending.state).toBe('in_progress');
    expect(pending.missingServices).toEqual(['crm']);
    await waitForGroupEmpty(gdpr, 'crm');
    crm = await buildParticipant('crm', kit.env);
    const done = await completed(r.id);
    expect(done.missingServices).toEqual([]);
    expect(await rowsFor(crm, TENANT, 'bob@example.com')).toEqual({ contacts: 0, invoices: 0 });
    expect(await rowsFor(billing, TENANT, 'bob@example.com')).toEqual({ contacts: 0, invoices: 0 });
  });

  it('records a failed receipt, keeps the request open and completes it on retry', async () => {
    await seedSubject(crm, TENANT, 'hal+failonce@example.com', 'Hal');
    const r = await submitAndVerify('erasure', 'hal+failonce@example.com');
    // Both participants run the same flaky handler; gdpr itself answers normally.
    const failed = await eventually(async () => {
      const d = await detail(r.id);
      return d.receipts.length === 3 ? d : undefined;
    }, 30_000);
    expect(failed.state).toBe('in_progress');
    expect(failed.missingServices).toEqual(['billing', 'crm']);
    expect(failed.receipts.find((x: { service: string }) => x.service === 'crm')).toMatchObject({ status: 'failed', error: 'simulated handler failure' });
    const retry = await api('POST', `/v1/subject-requests/${r.id}/retry`);
    expect(retry.json().reissuedTo).toEqual(['billing', 'crm']);
    const done = await completed(r.id);
    expect(done.receipts.find((x: { service: string }) => x.service === 'crm').status).toBe('completed');
    expect(await rowsFor(crm, TENANT, 'hal+failonce@example.com')).toEqual({ contacts: 0, invoices: 0 });
  });

  it('keeps held data with its Art. 17(3) ground and erases it once the hold ends', async () => {
    await seedSubject(billing, TENANT, 'cy@example.com', 'Cy');
    const hold = await api('POST', '/v1/legal-holds', { category: 'billing', ground: 'Art. 17(3)(e)', reason: 'pending litigation 2026-17' });
    expect(hold.statusCode, hold.body).toBe(201);
    const r = await submitAndVerify('erasure', 'cy@example.com');
    const done = await completed(r.id);
    const receipt = done.receipts.find((x: { service: string }) => x.service === 'billing');
    expect(receipt.tables).toContainEqual({ table: 'billing.invoices', rows: 1, action: 'retained', ground: 'Art. 17(3)(e): pending litigation 2026-17' });
    expect(await rowsFor(billing, TENANT, 'cy@example.com')).toEqual({ contacts: 0, invoices: 1 });

    const ended = await api('POST', `/v1/legal-holds/${hold.json().id}/end`);
    expect(ended.statusCode, ended.body).toBe(200);
    const [rerunId] = ended.json().rerunRequests as string[];
    expect(rerunId).toBeDefined();
    const rerun = await completed(rerunId!);
    expect(rerun).toMatchObject({ parentId: r.id, origin: `hold-ended:${hold.json().id}` });
    expect(await rowsFor(billing, TENANT, 'cy@example.com')).toEqual({ contacts: 0, invoices: 0 });
  });
});

describe('retention policies', () => {
  it('retains under a policy, then erases again with purge evidence once the period ran out', async () => {
    await seedSubject(billing, TENANT, 'fay@example.com', 'Fay');
    const policy = await api('PUT', '/v1/retention-policies/billing', { ground: 'Art. 17(3)(b)', description: 'tax law: invoices kept 10 years', retentionDays: 1 });
    expect(policy.statusCode, policy.body).toBe(200);
    const r = await submitAndVerify('erasure', 'fay@example.com');
    const done = await completed(r.id);
    const receipt = done.receipts.find((x: { service: string }) => x.service === 'billing');
    expect(receipt.tables).toContainEqual({ table: 'billing.invoices', rows: 1, action: 'retained', ground: 'Art. 17(3)(b): retention policy: tax law: invoices kept 10 years' });
    expect(await rowsFor(billing, TENANT, 'fay@example.com')).toEqual({ contacts: 0, invoices: 1 });

    // Nothing is due yet; two days later the period has run out.
    const deps = { pool: gdpr.infra.pool, outbox: gdpr.infra.outbox, pseudonymKey: gdpr.infra.config.VIGIL_PSEUDONYM_KEY };
    const runs = async () => ((await api('GET', '/v1/purge-runs')).json().items as { category: string; detail: { requestId?: string; rerunRequestId?: string } }[]).filter((x) => x.category === 'billing');
    await runRetentionPurge(deps, 30);
    expect(await runs()).toEqual([]);
    await runRetentionPurge(deps, 30, new Date(Date.now() + 2 * 86_400_000));
    const [evidence] = await runs();
    expect(evidence?.detail.requestId).toBe(r.id);
    await completed(evidence!.detail.rerunRequestId!);
    expect(await rowsFor(billing, TENANT, 'fay@example.com')).toEqual({ contacts: 0, invoices: 0 });
    await runRetentionPurge(deps, 30, new Date(Date.now() + 2 * 86_400_000));
    expect(await runs()).toHaveLength(1);
  });
});

describe('exports', () => {
  it('streams JSON, CSV and XML that parse and round-trip, with a checksum manifest', async () => {
    await seedSubject(crm, TENANT, 'dee@example.com', 'Dee "D" <Smith>, Jr.');
    await gdpr.inject({
      method: 'POST',
      url: '/v1/consents',
      headers,
      payload: { subjectId: 'dee@example.com', purpose: 'newsletter', granted: true, noticeVersion: 'v3', channel: 'web', source: 'signup-form' },
    });
    const r = await submitAndVerify('portability', 'dee@example.com');
    await completed(r.id);

    const json = await api('GET', `/v1/subject-requests/${r.id}/export?format=json`);
    expect(json.statusCode).toBe(200);
    const doc = json.json();
    const crmPart = doc.parts.find((p: { service: string }) => p.service === 'crm');
    expect(crmPart.data.contacts).toEqual([{ email: 'dee@example.com', name: 'Dee "D" <Smith>, Jr.', notes: 'likes "quotes", commas & <tags>' }]);
    const gdprPart = doc.parts.find((p: { service: string }) => p.service === 'gdpr');
    expect(gdprPart.data.consents[0]).toMatchObject({ purpose: 'newsletter', granted: true, noticeVersion: 'v3' });

    const csv = await api('GET', `/v1/subject-requests/${r.id}/export?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parseCsv(csv.body) as string[][];
    expect(rows[0]).toEqual(['service', 'path', 'type', 'value']);
    expect(rows).toContainEqual(['crm', '/contacts/0/name', 'string', 'Dee "D" <Smith>, Jr.']);
    expect(rows).toContainEqual(['crm', '/invoices/0/amount', 'number', '42.5']);

    const xml = await api('GET', `/v1/subject-requests/${r.id}/export?format=xml`);
    expect(XMLValidator.validate(xml.body)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(xml.body);
    const parts = [parsed.export.part].flat() as { '@_service': string }[];
    expect(parts.map((p) => p['@_service']).sort()).toEqual(['billing', 'crm', 'gdpr']);
    expect(xml.body).toContain('Dee &quot;D&quot; &lt;Smith&gt;, Jr.');

    const manifest = (await api('GET', `/v1/subject-requests/${r.id}/export/manifest`)).json();
    expect(manifest.parts.every((p: { verified: boolean }) => p.verified)).toBe(true);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(manifest.files[`subject-request-${r.id}.json`].sha256).toBe(sha(json.body));
    expect(manifest.files[`subject-request-${r.id}.csv`].sha256).toBe(sha(csv.body));
    expect(manifest.files[`subject-request-${r.id}.xml`].sha256).toBe(sha(xml.body));
  });

  it('adds the Art. 15 information to an access export and refuses to export an erasure', async () => {
    await api('PUT', '/v1/processing-records/crm', {
      controller: { name: 'Acme Ltd', contact: 'privacy@acme.test' },
      purposes: ['customer support'],
      dataSubjectCategories: ['customers'],
      dataCategories: ['contact'],
      recipients: ['support vendor'],
      thirdCountryTransfers: [],
      retention: '2 years after last contact',
      securityMeasures: 'encryption at rest, RBAC',
    });
    const r = await submitAndVerify('access', 'eve@example.com');
    await completed(r.id);
    const doc = (await api('GET', `/v1/subject-requests/${r.id}/export`)).json();
    const info = doc.parts.find((p: { service: string }) => p.service === 'art15-information').data;
    expect(info.purposes).toEqual(['customer support']);
    expect(info.recipients).toEqual(['support vendor']);
    expect(info.rights).toContain('Art. 17: erasure');
    const erasures = (await api('GET', '/v1/subject-requests?state=completed')).json().items as { id: string; kind: string }[];
    const erasure = erasures.find((x) => x.kind === 'erasure')!;
    const refused = await api('GET', `/v1/subject-requests/${erasure.id}/export`);
    expect(refused.statusCode).toBe(409);
  });
});
