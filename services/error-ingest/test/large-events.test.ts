// The largest accepted event travels the fast path: errors.events is created with max.message.bytes
// for a 1 MiB event (2 MiB), and an event just under ERRORS_MAX_EVENT_BYTES, gzip-compressed on the
// wire, is produced to Kafka (not spooled) and becomes an issue with its payload; one byte more is 413.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { describe, expect } from 'vitest';
import { createPool } from '@vigil/service-kit';
import { eventually, TEST_BROKERS } from '@vigil/service-kit/testing';
import { envelopeOf, errorEvent, errorIngestTest, eventId, issueEventCount, metric, sendEnvelope, sentryAuth } from './fixtures.js';

const it = errorIngestTest();
const MIB = 1024 * 1024;

/** An event of exactly `bytes` bytes of JSON (random, so that compression does not make it small). */
function eventOfSize(bytes: number, type: string): Record<string, unknown> {
  const ev = errorEvent({ exception: { values: [{ type, value: 'big' }] }, extra: { blob: '' } });
  const base = Buffer.byteLength(JSON.stringify(ev));
  (ev.extra as { blob: string }).blob = randomBytes(bytes).toString('base64').slice(0, bytes - base);
  expect(Buffer.byteLength(JSON.stringify(ev))).toBe(bytes);
  return ev;
}

describe('large events', () => {
  it('creates errors.events with max.message.bytes for the largest accepted event', async ({ f }) => {
    const admin = new Kafka({ brokers: TEST_BROKERS.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: `${f.env.namespace}.errors.events`, configNames: ['max.message.bytes'] }], includeSynonyms: false });
      expect(resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes')?.configValue).toBe(String(2 * MIB));
    } finally {
      await admin.disconnect();
    }
  });

  it('produces an event just under 1 MiB to Kafka and processes it; one byte past the limit is 413', async ({ f }) => {
    const viaKafka = await metric(f.app, 'vigil_errors_accepted_total', 'path="kafka"');
    const big = eventOfSize(MIB - 2_000, 'HugeEvent');
    const res = await f.app.inject({
      method: 'POST',
      url: f.project.dsnPath,
      headers: { ...sentryAuth(f.project.publicKey), 'content-encoding': 'gzip' },
      payload: gzipSync(envelopeOf(big)),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await metric(f.app, 'vigil_errors_accepted_total', 'path="kafka"')).toBe(viaKafka + 1);
    expect(await metric(f.app, 'vigil_errors_accepted_total', 'path="spool"')).toBe(0);
    await eventually(async () => (await issueEventCount(f.app, f)) >= 1, 60_000, 200);
    const issues = (await f.app.inject({ url: `/v1/projects/${f.project.id}/issues?limit=10`, headers: f.auth })).json().items as { id: string; title: string }[];
    const issue = issues.find((i) => i.title.startsWith('HugeEvent'))!;
    const detail = (await f.app.inject({ url: `/v1/projects/${f.project.id}/issues/${issue.id}`, headers: f.auth })).json();
    expect((detail.latestEvent.payload.extra.blob as string).length).toBe((big.extra as { blob: string }).blob.length);

    const tooBig = await f.app.inject({ method: 'POST', url: f.project.dsnPath, headers: sentryAuth(f.project.publicKey), payload: envelopeOf(eventOfSize(MIB + 1, 'TooBig')) });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.headers['x-sentry-error']).toMatch(/limit is 1048576/);
  });

  it('compresses stored payloads with lz4 (migration 0005): every month partition, partitions made later, the spool', async ({ f }) => {
    const pool = createPool(f.env.databaseUrl, 1);
    try {
      const id = eventId();
      const ev = errorEvent({ event_id: id, exception: { values: [{ type: 'Compressible', value: 'x' }] }, extra: { text: 'lorem ipsum dolor sit amet '.repeat(400) } });
      expect((await sendEnvelope(f, ev)).statusCode).toBe(200);
      const dashed = `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
      const method = await eventually(async () => {
        const { rows } = await pool.query(`SELECT pg_column_compression(payload) AS m FROM errors.events WHERE event_id = $1`, [dashed]);
        return rows[0]?.m as string | undefined;
      }, 60_000, 200);
      expect(method).toBe('lz4');
      // A partition created from now on (as processing and retention do) inherits it (made and looked at in a transaction rolled back).
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`CREATE TABLE errors.events_209901 PARTITION OF errors.events FOR VALUES FROM ('2099-01-01') TO ('2099-02-01')`);
        const { rows } = await client.query(
          `SELECT c.relname, a.attcompression FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'errors' AND a.attname = 'payload' AND c.relkind IN ('r', 'p')`,
        );
        expect(rows.map((r) => r.relname)).toEqual(expect.arrayContaining(['events', 'accepted_events', 'events_209901']));
        expect(rows.length).toBeGreaterThanOrEqual(4); // and at least one month partition
        expect(rows.filter((r) => r.attcompression !== 'l').map((r) => r.relname)).toEqual([]);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    } finally {
      await pool.end();
    }
  });
});

