import { describe, expect, it } from 'vitest';
import { catalog, type Envelope } from '@vigil/events';
import { STREAM_PROJECTIONS, projectForStream } from './projection.js';

const envelope = (type: string, data: unknown): Envelope => ({
  id: '00000000-0000-4000-8000-000000000001',
  type,
  version: 1,
  source: 'test',
  tenantId: 'default',
  occurredAt: '2026-12-01T09:00:00.000Z',
  data,
});

describe('stream projection', () => {
  it('has a decision for every catalog event', () => {
    expect(catalog.map((d) => d.type).filter((t) => !STREAM_PROJECTIONS[t])).toEqual([]);
  });

  it('drops types it does not know, and envelope fields beyond the standard ones', () => {
    expect(projectForStream(envelope('SomethingNew', { email: 'a@b.c' }))).toBeUndefined();
    const out = projectForStream({ ...envelope('ProcessingRecorded', { service: 's', activity: 'a', categories: [], recordedAt: 'x' }), extra: 1 } as Envelope);
    expect(Object.keys(out!).sort()).toEqual(['data', 'id', 'occurredAt', 'source', 'tenantId', 'type', 'version']);
  });

  it('removes personal data and free text', () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
      ['SubjectRequestIssued', { requestId: 'r', kind: 'access', identifiers: [{ type: 'email', value: 'jane@example.org' }], expectedServices: [], deadline: 'd', issuedAt: 'i', holds: [{ category: 'c', ground: 'g', reason: 'Jane said so' }] }, ['jane@example.org', 'Jane said so']],
      ['SubjectRequestReceipt', { requestId: 'r', service: 's', kind: 'access', status: 'completed', tables: [], exportPart: { format: 'json', sha256: 'h', data: { email: 'jane@example.org' } }, completedAt: 'c' }, ['jane@example.org', 'exportPart']],
      ['ConsentChanged', { consentId: 'c', subjectRef: 'hmac-of-jane-0123456789', purpose: 'p', granted: true, method: 'given', noticeVersion: '1', recordedAt: 'r' }, ['hmac-of-jane']],
      ['ProcessingRecorded', { service: 's', activity: 'a', subjectRef: 'hmac-of-jane-0123456789', categories: [], detail: { ip: '203.0.113.9' }, recordedAt: 'r' }, ['hmac-of-jane', '203.0.113.9']],
      ['AlertStateChanged', { alertId: 'a', fingerprint: 'f', state: 'firing', severity: 'critical', labels: { alertname: 'HighLoad', instance: '203.0.113.9:5432', user: 'jane@example.org' }, annotations: { description: 'jane@example.org logged in' }, changedAt: 'c' }, ['203.0.113.9', 'jane@example.org']],
      ['MetricsCollected', { databaseId: 'd', collectedAt: 'c', samples: [{ name: 'n', value: 1, labels: { usename: 'jane' } }] }, ['jane']],
    ];
    for (const [type, data, secrets] of cases) {
      const text = JSON.stringify(projectForStream(envelope(type, data)));
      for (const s of secrets) expect(text, `${type} keeps ${s}`).not.toContain(s);
    }
    expect(projectForStream(envelope('AlertStateChanged', cases[4]![1]))!.data.labels).toEqual({ alertname: 'HighLoad' });
    expect(projectForStream(envelope('MetricsCollected', cases[5]![1]))!.data).toEqual({ databaseId: 'd', collectedAt: 'c', sampleCount: 1 });
  });
});
