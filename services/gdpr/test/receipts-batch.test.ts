// Receipts stored in one statement per batch give the outcome of storing them one by one in
// arrival order: per (request, service) a later receipt replaces a failed one, never a completed one.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { EnvelopeOf, SubjectRequestReceipt } from '@vigil/events';
import { withTransaction } from '@vigil/service-kit';
import { serviceTest } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { applyReceipts, submitRequest } from '../src/operations/requests.js';

const it = serviceTest({
  label: 'gdprreceipts',
  env: { GDPR_SCHEDULER_INTERVAL_MS: '600000', GDPR_CHECKPOINT_INTERVAL_MS: '600000' },
  build: (env) => buildApp(loadServiceConfig(env)),
});

type Receipt = EnvelopeOf<typeof SubjectRequestReceipt>;
const receipt = (requestId: string, service: string, status: 'completed' | 'failed', rows: number): Receipt => ({
  id: randomUUID(),
  type: 'SubjectRequestReceipt',
  version: 1,
  source: service,
  tenantId: 'fold',
  occurredAt: new Date().toISOString(),
  data: { requestId, service, kind: 'erasure', status, tables: [{ table: `${service}.contacts`, rows, action: 'erased' }], ...(status === 'failed' ? { error: 'boom' } : {}), completedAt: new Date().toISOString() },
});

it('folds receipts of one (request, service) within a batch in arrival order', async ({ app }: { app: FastifyInstance }) => {
  const deps = { pool: app.infra.pool, outbox: app.infra.outbox, pseudonymKey: (app.infra.config as unknown as { VIGIL_PSEUDONYM_KEY: string }).VIGIL_PSEUDONYM_KEY };
  const { request } = await submitRequest(deps, 'fold', { kind: 'erasure', identifiers: [{ type: 'email', value: 'fold@example.com' }] });
  const id = request.id;
  const apply = (list: Receipt[]) => withTransaction(app.infra.pool, (tx) => applyReceipts(tx, list));
  const stored = async () =>
    (await app.infra.pool.query(`SELECT service, status, (tables->0->>'rows')::int AS rows FROM gdpr.request_receipts WHERE request_id = $1 ORDER BY service`, [id])).rows;

  // a: failed then completed (the retry wins); b: completed then failed (the completed one stays);
  // c: failed, failed (the later failure is kept); d: completed then completed (the first stays).
  await apply([
    receipt(id, 'a', 'failed', 1), receipt(id, 'b', 'completed', 2), receipt(id, 'c', 'failed', 3), receipt(id, 'd', 'completed', 4),
    receipt(id, 'a', 'completed', 5), receipt(id, 'b', 'failed', 6), receipt(id, 'c', 'failed', 7), receipt(id, 'd', 'completed', 8),
  ]);
  expect(await stored()).toEqual([
    { service: 'a', status: 'completed', rows: 5 },
    { service: 'b', status: 'completed', rows: 2 },
    { service: 'c', status: 'failed', rows: 7 },
    { service: 'd', status: 'completed', rows: 4 },
  ]);
  // A later batch: a failed one is replaced, a completed one never.
  await apply([receipt(id, 'a', 'failed', 9), receipt(id, 'c', 'completed', 10)]);
  expect(await stored()).toEqual([
    { service: 'a', status: 'completed', rows: 5 },
    { service: 'b', status: 'completed', rows: 2 },
    { service: 'c', status: 'completed', rows: 10 },
    { service: 'd', status: 'completed', rows: 4 },
  ]);
});
