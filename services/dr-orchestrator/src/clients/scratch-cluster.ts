// Scratch PostgreSQL clusters for physical verification restores: a data folder per
// verification (named by its id, so a later run finds a killed run's leftovers), a free port,
// pg_ctl start/stop as the database OS user, and removal whatever happened.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, mkdir, chown } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { asOsUser, osIds } from './pgbackrest.js';

export interface ScratchCluster {
  dir: string;
  port: number;
  url(database: string): string;
}

export const scratchClusterDir = (root: string, verificationId: string) => path.join(root, `vigil-dr-scratch-${verificationId}`);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export function runAs(osUser: string, cmd: string, args: string[], timeoutMs = 600_000): Promise<{ code: number | null; output: string }> {
  const [bin, argv] = asOsUser(osUser, cmd, args);
  return new Promise((resolve, reject) => {
    const c = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let output = '';
    c.stdout.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr.on('data', (d: Buffer) => (output += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, output }));
  });
}

export async function makeScratchDir(dir: string, osUser: string): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ids = await osIds(osUser);
  if (ids) await chown(dir, ids.uid, ids.gid);
}

/** Starts the restored cluster; resolves once it accepts connections (recovery may still run). */
export async function startScratchCluster(o: { pgBinDir: string; osUser: string; dir: string; port: number; timeoutSeconds: number }): Promise<ScratchCluster> {
  const opts = [`-p ${o.port}`, "-c unix_socket_directories=''", "-c listen_addresses='127.0.0.1'", '-c archive_mode=off', '-c hot_standby=on', "-c shared_preload_libraries=''"].join(' ');
  const r = await runAs(o.osUser, path.join(o.pgBinDir, 'pg_ctl'), ['-D', o.dir, '-l', path.join(o.dir, 'vigil-scratch.log'), '-o', opts, '-w', '-t', String(o.timeoutSeconds), 'start']);
  if (r.code !== 0) {
    const log = await readFile(path.join(o.dir, 'vigil-scratch.log'), 'utf8').catch(() => '');
    const fatal = log.split('\n').filter((l) => /FATAL|PANIC|ERROR/.test(l)).slice(-3).join(' | ');
    throw new Error(`the restored cluster did not start: ${fatal || r.output.trim().split('\n').at(-1)}`);
  }
  return { dir: o.dir, port: o.port, url: (db) => `postgres://postgres@127.0.0.1:${o.port}/${encodeURIComponent(db)}` };
}

/** Stops (immediate) whatever runs in the folder, ends processes working in it, and removes it. */
export async function removeScratchCluster(o: { pgBinDir: string; osUser: string; dir: string }): Promise<void> {
  if (existsSync(path.join(o.dir, 'postmaster.pid'))) await runAs(o.osUser, path.join(o.pgBinDir, 'pg_ctl'), ['-D', o.dir, '-m', 'immediate', '-w', 'stop'], 60_000).catch(() => undefined);
  await killProcessesUsing(o.dir);
  await rm(o.dir, { recursive: true, force: true });
}

/** A killed orchestrator's pgbackrest restore keeps writing into the folder: end it (matched by the folder's unique path). */
async function killProcessesUsing(dir: string): Promise<void> {
  const pids = await readdir('/proc').catch(() => [] as string[]);
  for (const pid of pids) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').some((a) => a === dir || a.endsWith(`=${dir}`))) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* gone already */
      }
    }
  }
}

/** Leftover scratch folders under the root (verification ids), for cleanup after a crash. */
export async function leftoverScratchDirs(root: string): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith('vigil-dr-scratch-')).map((n) => path.join(root, n));
}
