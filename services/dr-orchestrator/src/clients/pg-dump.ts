// pg_dump in directory format with parallel jobs, sharing an exported snapshot.
import { describeFailure, runTool, type ToolRun } from './run-tool.js';

export interface DumpOptions {
  binDir: string;
  env: Record<string, string>;
  dir: string;
  jobs: number;
  snapshot: string;
  onLine: (line: string) => void;
  signal?: AbortSignal;
}

export async function pgDump(o: DumpOptions): Promise<ToolRun> {
  const args = ['--format=directory', `--jobs=${o.jobs}`, `--snapshot=${o.snapshot}`, '--verbose', '--no-password', `--file=${o.dir}`];
  const run = await runTool('pg_dump', args, { binDir: o.binDir, env: o.env, onLine: o.onLine, signal: o.signal });
  if (run.code !== 0) throw new Error(describeFailure('pg_dump', run));
  return run;
}
