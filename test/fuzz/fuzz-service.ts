// Runs the fuzz cases of every endpoint of one service against its app listening on port 0,
// and checks what issue 13 §3 asks: no 5xx, well-formed HTTP, safe headers, the process up and
// its memory bounded. FUZZ_SEED / FUZZ_RUNS replay a run; the seed and case count are printed.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { fuzzCase, type FuzzCase, type FuzzContext } from './inputs.js';
import { PROBES, type Endpoint } from './routes.js';
import { parseResponse, SAFE_HEADER_VALUE, send } from './wire.js';

/** Cases per endpoint: FUZZ_RUNS, else a short run (npm test); `npm run fuzz` sets 10,000. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
export const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);

/** Enough for the boot plus the cases on a loaded machine: up to 100 ms a case (a loaded 2-core machine), in parallel lanes. */
export const fuzzTimeout = (endpoints: number) => 120_000 + Math.ceil((endpoints * RUNS * 100) / CONCURRENCY);

export interface FuzzReport {
  endpoints: number;
  cases: number;
  byStatus: Record<number, number>;
  heapMb: { before: number; after: number };
  rssMb: { before: number; after: number };
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function memory() {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed / 2 ** 20, rss: m.rss / 2 ** 20 };
}

function checkHeaders(where: string, headers: [string, string][]) {
  for (const [name, value] of headers) if (!SAFE_HEADER_VALUE.test(value)) throw new Error(`${where}: header ${name} is unsafe: ${JSON.stringify(value)}`);
}

async function one(app: FastifyInstance, port: number, e: Endpoint, c: FuzzCase): Promise<number> {
  const where = `${e.method} ${c.path}`;
  let status: number;
  if (c.viaInject) {
    const res = await app.inject({ method: e.method as 'POST', url: c.path, headers: Object.fromEntries(c.headers), payload: c.body });
    status = res.statusCode;
    checkHeaders(where, Object.entries(res.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, String(v)] as [string, string]])));
    if (status >= 500) throw new Error(`${where} (inject) answered ${status}: ${res.body.slice(0, 500)}`);
  } else {
    const raw = await send(port, { method: e.method, path: c.path, headers: c.headers, body: c.body });
    if (!raw.length) {
      // No answer at all: replay in process to show what the app did with it.
      const again = await app.inject({ method: e.method as 'POST', url: c.path, headers: Object.fromEntries(c.headers), payload: c.body }).catch((err: Error) => err);
      throw new Error(`${where}: the connection closed without an answer; in process: ${again instanceof Error ? again.stack : `${again.statusCode} ${again.body.slice(0, 300)}`}`);
    }
    const res = parseResponse(raw, e.method);
    status = res.status;
    if (status >= 500) throw new Error(`${where} answered ${status}: ${res.body.subarray(0, 500).toString()}`);
  }
  return status;
}

const describeCase = (c: FuzzCase) => ({ ...c, body: c.body.length > 300 ? `${c.body.length} bytes: ${JSON.stringify(c.body.subarray(0, 300).toString('latin1'))}…` : JSON.stringify(c.body.toString('latin1')) });

/** Fuzzes each endpoint (plus the kit's probes) with RUNS cases; throws on the first failure, naming seed and case. */
export async function fuzzService(name: string, app: FastifyInstance, ctx: FuzzContext, endpoints: Endpoint[]): Promise<FuzzReport> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const all = [...PROBES, ...endpoints];
  console.log(`fuzz ${name}: seed=${SEED} runs=${RUNS} per endpoint, ${all.length} endpoints; replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npx vitest run test/fuzz/${name}.test.ts`);
  const before = memory();
  const byStatus: Record<number, number> = {};
  let cases = 0;
  const queue = all.map((e, i) => ({ e, i }));
  const lane = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { e, i } = next;
      await fc.assert(
        fc.asyncProperty(fuzzCase(ctx, e), async (c) => {
          const status = await one(app, port, e, c).catch((err: Error) => {
            throw new Error(`${err.message}\n  case: ${JSON.stringify(describeCase(c))}`);
          });
          byStatus[status] = (byStatus[status] ?? 0) + 1;
          cases++;
        }),
        // Each endpoint its own seed derived from the run's, so FUZZ_SEED replays every one of them.
        { seed: SEED + i, numRuns: RUNS, endOnFailure: true },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, all.length) }, lane));
  // Still up and answering.
  const health = parseResponse(await send(port, { method: 'GET', path: '/healthz', headers: [], body: Buffer.alloc(0) }), 'GET');
  if (health.status !== 200) throw new Error(`/healthz answered ${health.status} after the run`);
  const after = memory();
  const report = {
    endpoints: all.length,
    cases,
    byStatus,
    heapMb: { before: Math.round(before.heap), after: Math.round(after.heap) },
    rssMb: { before: Math.round(before.rss), after: Math.round(after.rss) },
  };
  console.log(`fuzz ${name}: ${cases} cases over ${all.length} endpoints, no 5xx; statuses ${JSON.stringify(byStatus)}; heap ${report.heapMb.before} -> ${report.heapMb.after} MB, rss ${report.rssMb.before} -> ${report.rssMb.after} MB`);
  return report;
}
