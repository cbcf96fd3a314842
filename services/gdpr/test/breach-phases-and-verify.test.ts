// What the console's privacy screens need from gdpr: a breach recorded before its Art. 33(3)
// fields are known (Art. 33(4), in phases) with the missing ones listed, and the verify API
// naming when the latest verified checkpoint was signed.
import { beforeEach, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ProcessingRecorded } from '@vigil/events';
import { eventually, serviceTest, type TestKit } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';

const it = serviceTest({
  label: 'gdprphases',
  env: { GDPR_SCHEDULER_INTERVAL_MS: '600000', GDPR_CHECKPOINT_INTERVAL_MS: '600000' },
  build: (env) => buildApp(loadServiceConfig(env)),
});

let gdpr: FastifyInstance;
const keys: Record<string, string> = {};

const call = (tenant: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  gdpr.inject({ method, url, headers: { authorization: `Bearer ${keys[tenant]}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeEach<{ app: FastifyInstance; kit: TestKit }>(async ({ app, kit }) => {
  if (gdpr) return;
  gdpr = app;
  for (const t of ['acme', 'globex']) keys[t] = await kit.apiKey(t, 'admin');
});

describe('breach recorded in phases (Art. 33(4))', () => {
  it('starts the clock at awareness, lists the missing Art. 33(3) fields, and shrinks the list as they are given', async () => {
    const awareAt = new Date(Date.now() - 5 * 3_600_000).toISOString();
    const created = await call('acme', 'POST', '/v1/breaches', { title: 'S3 bucket public', awareAt, risk: 'risk' });
    expect(created.statusCode, created.body).toBe(201);
    const b = created.json();
    expect(b.notifyDeadline).toBe(new Date(Date.parse(awareAt) + 72 * 3_600_000).toISOString());
    expect(b.missingFields).toEqual(['nature', 'dataCategories', 'approxSubjects', 'approxRecords', 'dpoContact', 'likelyConsequences', 'measures']);
    expect(b.nature).toBeNull();
    expect(b.dataCategories).toEqual([]);

    const patched = await call('acme', 'PATCH', `/v1/breaches/${b.id}`, { nature: 'bucket ACL set to public-read', dataCategories: ['contact'], dpoContact: 'dpo@acme.test', approxSubjects: 1200 });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ nature: 'bucket ACL set to public-read', dataCategories: ['contact'], dpoContact: 'dpo@acme.test', approxSubjects: 1200 });
    expect(patched.json().missingFields).toEqual(['approxRecords', 'likelyConsequences', 'measures']);

    const listed = (await call('acme', 'GET', '/v1/breaches')).json().items;
    expect(listed.find((x: { id: string }) => x.id === b.id).missingFields).toEqual(['approxRecords', 'likelyConsequences', 'measures']);

    // Row-level security: another tenant cannot complete (or see) it.
    expect((await call('globex', 'PATCH', `/v1/breaches/${b.id}`, { measures: 'x' })).statusCode).toBe(404);
    const done = await call('acme', 'PATCH', `/v1/breaches/${b.id}`, { approxRecords: 5400, likelyConsequences: 'phishing', measures: 'ACL reverted, keys rotated' });
    expect(done.json().missingFields).toEqual([]);
  });

  it('still refuses an empty Art. 33(3) text', async () => {
    const res = await call('acme', 'POST', '/v1/breaches', { title: 'x', awareAt: new Date().toISOString(), risk: 'none', nature: '' });
    expect(res.statusCode).toBe(400);
  });
});

describe('verify badge', () => {
  it('names the latest verified checkpoint and when it was signed', async () => {
    const empty = (await call('acme', 'GET', '/v1/audit/verify')).json();
    expect(empty.checkpoints).toMatchObject({ latestVerifiedSeq: null, latestSignedAt: null });
    for (let i = 0; i < 3; i++) {
      await gdpr.infra.bus.publish(
        ProcessingRecorded,
        { service: 'crm', activity: `lookup-${i}`, subjectRef: 'a'.repeat(64), categories: ['contact'], recordedAt: new Date().toISOString() },
        { tenantId: 'acme' },
      );
    }
    await eventually(async () => (await call('acme', 'GET', '/v1/audit/verify')).json().entries >= 3, 30_000);
    const cp = await call('acme', 'POST', '/v1/audit/checkpoints');
    expect(cp.statusCode, cp.body).toBe(201);
    const [signed] = (await call('acme', 'GET', '/v1/audit/checkpoints')).json().items.slice(-1);
    const v = (await call('acme', 'GET', '/v1/audit/verify')).json();
    expect(v.valid).toBe(true);
    expect(v.checkpoints).toMatchObject({ verified: 1, latestVerifiedSeq: cp.json().seq, latestSignedAt: signed.signedAt });
  });
});
