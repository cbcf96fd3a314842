// A burst of distinct new issues (what bench/console.ts's seedIssueStream sends): N events through
// /api/<project>/store/, 16 concurrent, each with its own fingerprint, against one error-ingest
// (ERRORS_ROLE=all); prints how long the accepts took and when /stats counted every event.
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createTestEnv, eventually } from '@vigil/service-kit/testing';
import { buildApp } from '../services/error-ingest/src/app.js';
import { loadServiceConfig } from '../services/error-ingest/src/config.js';

const N = Number(process.env.BURST_EVENTS ?? 3000);
const env = await createTestEnv('burstingest');
const app = await buildApp(loadServiceConfig({ ...env.env, LOG_LEVEL: 'error' }));
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const key = await env.apiKey('bench', 'admin');
const api = async (method: string, path: string, body?: unknown) =>
  (await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json();
const project = await api('POST', '/v1/projects', { name: 'burst' });
const dsn = await api('POST', `/v1/projects/${project.id}/keys`, { label: 'burst' });
const load0 = loadavg()[0]!;
const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (next < N) {
      const i = next++;
      const res = await fetch(`${base}/api/${project.id}/store/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sentry-auth': `Sentry sentry_version=7, sentry_client=bench/1.0, sentry_key=${dsn.publicKey}` },
        body: JSON.stringify({
          event_id: randomBytes(16).toString('hex'),
          level: 'error',
          platform: 'node',
          release: `shop@1.${i % 7}.0`,
          user: { id: `user-${i % 500}` },
          tags: { region: ['eu', 'us', 'ap'][i % 3] },
          exception: { values: [{ type: `StreamError${i}`, value: `checkout failed for cart ${i}`, stacktrace: { frames: [{ function: `placeOrder${i}`, filename: `app/orders/route-${i}.js`, lineno: (i % 300) + 1, in_app: true }] } }] },
        }),
      });
      if (!res.ok) throw new Error(`store ${res.status}: ${await res.text()}`);
    }
  }),
);
const accepted = performance.now();
const processed = async () => ((await api('GET', `/v1/projects/${project.id}/stats`)).hours as { count: number }[]).reduce((a, h) => a + h.count, 0);
await eventually(async () => (await processed()) >= N, 600_000, 250);
const done = performance.now();
console.log(
  `burst of ${N} distinct new issues, 16 concurrent /store/: accepted in ${((accepted - t0) / 1000).toFixed(1)} s (${Math.round(N / ((accepted - t0) / 1000))}/s), ` +
    `all counted in /stats after ${((done - t0) / 1000).toFixed(1)} s (${Math.round(N / ((done - t0) / 1000))} issues/s); load average ${load0.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
);
await app.close();
await env.cleanup();
process.exit(0);
