// pg_restore: the TOC listing (progress denominator) and a parallel restore into a scratch database.
import { describeFailure, runTool } from './run-tool.js';

export async function pgRestoreList(binDir: string, env: Record<string, string>, dir: string): Promise<string> {
  const run = await runTool('pg_restore', ['--list', dir], { binDir, env, captureStdout: true });
  if (run.code !== 0) throw new Error(describeFailure('pg_restore --list', run));
  return run.stdout;
}

export interface RestoreOutcome {
  ok: boolean;
  errorCount: number;
  detail: string;
}

const IGNORED = /errors ignored on restore: (\d+)/;

export async function pgRestore(o: {
  binDir: string;
  env: Record<string, string>;
  dir: string;
  database: string;
  jobs: number;
  onLine: (line: string) => void;
  signal?: AbortSignal;
}): Promise<RestoreOutcome> {
  // Owners and grants are left out so a restore works on any server; the schema check ignores them too.
  const args = [`--jobs=${o.jobs}`, '--verbose', '--no-owner', '--no-privileges', '--no-password', `--dbname=${o.database}`, o.dir];
  const run = await runTool('pg_restore', args, o);
  const ignored = run.tail.map((l) => IGNORED.exec(l)).find(Boolean);
  const errorCount = ignored ? Number(ignored[1]) : run.errors.length;
  if (run.code === 0 && errorCount === 0) return { ok: true, errorCount: 0, detail: 'pg_restore reported no errors' };
  return { ok: false, errorCount: Math.max(errorCount, 1), detail: `${describeFailure('pg_restore', run)}${errorCount > 1 ? ` (${errorCount} errors)` : ''}` };
}
