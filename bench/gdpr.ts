// bench:gdpr — the gdpr service on the real PostgreSQL and Kafka, in its own database and
// Kafka namespace:
//   1. consent writes/s over HTTP (autocannon; writes of a tenant are group-committed: ledger
//      rows, chain appends and outbox rows in one transaction), then p99 paced at 1,000/s;
//   2. erasure fan-out: verify -> completed (all receipts in) across five participant services
//      built with the service kit (plus gdpr itself answering), p50/p99 over N requests, 50 at a time;
//   3. audit-chain verification: entries/s of the verify path (streamed pages, hashing, signed
//      checkpoints) over a chain of M entries (default 1 million), the memory it used, and the
//      bare SHA-256 rate over the same entries (entryHash alone) as the limit.
// Env knobs for a quick check (the defaults are the real run): BENCH_CONSENT_SECONDS,
// BENCH_ERASURES, BENCH_CHAIN_ENTRIES.
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import pg from 'pg';
import { canonicalJson } from '@vigil/privacy';
import { createTestEnv, eventually } from '@vigil/service-kit/testing';
import { buildApp } from '../services/gdpr/src/app.js';
import { loadServiceConfig } from '../services/gdpr/src/config.js';
import { entryHash, GENESIS_HASH, signingKeyFromSeed } from '../services/gdpr/src/domain/audit-chain.js';
import { verifyChain } from '../services/gdpr/src/operations/audit.js';
import { submitRequest, verifyRequest } from '../services/gdpr/src/operations/requests.js';
import { buildParticipant, seedSubject } from '../services/gdpr/test/fixtures/participant.js';

declare module 'autocannon' {
  interface Options {
    /** Replaces [<id>] in the body with a unique id per request. */
    idReplacement?: boolean;
    /** Requests per second across all connections. */
    overallRate?: number;
  }
}

const CONSENT_SECONDS = Number(process.env.BENCH_CONSENT_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const ERASURES = Number(process.env.BENCH_ERASURES ?? 150);
const ERASURE_CONCURRENCY = Number(process.env.BENCH_ERASURE_CONCURRENCY ?? 50);
const CHAIN = Number(process.env.BENCH_CHAIN_ENTRIES ?? 1_000_000);
const CONSENT_RATE = 1_000;
const PARTICIPANTS = 5;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const loadStart = loadavg()[0]!;
console.log(`machine: ${availableParallelism()} CPUs, 1-minute load average ${round(loadStart, 1)} at start (other work on the machine shares the CPUs)`);
const env = await createTestEnv('benchgdpr');
const cfg = { ...env.env, LOG_LEVEL: 'silent', KAFKA_TOPIC_PARTITIONS: '3', DATABASE_POOL_MAX: '20', GDPR_SCHEDULER_INTERVAL_MS: '600000', GDPR_CHECKPOINT_INTERVAL_MS: '600000' };
const config = loadServiceConfig(cfg);
const gdpr = await buildApp(config);
await gdpr.ready();
const participants = [];
for (let i = 1; i <= PARTICIPANTS; i++) participants.push(await buildParticipant(`holder${i}`, cfg));
const key = await env.apiKey('bench', 'write');
const admin = new pg.Pool({ connectionString: env.databaseUrl, max: 4 });

try {
  // 1. Consent writes over HTTP.
  const address = await gdpr.listen({ host: '127.0.0.1', port: 0 });
  const consent = await autocannon({
    url: `${address}/v1/consents`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: CONSENT_SECONDS,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    idReplacement: true,
    body: JSON.stringify({ subjectId: 'user-[<id>]@example.com', purpose: 'newsletter', granted: true, noticeVersion: 'v1', channel: 'web', source: 'bench', ip: '203.0.113.9', userAgent: 'bench/1.0' }),
  });
  const consentPerSec = consent['2xx'] / CONSENT_SECONDS;
  console.log(`consent writes: ${round(consentPerSec)}/s over ${CONSENT_SECONDS}s, ${CONNECTIONS} connections, p99 latency ${consent.latency.p99} ms, non-2xx ${consent.non2xx}`);
  const paced = await autocannon({
    url: `${address}/v1/consents`,
    method: 'POST',
    connections: CONNECTIONS,
    overallRate: CONSENT_RATE,
    duration: CONSENT_SECONDS,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    idReplacement: true,
    body: JSON.stringify({ subjectId: 'paced-[<id>]@example.com', purpose: 'newsletter', granted: true, noticeVersion: 'v1', channel: 'web', source: 'bench', ip: '203.0.113.9', userAgent: 'bench/1.0' }),
  });
  console.log(`consent writes paced at ${CONSENT_RATE}/s: ${round(paced['2xx'] / CONSENT_SECONDS)}/s done, p50 ${paced.latency.p50} ms, p99 ${paced.latency.p99} ms, non-2xx ${paced.non2xx}`);

  // 2. Erasure fan-out across five participants (+ gdpr itself).
  await eventually(async () => (await admin.query(`SELECT count(*)::int AS n FROM gdpr.data_holders`)).rows[0].n === PARTICIPANTS + 1, 60_000);
  const deps = { pool: gdpr.infra.pool, outbox: gdpr.infra.outbox, pseudonymKey: config.VIGIL_PSEUDONYM_KEY };
  for (let i = 0; i < ERASURES; i++) for (const p of participants) await seedSubject(p, 'bench', `subject${i}@example.com`, `Subject ${i}`);
  const durations: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ERASURES) {
      const i = next++;
      const sub = await submitRequest(deps, 'bench', { kind: 'erasure', identifiers: [{ type: 'email', value: `subject${i}@example.com` }] });
      const t0 = performance.now();
      await verifyRequest(deps, 'bench', sub.request.id, sub.verificationToken!);
      for (;;) {
        const { rows } = await admin.query(`SELECT state FROM gdpr.subject_requests WHERE id = $1`, [sub.request.id]);
        if (rows[0].state === 'completed') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      durations.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: ERASURE_CONCURRENCY }, worker));
  durations.sort((a, b) => a - b);
  const left = await Promise.all(participants.map(async (p) => (await p.infra.pool.query(`SELECT count(*)::int AS n FROM ${p.infra.schema}.contacts WHERE tenant_id = 'bench'`)).rows[0].n as number));
  console.log(
    `erasure fan-out (${PARTICIPANTS} participants + gdpr, ${ERASURES} requests, ${ERASURE_CONCURRENCY} concurrent): p50 ${round(pct(durations, 50))} ms, p99 ${round(pct(durations, 99))} ms, max ${round(durations[durations.length - 1]!)} ms; contact rows left: ${left.reduce((a, b) => a + b, 0)}`,
  );

  // 3. Audit-chain verification over a generated chain.
  let prev = GENESIS_HASH;
  let hashMs = 0;
  const t = 'bench-audit';
  for (let start = 1; start <= CHAIN; start += 10_000) {
    const seqs: number[] = [];
    const ids: string[] = [];
    const contents: string[] = [];
    const prevs: string[] = [];
    const hashes: string[] = [];
    for (let seq = start; seq < Math.min(start + 10_000, CHAIN + 1); seq++) {
      const content = canonicalJson({
        eventId: crypto.randomUUID(),
        type: 'ProcessingRecorded',
        version: 1,
        source: 'crm',
        occurredAt: new Date().toISOString(),
        data: { service: 'crm', activity: 'profile-lookup', subjectRef: 'a'.repeat(64), categories: ['contact'], recordedAt: new Date().toISOString() },
      });
      const h0 = performance.now();
      const hash = entryHash(prev, seq, content);
      hashMs += performance.now() - h0;
      seqs.push(seq);
      ids.push(crypto.randomUUID());
      contents.push(content);
      prevs.push(prev);
      hashes.push(hash);
      prev = hash;
    }
    await admin.query(
      `INSERT INTO gdpr.audit_log (tenant_id, seq, event_id, topic, content, prev_hash, hash)
       SELECT $1, u.seq, u.event_id, 'audit.processing', u.content, u.prev_hash, u.hash
       FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[]) AS u(seq, event_id, content, prev_hash, hash)`,
      [t, seqs, ids, contents, prevs, hashes],
    );
  }
  const auditDeps = { pool: gdpr.infra.pool, pseudonymKey: config.VIGIL_PSEUDONYM_KEY, signingKey: signingKeyFromSeed(config.GDPR_AUDIT_SIGNING_SEED) };
  const bareShaPerSec = CHAIN / (hashMs / 1000);
  const rates: number[] = [];
  let heapPeak = 0;
  let rssPeak = 0;
  for (let run = 0; run < 3; run++) {
    globalThis.gc?.();
    const base = process.memoryUsage();
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      heapPeak = Math.max(heapPeak, m.heapUsed - base.heapUsed);
      rssPeak = Math.max(rssPeak, m.rss - base.rss);
    }, 10);
    const t0 = performance.now();
    const v = await verifyChain(auditDeps, t);
    const ms = performance.now() - t0;
    clearInterval(sample);
    if (!v.valid || v.entries !== CHAIN) throw new Error(`chain did not verify: ${JSON.stringify(v.firstBroken)}`);
    rates.push(v.entries / (ms / 1000));
  }
  const verifyPerSec = median(rates);
  const mb = (b: number) => round(b / 1024 / 1024, 1);
  console.log(`audit-chain verification: ${round(verifyPerSec)} entries/s (median of 3 runs over ${CHAIN} entries: ${rates.map((r) => round(r)).join(', ')}); bare SHA-256 (entryHash alone) over the same entries ${round(bareShaPerSec)}/s; memory above the start of a run: heap peak +${mb(heapPeak)} MB, RSS peak +${mb(rssPeak)} MB`);

  console.log(
    JSON.stringify({
      consentWritesPerSec: round(consentPerSec),
      consentP99Ms: consent.latency.p99,
      consentPacedPerSec: CONSENT_RATE,
      consentPacedP99Ms: paced.latency.p99,
      erasureFanoutParticipants: PARTICIPANTS,
      erasureP50Ms: round(pct(durations, 50)),
      erasureP99Ms: round(pct(durations, 99)),
      erasureConcurrency: ERASURE_CONCURRENCY,
      auditVerifyEntriesPerSec: round(verifyPerSec),
      auditChainEntries: CHAIN,
      bareSha256PerSec: round(bareShaPerSec),
      auditVerifyHeapPeakMb: mb(heapPeak),
      auditVerifyRssPeakMb: mb(rssPeak),
      goals: { consentWritesPerSec: 5000, consentPacedP99Ms: 50, erasureP99Ms: 1000, auditVerifyEntriesPerSec: 1_000_000 },
      loadAvg1m: { start: round(loadStart, 1), end: round(loadavg()[0]!, 1) },
      cpus: availableParallelism(),
    }),
  );
} finally {
  await admin.end();
  await Promise.all([gdpr, ...participants].map((a) => a.close()));
  await env.cleanup();
}
