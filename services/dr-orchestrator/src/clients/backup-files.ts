// The backup repository on the local filesystem: <root>/<policyId>/<backupId>/{dump/, manifest.json}.
// A backup is written under .partial-<id>, checksummed, fsynced and renamed into place, so a
// directory without the prefix is always whole; anything with it is debris from a crash.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Check, SnapshotFacts } from '../domain/facts.js';
import { OperationError } from '../errors.js';

export const MANIFEST = 'manifest.json';
export const DUMP_DIR = 'dump';
const PARTIAL = '.partial-';

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: 'vigil-dr-manifest/1';
  backupId: string;
  policyId: string;
  database: string;
  method: 'pg_dump-directory';
  createdAt: string;
  files: ManifestFile[];
  facts: SnapshotFacts;
}

export const policyDir = (root: string, policyId: string) => path.join(root, policyId);
export const partialDir = (root: string, policyId: string, backupId: string) => path.join(root, policyId, `${PARTIAL}${backupId}`);
export const finalDir = (root: string, policyId: string, backupId: string) => path.join(root, policyId, backupId);

function explain(err: unknown, what: string): OperationError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOSPC') return new OperationError(`${what}: the repository disk is full (ENOSPC)`);
  if (e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS' || e.code === 'ENOTDIR' || e.code === 'EEXIST')
    return new OperationError(`${what}: repository is not writable (${e.code}: ${e.message})`);
  return new OperationError(`${what}: ${e.message}`);
}

/** Creates the policy folder and proves it takes a durable write before pg_dump starts. */
export async function probeRepository(root: string, policyId: string): Promise<string> {
  const dir = policyDir(root, policyId);
  try {
    await mkdir(dir, { recursive: true });
    const probe = path.join(dir, `.probe-${randomBytes(6).toString('hex')}`);
    const fh = await open(probe, 'w');
    try {
      await fh.writeFile('vigil');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await unlink(probe);
    return dir;
  } catch (err) {
    throw explain(err, `cannot write to backup repository ${root}`);
  }
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function sha256File(p: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(p)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.posix.join(rel, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(dir, r)));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

/**
 * Checksums and fsyncs every dump file, writes and fsyncs the manifest, fsyncs the folders,
 * then renames the partial folder into place and fsyncs the parent. Only after this returns
 * may the backup be marked completed.
 */
export async function sealBackup(
  root: string,
  meta: Omit<Manifest, 'format' | 'files' | 'createdAt'>,
): Promise<{ path: string; sizeBytes: number; fileCount: number; manifestSha256: string }> {
  const partial = partialDir(root, meta.policyId, meta.backupId);
  const final = finalDir(root, meta.policyId, meta.backupId);
  try {
    const dumpDir = path.join(partial, DUMP_DIR);
    const files: ManifestFile[] = [];
    for (const rel of await listFiles(dumpDir)) {
      const abs = path.join(dumpDir, rel);
      files.push({ path: path.posix.join(DUMP_DIR, rel), ...(await sha256File(abs)) });
      await fsyncPath(abs);
    }
    const manifest: Manifest = { format: 'vigil-dr-manifest/1', ...meta, createdAt: new Date().toISOString(), files };
    const body = JSON.stringify(manifest, null, 1);
    const fh = await open(path.join(partial, MANIFEST), 'w');
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsyncPath(dumpDir);
    await fsyncPath(partial);
    await rename(partial, final);
    await fsyncPath(path.dirname(final));
    return {
      path: final,
      sizeBytes: files.reduce((n, f) => n + f.bytes, 0) + Buffer.byteLength(body),
      fileCount: files.length,
      manifestSha256: createHash('sha256').update(body).digest('hex'),
    };
  } catch (err) {
    throw explain(err, 'sealing the backup failed');
  }
}

/** Re-hashes every file against the manifest (and the manifest against the hash recorded at backup). */
export async function verifyFiles(dir: string, expectedManifestSha256: string | null): Promise<Check> {
  let body: string;
  try {
    body = await readFile(path.join(dir, MANIFEST), 'utf8');
  } catch (err) {
    return { name: 'manifest', outcome: 'failed', detail: `manifest unreadable: ${(err as Error).message}` };
  }
  const problems: string[] = [];
  if (expectedManifestSha256 && createHash('sha256').update(body).digest('hex') !== expectedManifestSha256) problems.push('manifest.json changed since the backup');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(body) as Manifest;
  } catch {
    return { name: 'manifest', outcome: 'failed', detail: 'manifest.json is not valid JSON' };
  }
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of manifest.files) {
    try {
      const got = await sha256File(path.join(dir, f.path));
      if (got.bytes !== f.bytes) problems.push(`${f.path}: size ${got.bytes}, expected ${f.bytes}`);
      else if (got.sha256 !== f.sha256) problems.push(`${f.path}: SHA-256 mismatch`);
    } catch {
      problems.push(`${f.path}: missing`);
    }
  }
  try {
    for (const rel of await listFiles(path.join(dir, DUMP_DIR))) {
      const p = path.posix.join(DUMP_DIR, rel);
      if (!listed.has(p)) problems.push(`${p}: not in manifest`);
    }
  } catch {
    problems.push('dump folder missing');
  }
  return problems.length
    ? { name: 'manifest', outcome: 'failed', detail: problems.slice(0, 5).join('; ') + (problems.length > 5 ? ` (+${problems.length - 5} more)` : '') }
    : { name: 'manifest', outcome: 'passed', detail: `${manifest.files.length} files match their SHA-256` };
}

/** Removes crash debris (partial folders and probes) of one policy; the caller holds the policy lock. */
export async function removePartials(root: string, policyId: string): Promise<string[]> {
  const dir = policyDir(root, policyId);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const e of entries) {
    if (e.startsWith(PARTIAL) || e.startsWith('.probe-')) {
      // A dying pg_dump may still add a file while the folder goes; retry rather than fail the run.
      await rm(path.join(dir, e), { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      removed.push(e);
    }
  }
  return removed;
}

export async function removeBackupDir(p: string): Promise<void> {
  await rm(p, { recursive: true, force: true });
}

export async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

export async function prepareDumpTarget(root: string, policyId: string, backupId: string): Promise<string> {
  const partial = partialDir(root, policyId, backupId);
  try {
    await mkdir(partial, { recursive: false });
    // pg_dump creates the dump folder itself and refuses an existing non-empty one.
    await writeFile(path.join(partial, 'backup-id'), backupId);
  } catch (err) {
    throw explain(err, `cannot create ${partial}`);
  }
  return path.join(partial, DUMP_DIR);
}
