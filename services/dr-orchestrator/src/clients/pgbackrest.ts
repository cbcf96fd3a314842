// pgBackRest, the tool that takes physical backups: writes the policy's generated config into
// the Vigil-owned folder and runs commands (as the database OS user when Vigil runs as root).
// Success is read from the JSON and the log lines, not only the exit code (pgBackRest #2502).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorLines, parseInfo, type PgBackRestPaths, type StanzaInfo } from '../domain/physical-policy.js';

export interface PgBackRestRunner {
  bin: string;
  /** OS user to run as (runuser) when this process is root; empty = as this process. */
  osUser: string;
  env: Record<string, string>;
}

export interface PgBackRestResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ERROR/ASSERT lines of stdout+stderr: a non-empty list is a failure even with exit code 0. */
  errors: string[];
  ok: boolean;
}

export function policyPaths(rootDir: string, policyId: string): PgBackRestPaths {
  const root = path.join(rootDir, policyId);
  return { root, config: path.join(root, 'pgbackrest.conf') };
}

export async function osIds(user: string): Promise<{ uid: number; gid: number } | undefined> {
  if (!user || process.getuid?.() !== 0) return undefined;
  const out = await capture('id', ['-u', user]);
  const gid = await capture('id', ['-g', user]);
  return { uid: Number(out.trim()), gid: Number(gid.trim()) };
}

/** Writes the generated config (0600) and the folders it names, owned by the OS user. */
export async function writeConfig(paths: PgBackRestPaths, text: string, osUser: string, extraDirs: string[] = []): Promise<void> {
  const ids = await osIds(osUser);
  // Parents must stay traversable by the database OS user (archive-push reads the config).
  for (const d of [paths.root, ...extraDirs]) await mkdir(path.dirname(d), { recursive: true, mode: 0o755 });
  for (const d of [paths.root, ...['log', 'lock', 'spool'].map((x) => path.join(paths.root, x)), ...extraDirs]) {
    await mkdir(d, { recursive: true, mode: 0o750 });
    if (ids) await chown(d, ids.uid, ids.gid);
  }
  // Every command rewrites the config while PostgreSQL's archive_command (archive-push) may be reading it:
  // written beside it and renamed over it, so a reader sees the old file or the new one, never a truncated one.
  const partial = `${paths.config}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await writeFile(partial, text, { mode: 0o600 });
    if (ids) await chown(partial, ids.uid, ids.gid);
    await rename(partial, paths.config);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

function capture(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

/** Spawns a command as the OS user when this process is root (initdb, pg_ctl and pgBackRest refuse root). */
export function asOsUser(osUser: string, cmd: string, args: string[]): [string, string[]] {
  return osUser && process.getuid?.() === 0 ? ['runuser', ['-u', osUser, '--', cmd, ...args]] : [cmd, args];
}

export function runPgBackRest(r: PgBackRestRunner, configPath: string, stanza: string, args: string[], signal?: AbortSignal): Promise<PgBackRestResult> {
  const [cmd, argv] = asOsUser(r.osUser, r.bin, [`--config=${configPath}`, `--stanza=${stanza}`, ...args]);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: r.env, stdio: ['ignore', 'pipe', 'pipe'], signal, killSignal: 'SIGTERM' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error(`${r.bin} not found (install pgbackrest or set DR_PGBACKREST_BIN)`));
      else if (err.name === 'AbortError') resolve({ code: null, stdout, stderr, errors: ['pgbackrest aborted'], ok: false });
      else reject(err);
    });
    child.on('close', (code) => {
      const errors = errorLines(`${stdout}\n${stderr}`);
      resolve({ code, stdout, stderr, errors, ok: code === 0 && errors.length === 0 });
    });
  });
}

/** One line fit for an operator: the first ERROR line, else the last stderr line. */
export function describePgBackRest(command: string, r: PgBackRestResult): string {
  const line = r.errors[0] ?? r.stderr.trim().split('\n').at(-1) ?? '';
  return `pgbackrest ${command} ${r.code === 0 ? 'reported an error' : `exited with code ${r.code}`}${line ? `: ${line.trim()}` : ''}`;
}

export async function stanzaInfo(r: PgBackRestRunner, configPath: string, stanza: string): Promise<StanzaInfo> {
  const res = await runPgBackRest(r, configPath, stanza, ['--output=json', 'info']);
  if (res.code !== 0) throw new Error(describePgBackRest('info', res));
  const info = parseInfo(res.stdout).find((s) => s.name === stanza);
  if (!info) throw new Error(`pgbackrest info: stanza ${stanza} missing from the JSON`);
  return info;
}
