// The real Prometheus and amtool (Debian's prometheus, prometheus-alertmanager) for the
// Alertmanager-API tests: each run gets its own directory and free loopback ports, and is stopped.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '@vigil/service-kit/testing';

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** A scratch directory, removed by the returned function. */
export function scratchDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `vigil-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a config file; JSON is YAML, so the programs read it as their YAML config. */
export function writeConfig(dir: string, name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

export interface RunningPrometheus {
  url: string;
  /** An instant query through Prometheus's own HTTP API. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  api<T>(pathAndQuery: string): Promise<T>;
  log(): string;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Starts `prometheus` with this config (and rule files) on a free port; resolves once it is ready. */
export async function startPrometheus(dir: string, config: Record<string, unknown>, rules: Record<string, unknown> = {}): Promise<RunningPrometheus> {
  for (const [name, content] of Object.entries(rules)) writeConfig(dir, name, content);
  const configFile = writeConfig(dir, 'prometheus.yml', config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    'prometheus',
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const api = async <T>(p: string): Promise<T> => {
    const res = await fetch(`${url}${p}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${p}: ${body.error}`);
    return body.data;
  };
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
      return (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok;
    }, 60_000, 100);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    url,
    api,
    query: async (expr) => (await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    log: () => output,
    stop: () => stopChild(child),
  };
}

export interface AmtoolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs amtool with HOME in `dir`, so no user's amtool.yml is read. */
export function amtool(dir: string, args: string[]): Promise<AmtoolResult> {
  return new Promise((resolve) => {
    execFile('amtool', args, { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** amtool's simple output: a header row and rows, columns separated by two or more spaces. */
export function parseTable(stdout: string): Record<string, string>[] {
  const lines = stdout.split('\n').filter((l) => l.trim());
  if (!lines.length) return [];
  const header = lines[0]!;
  const starts = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], at: m.index! }));
  return lines.slice(1).map((line) =>
    Object.fromEntries(starts.map((c, i) => [c.name, line.slice(c.at, starts[i + 1]?.at ?? line.length).trim()])),
  );
}

/** A scrape target exposing one gauge whose value the test sets. */
export class GaugeTarget {
  value = 0;
  private server?: Server;
  constructor(private readonly name: string) {}

  async start(): Promise<this> {
    this.server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`# HELP ${this.name} A test gauge.\n# TYPE ${this.name} gauge\n${this.name} ${this.value}\n`);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get address(): string {
    return `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** `app.listen` on a free loopback port; returns its host:port. */
export async function listenOnLoopback(app: { listen(o: { host: string; port: number }): Promise<string> }): Promise<string> {
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return new URL(address).host;
}
