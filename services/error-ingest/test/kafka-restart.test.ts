// Kafka stopped during ingest and restarted: ingest keeps answering 200 (the events go to the
// PostgreSQL spool, shown by its depth and the accepted-by-path counter) and every accepted
// event becomes part of an issue exactly once after the broker is back.
// Runs on a private broker (port 29500), never the shared one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedicatedKafka, eventually } from '@vigil/service-kit/testing';
import { errorEvent, metric, sendEnvelope, startFixture, type Fixture } from './fixtures.js';

const kafka = dedicatedKafka(29500);
let f: Fixture & { close(): Promise<void> };

// Not serviceTest: its app fixture is closed after every afterAll hook, and this file's private
// broker must start before the app is built and go away only after the app has closed.
beforeAll(async () => {
  await kafka.start();
  f = await startFixture({ KAFKA_BROKERS: kafka.brokers, ERRORS_KAFKA_ACK_DEADLINE_MS: '500', ERRORS_SPOOL_HOLD_MS: '1000' });
}, 180_000);

afterAll(async () => {
  await kafka.start().catch(() => undefined); // should the test have stopped half-way with the broker down
  await f?.close();
  await kafka.destroy();
}, 180_000);

async function processedCount(f: Fixture): Promise<number> {
  const res = await f.app.inject({ url: `/v1/projects/${f.project.id}/issues?limit=200`, headers: f.auth });
  return (res.json().items as { count: number }[]).reduce((a, i) => a + i.count, 0);
}

describe('broker outage', () => {
  it('keeps accepting while Kafka is down and processes every accepted event after it restarts', async () => {
    const ex = (n: number) => ({ values: [{ type: `Outage${n % 3}`, value: 'x' }] });
    // A fresh broker first creates its offsets topic and the group: allow a loaded machine time for that.
    for (let n = 0; n < 10; n++) expect((await sendEnvelope(f, errorEvent({ exception: ex(n) }))).statusCode).toBe(200);
    await eventually(async () => (await processedCount(f)) === 10, 150_000, 250);
    // The fast path took them: nothing was spooled.
    expect(await metric(f.app, 'vigil_errors_accepted_total', 'path="kafka"')).toBe(10);
    expect(await metric(f.app, 'vigil_errors_accepted_total', 'path="spool"')).toBe(0);

    await kafka.stop();
    for (let n = 0; n < 30; n++) {
      const res = await sendEnvelope(f, errorEvent({ exception: ex(n) }));
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await processedCount(f)).toBe(10);
    expect(await metric(f.app, 'vigil_errors_accepted_total', 'path="spool"')).toBe(30);
    expect(await metric(f.app, 'vigil_errors_spool_depth')).toBe(30);

    await kafka.start();
    await eventually(async () => (await processedCount(f)) === 40, 150_000, 500);
    await eventually(async () => (await metric(f.app, 'vigil_errors_spool_depth')) === 0, 30_000, 250);
    // Nothing twice. A marker event for the same project (the message key, so the same
    // partition) is processed only after everything queued before it; once it is in, the
    // total is exactly 40 + 1.
    expect((await sendEnvelope(f, errorEvent({ exception: { values: [{ type: 'OutageMarker', value: 'last' }] } }))).statusCode).toBe(200);
    await eventually(async () => (await processedCount(f)) >= 41, 60_000, 250);
    expect(await processedCount(f)).toBe(41);
  }, 420_000);
});
