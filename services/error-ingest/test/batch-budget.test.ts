// ERRORS_PROCESS_BATCH_BYTES: a backlog of large events is processed in batches of at most that
// many message bytes (what a batch holds in memory), and each event is still applied exactly once.
// An ingest-role instance accepts the backlog first; a process-role instance with a 64 KiB budget
// then finds it all on the topic at once (without the budget, its first batch would take it all).
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorEventsProcessed, type Envelope, type EventData } from '@vigil/events';
import { createTestEnv, eventually, testTemplate, type TestEnv } from '@vigil/service-kit/testing';
import { buildApp } from '../src/app.js';
import { loadServiceConfig } from '../src/config.js';
import { createProject, errorEvent, eventId, issueEventCount, listen, sendEnvelope, type Fixture } from './fixtures.js';

const BUDGET = 64 * 1024;
const EVENT_BYTES = 20_000;
const EVENTS = 40;

let env: TestEnv;
let ingestApp: FastifyInstance;
let processApp: FastifyInstance | undefined;
let f: Fixture;

beforeAll(async () => {
  const template = await testTemplate({ label: 'errors', build: async (e) => [await buildApp(loadServiceConfig(e))] });
  env = await createTestEnv('errors', { template });
  ingestApp = await buildApp(loadServiceConfig({ ...env.env, ERRORS_ROLE: 'ingest' }));
  await ingestApp.ready();
  const auth = { authorization: `Bearer ${await env.apiKey('acme', 'admin')}` };
  f = { env, app: ingestApp, auth, project: await createProject(ingestApp, auth, 'budget') };
}, 180_000);

afterAll(async () => {
  await processApp?.close();
  await ingestApp?.close();
  await env?.cleanup();
}, 60_000);

/** An event of about EVENT_BYTES of JSON, random so that compression does not make it small. */
const largeEvent = (n: number) => errorEvent({ event_id: eventId(), exception: { values: [{ type: 'Budget', value: `n${n}` }] }, extra: { blob: randomBytes(EVENT_BYTES).toString('base64').slice(0, EVENT_BYTES) } });

describe('ERRORS_PROCESS_BATCH_BYTES', () => {
  it('processes a backlog of large events in batches within the byte budget, each event once', async () => {
    const events = Array.from({ length: EVENTS }, (_, n) => largeEvent(n));
    for (const e of events) expect((await sendEnvelope(f, e)).statusCode).toBe(200);
    // An SDK re-send of one event: two messages on the topic, one event stored.
    expect((await sendEnvelope(f, events[5]!)).statusCode).toBe(200);

    const listener = await listen(f, [ErrorEventsProcessed]);
    try {
      processApp = await buildApp(loadServiceConfig({ ...env.env, ERRORS_ROLE: 'process', ERRORS_PROCESS_BATCH_BYTES: String(BUDGET) }));
      await processApp.ready();
      await eventually(async () => (await issueEventCount(processApp!, f)) >= EVENTS, 90_000, 200);
      const summaries = await eventually(async () => {
        const mine = listener.events.filter((e) => (e.data as { projectId: string }).projectId === f.project.id) as Envelope<EventData<typeof ErrorEventsProcessed>>[];
        return mine.reduce((a, e) => a + e.data.eventCount, 0) >= EVENTS ? mine : undefined;
      }, 30_000, 200);

      // One summary per batch: none holds more than the budget's worth (3 messages of ~20 KB in 64 KiB).
      const perBatch = summaries.map((s) => s.data.eventCount);
      expect(Math.max(...perBatch)).toBeLessThanOrEqual(Math.floor(BUDGET / EVENT_BYTES));
      expect(perBatch.length).toBeGreaterThanOrEqual(Math.ceil(EVENTS / 3));
      expect(perBatch.reduce((a, b) => a + b, 0)).toBe(EVENTS);
      // Exactly once: the issues count each event once, the re-sent one included.
      expect(await issueEventCount(processApp, f)).toBe(EVENTS);
    } finally {
      await listener.stop();
    }
  });
});
