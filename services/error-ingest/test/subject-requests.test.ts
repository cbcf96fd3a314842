// GDPR participant: export and erasure by subject identifier answer with receipts, and
// per-project retention purges old events on its schedule.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { Registry } from 'prom-client';
import { describe, expect } from 'vitest';
import { EventBus, SubjectRequestIssued, SubjectRequestReceipt, type EventData } from '@vigil/events';
import { eventually } from '@vigil/service-kit/testing';
import { createProject, errorEvent, errorIngestTest, listen, sendEnvelope } from './fixtures.js';

interface Gdpr {
  /** Receipts the service answers with. */
  receipts: Awaited<ReturnType<typeof listen>>;
  /** Publishes subject requests as gdpr would. */
  publisher: EventBus;
  /** A second pool on the test database, to look at and age rows. */
  db: pg.Pool;
}

const it = errorIngestTest({ ERRORS_RETENTION_INTERVAL_MS: '1000' }).extend<{ gdpr: Gdpr }>({
  gdpr: [
    async ({ f }, use) => {
      const silent = { debug() {}, info() {}, warn() {}, error() {} };
      const receipts = await listen(f, [SubjectRequestReceipt]);
      const publisher = new EventBus({ brokers: [f.env.env.KAFKA_BROKERS!], service: 'gdpr', logger: silent, registry: new Registry(), namespace: f.env.namespace });
      const db = new pg.Pool({ connectionString: f.env.databaseUrl, max: 2 });
      await use({ receipts, publisher, db });
      await receipts.stop();
      await publisher.stop();
      await db.end();
    },
    { scope: 'file' },
  ],
});

type Receipt = EventData<typeof SubjectRequestReceipt>;

async function request({ receipts, publisher }: Gdpr, kind: 'access' | 'erasure', identifiers: { type: string; value: string }[]): Promise<Receipt> {
  const requestId = randomUUID();
  await publisher.publish(
    SubjectRequestIssued,
    { requestId, kind, identifiers, expectedServices: ['error-ingest'], deadline: new Date(Date.now() + 86_400_000).toISOString(), issuedAt: new Date().toISOString() },
    { tenantId: 'acme' },
  );
  const receipt = await eventually(async () => receipts.events.find((e) => (e.data as Receipt).requestId === requestId), 30_000);
  return receipt.data as Receipt;
}

const eventCount = async ({ db }: Gdpr, projectId: string) => Number((await db.query('SELECT count(*) FROM errors.events WHERE project_id = $1', [projectId])).rows[0].count);

describe('subject requests and retention', () => {
  it('exports, then erases, a subject’s events and pseudonyms found by email', async ({ f, gdpr }) => {
    const ex = { values: [{ type: 'GdprError', value: 'subject' }] };
    await sendEnvelope(f, errorEvent({ exception: ex, user: { id: 'dana-1', email: 'dana@example.com' }, tags: { plan: 'pro' } }));
    await sendEnvelope(f, errorEvent({ exception: ex, user: { id: 'dana-1' } }));
    await sendEnvelope(f, errorEvent({ exception: ex, user: { id: 'erin-2', email: 'erin@example.com' } }));
    await eventually(async () => (await eventCount(gdpr, f.project.id)) === 3, 30_000);

    const exported = await request(gdpr, 'access', [{ type: 'email', value: 'Dana@Example.com' }, { type: 'user_id', value: 'dana-1' }, { type: 'phone', value: '+1 555' }]);
    expect(exported.status).toBe('completed');
    expect(exported.tables).toContainEqual({ table: 'errors.events', rows: 2, action: 'exported' });
    const data = exported.exportPart?.data as { events: { tags: Record<string, string> }[]; pseudonyms: { idType: string }[] };
    expect(data.events).toHaveLength(2);
    expect(data.events[0]!.tags).toEqual({ plan: 'pro' });
    expect(data.pseudonyms.map((p) => p.idType).sort()).toEqual(['email', 'user_id']);
    expect(exported.exportPart?.sha256).toMatch(/^[0-9a-f]{64}$/);

    const erased = await request(gdpr, 'erasure', [{ type: 'user_id', value: 'dana-1' }]);
    expect(erased.status).toBe('completed');
    expect(erased.tables).toContainEqual({ table: 'errors.events', rows: 2, action: 'erased' });
    expect(erased.tables).toContainEqual({ table: 'errors.issue_users', rows: 1, action: 'erased' });
    expect(await eventCount(gdpr, f.project.id)).toBe(1);
    const issues = (await f.app.inject({ url: `/v1/projects/${f.project.id}/issues?exceptionType=GdprError`, headers: f.auth })).json().items;
    expect(issues[0].usersAffected).toBe(1);
  });

  it('purges events older than the project’s retention on schedule, and keeps newer ones', async ({ f, gdpr }) => {
    const short = await createProject(f.app, f.auth, 'short-retention', { retentionDays: 2 });
    for (let n = 0; n < 3; n++) await sendEnvelope(f, errorEvent(), { project: short });
    await eventually(async () => (await eventCount(gdpr, short.id)) === 3, 30_000);
    // Age two of them past the retention period (the clock cannot be moved; the rows can).
    await gdpr.db.query(`UPDATE errors.events SET received_at = now() - interval '3 days' WHERE event_id IN (SELECT event_id FROM errors.events WHERE project_id = $1 LIMIT 2)`, [short.id]);
    await eventually(async () => (await eventCount(gdpr, short.id)) === 1, 30_000);
  });
});
