// GDPR at scale: concurrent consent writes group-committed with their chain appends, the audit
// feed consuming in batches without a second entry, and verification streaming a chain longer
// than one page while checking the signed checkpoints it meets.
import { afterAll, beforeEach, describe, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { canonicalJson } from '@vigil/privacy';
import { eventually, serviceTest, type TestKit } from '@vigil/service-kit/testing';
import { ConsentChanged } from '@vigil/events';
import { buildApp } from '../src/app.js';
import { AUDITED, CHAINED_BY_WRITER } from '../src/consumers/audit-feed.js';
import { loadServiceConfig } from '../src/config.js';
import { entryHash, GENESIS_HASH, signCheckpoint, signingKeyFromSeed } from '../src/domain/audit-chain.js';
import { verifyChain } from '../src/operations/audit.js';
import { ChainHashers } from '../src/operations/chain-hashers.js';

const it = serviceTest({
  label: 'gdprscale',
  env: { GDPR_SCHEDULER_INTERVAL_MS: '600000', GDPR_CHECKPOINT_INTERVAL_MS: '600000' },
  build: (env) => buildApp(loadServiceConfig(env)),
});

let gdpr: FastifyInstance;
let admin: pg.Client;
const keys: Record<string, string> = {};
const call = (tenant: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  gdpr.inject({ method, url, headers: { authorization: `Bearer ${keys[tenant]}` }, ...(payload ? { payload } : {}) });
const count = async (sql: string, params: unknown[] = []) => Number((await admin.query(sql, params)).rows[0].n);

beforeEach<{ app: FastifyInstance; kit: TestKit }>(async ({ app, kit }) => {
  if (gdpr) return;
  gdpr = app;
  for (const t of ['scale', 'long', 'text']) keys[t] = await kit.apiKey(t, 'admin');
  admin = new pg.Client({ connectionString: kit.databaseUrl });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
});

describe('consent writes at scale', () => {
  it('share transactions, append to the chain before answering, in ledger order; the audit feed does not read them back', async () => {
    const N = 200;
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        call('scale', 'POST', '/v1/consents', { subjectId: `s${i % 17}@example.com`, purpose: 'newsletter', granted: i % 3 !== 0, noticeVersion: `n${i}`, channel: 'web', source: 'test' }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(N).fill(201));
    const acknowledged = answers.map((a) => a.json().id as string);
    expect(new Set(acknowledged).size).toBe(N);
    // Every answer waited for its commit, and that commit held the chain entry.
    expect(await count(`SELECT count(*)::int AS n FROM gdpr.audit_log WHERE tenant_id = 'scale' AND topic = 'gdpr.consent'`)).toBe(N);
    // Group commit: far fewer transactions than writes.
    expect(await count(`SELECT count(DISTINCT xmin::text)::int AS n FROM gdpr.consent_events WHERE tenant_id = 'scale'`)).toBeLessThan(N);
    // The chain is in ledger order.
    const ledger = (await admin.query(`SELECT id FROM gdpr.consent_events WHERE tenant_id = 'scale' ORDER BY seq`)).rows.map((r) => r.id as string);
    const chain = (await admin.query(`SELECT content FROM gdpr.audit_log WHERE tenant_id = 'scale' ORDER BY seq`)).rows.map((r) => JSON.parse(r.content).data.consentId as string);
    expect(chain).toEqual(ledger);
    // Every acknowledged write is in the ledger and in the chain exactly once.
    expect([...ledger].sort()).toEqual([...acknowledged].sort());
    expect(new Set(chain).size).toBe(N);

    // The feed does not read ConsentChanged back (the writer chained each one in its transaction):
    // once the relay published them all, the chain still holds exactly one entry per write.
    expect(AUDITED).not.toContain(ConsentChanged);
    expect(CHAINED_BY_WRITER).toContain(ConsentChanged);
    await eventually(async () => (await count(`SELECT count(*)::int AS n FROM gdpr.outbox`)) === 0, 60_000);
    expect(await count(`SELECT count(*)::int AS n FROM gdpr.inbox i JOIN gdpr.audit_log a ON a.event_id = i.event_id WHERE i.consumer = 'audit-feed' AND a.topic = 'gdpr.consent'`)).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM gdpr.audit_log WHERE tenant_id = 'scale'`)).toBe(N);
    const v = (await call('scale', 'GET', '/v1/audit/verify')).json();
    expect(v).toMatchObject({ valid: true, entries: N, firstBroken: null });
  });
});

describe('consent chain entries hashed by the server', () => {
  it('hash like entryHash over UTF-8, whatever the text (quotes, backslashes, non-ASCII, astral characters)', async () => {
    const texts = [`it's \\ "quoted"`, 'ünïcødé ✓', 'emoji 😀 and 日本語', 'tab\tnew\nline'];
    const answers = await Promise.all(texts.map((t, i) => call('text', 'POST', '/v1/consents', { subjectId: `u${i}@example.com`, purpose: 'newsletter', granted: true, noticeVersion: t, channel: t, source: t })));
    expect(answers.map((a) => a.statusCode)).toEqual(texts.map(() => 201));
    expect(answers.map((a) => a.json().noticeVersion)).toEqual(texts);
    const { rows } = await admin.query(`SELECT seq, prev_hash, hash, content FROM gdpr.audit_log WHERE tenant_id = 'text' ORDER BY seq`);
    expect(rows).toHaveLength(texts.length);
    let prev = GENESIS_HASH;
    for (const r of rows) {
      expect(r.prev_hash).toBe(prev);
      expect(r.hash).toBe(entryHash(prev, Number(r.seq), r.content));
      prev = r.hash;
    }
    expect(rows.map((r) => JSON.parse(r.content).data.noticeVersion).sort()).toEqual([...texts].sort());
    const stored = (await admin.query(`SELECT notice_version FROM gdpr.consent_events WHERE tenant_id = 'text'`)).rows.map((r) => r.notice_version as string);
    expect(stored.sort()).toEqual([...texts].sort());
    expect((await call('text', 'GET', '/v1/audit/verify')).json()).toMatchObject({ valid: true, entries: texts.length, firstBroken: null });
  });
});

describe('chain verification', () => {
  it('streams a chain longer than a page and checks each signed checkpoint it passes', async () => {
    const N = 12_000;
    const signingKey = signingKeyFromSeed((gdpr.infra.config as unknown as { GDPR_AUDIT_SIGNING_SEED: string }).GDPR_AUDIT_SIGNING_SEED);
    let prev = GENESIS_HASH;
    const rows: { seq: number; content: string; prev: string; hash: string }[] = [];
    for (let seq = 1; seq <= N; seq++) {
      const content = canonicalJson({ eventId: crypto.randomUUID(), type: 'ProcessingRecorded', version: 1, source: 'crm', occurredAt: new Date().toISOString(), data: { n: seq } });
      const hash = entryHash(prev, seq, content);
      rows.push({ seq, content, prev, hash });
      prev = hash;
    }
    await admin.query(
      `INSERT INTO gdpr.audit_log (tenant_id, seq, event_id, topic, content, prev_hash, hash)
       SELECT 'long', u.seq, gen_random_uuid(), 'audit.processing', u.content, u.prev_hash, u.hash FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS u(seq, content, prev_hash, hash)`,
      [rows.map((r) => r.seq), rows.map((r) => r.content), rows.map((r) => r.prev), rows.map((r) => r.hash)],
    );
    for (const seq of [6_000, 9_999, N]) {
      const hash = rows[seq - 1]!.hash;
      await admin.query(`INSERT INTO gdpr.audit_checkpoints (tenant_id, seq, hash, signature, key_id) VALUES ('long', $1, $2, $3, $4)`, [seq, hash, signCheckpoint(signingKey, 'long', seq, hash), signingKey.keyId]);
    }
    expect((await call('long', 'GET', '/v1/audit/verify')).json()).toMatchObject({ valid: true, entries: N, checkpoints: { total: 3, verified: 3, latestSeq: N }, firstBroken: null });
    // The worker path (pages hashed in two threads, 5,000 entries per COPY) gives the same verdict.
    const hashers = new ChainHashers(2);
    const deps = { pool: gdpr.infra.pool, pseudonymKey: 'unused', signingKey };
    const viaWorkers = () => verifyChain({ ...deps, hashers }, 'long', { segment: 5_000, inThreadBelow: 0 });
    const inThread = () => verifyChain({ ...deps, hashers: new ChainHashers(0) }, 'long', { segment: 5_000 });
    const verdict = ({ verifiedAt: _, ...v }: Awaited<ReturnType<typeof verifyChain>>) => v;
    expect(verdict(await viaWorkers())).toMatchObject({ valid: true, entries: N, checkpoints: { verified: 3 } });

    // A row altered in the second page: found there, after the checkpoint of the first page held.
    await admin.query('BEGIN');
    await admin.query('SET LOCAL session_replication_role = replica');
    await admin.query(`UPDATE gdpr.audit_log SET content = replace(content, '"n":7777', '"n":7778') WHERE tenant_id = 'long' AND seq = 7777`);
    await admin.query('COMMIT');
    expect((await call('long', 'GET', '/v1/audit/verify')).json()).toMatchObject({
      valid: false,
      entries: 7776,
      checkpoints: { total: 3, verified: 1 },
      firstBroken: { seq: 7777, reason: 'hash-mismatch' },
    });
    expect(verdict(await viaWorkers())).toEqual(verdict(await inThread()));
    expect(verdict(await viaWorkers())).toMatchObject({ entries: 7776, firstBroken: { seq: 7777, reason: 'hash-mismatch' } });

    // Breaks where a COPY segment starts and where entries go missing: both paths agree.
    const tamper = async (sql: string) => {
      await admin.query('BEGIN');
      await admin.query('SET LOCAL session_replication_role = replica');
      await admin.query(sql);
      await admin.query('COMMIT');
    };
    await tamper(`UPDATE gdpr.audit_log SET content = replace(content, '"n":7778', '"n":7777') WHERE tenant_id = 'long' AND seq = 7777`);
    expect(verdict(await viaWorkers())).toMatchObject({ valid: true, entries: N });
    await tamper(`UPDATE gdpr.audit_log SET prev_hash = repeat('f', 64) WHERE tenant_id = 'long' AND seq = 5001`);
    expect(verdict(await viaWorkers())).toMatchObject({ valid: false, entries: 5000, checkpoints: { verified: 0 }, firstBroken: { seq: 5001, reason: 'prev-hash-mismatch', found: 'f'.repeat(64) } });
    expect(verdict(await viaWorkers())).toEqual(verdict(await inThread()));
    await tamper(`UPDATE gdpr.audit_log SET prev_hash = '${rows[5000 - 1]!.hash}' WHERE tenant_id = 'long' AND seq = 5001`);
    await tamper(`DELETE FROM gdpr.audit_log WHERE tenant_id = 'long' AND seq = 10000`);
    expect(verdict(await viaWorkers())).toMatchObject({ valid: false, entries: 9999, checkpoints: { verified: 2 }, firstBroken: { seq: 10000, reason: 'sequence-gap' } });
    expect(verdict(await viaWorkers())).toEqual(verdict(await inThread()));
    await hashers.close();
  });
});
