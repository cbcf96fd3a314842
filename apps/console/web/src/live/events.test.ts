import { describe, expect, it } from 'vitest';
import { summarize, type StreamEnvelope } from './events';

const envelope = (type: string, data: Record<string, unknown>): StreamEnvelope => ({ id: '1', type, version: 1, source: 's', tenantId: 't', occurredAt: '2026-12-01T00:00:00Z', data });

describe('ticker lines', () => {
  it('name what happened', () => {
    expect(summarize(envelope('AlertStateChanged', { severity: 'critical', state: 'firing', labels: { alertname: 'DbDown' }, fingerprint: 'f' }))).toBe('critical alert DbDown firing');
    expect(summarize(envelope('HealthScored', { databaseName: 'orders', score: 42, status: 'critical' }))).toBe('orders health 42 (critical)');
  });
  it("never show a data subject's identifiers", () => {
    const line = summarize(envelope('SubjectRequestIssued', { kind: 'erasure', identifiers: [{ type: 'email', value: 'ann@example.com' }], expectedServices: ['a', 'b'] }));
    expect(line).toBe('Subject request (erasure) issued to 2 service(s)');
    expect(line).not.toContain('ann@example.com');
  });
  it('fall back to the type for an event the web does not know', () => {
    expect(summarize(envelope('SomethingNew', {}))).toBe('SomethingNew');
  });
});

describe('ticker lines with the cache', () => {
  it('name a database by its name when the cache knows it', () => {
    const e = envelope('MetricsCollected', { databaseId: 'db-1', sampleCount: 2 });
    expect(summarize(e, { databaseName: (id) => (id === 'db-1' ? 'orders' : undefined) })).toBe('2 metrics collected from orders');
    expect(summarize(e)).toBe('2 metrics collected from database db-1');
  });
});
