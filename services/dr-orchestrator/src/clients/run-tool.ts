// Runs a PostgreSQL client tool, streaming its stderr line by line (progress) and keeping
// the lines an operator needs when it fails. Passwords travel in the environment only.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Lines containing "error:" or "FATAL", in order. */
  errors: string[];
  /** The last stderr lines, for context. */
  tail: string[];
}

export interface ToolOptions {
  binDir: string;
  env: Record<string, string>;
  onLine?: (line: string) => void;
  signal?: AbortSignal;
  captureStdout?: boolean;
}

const TAIL = 20;

export function toolPath(binDir: string, tool: string): string {
  return binDir ? path.join(binDir, tool) : tool;
}

export function runTool(tool: string, args: string[], o: ToolOptions): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(toolPath(o.binDir, tool), args, { env: o.env, stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal, killSignal: 'SIGTERM' });
    const errors: string[] = [];
    const tail: string[] = [];
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (o.captureStdout) stdout += chunk.toString('utf8');
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      tail.push(line);
      if (tail.length > TAIL) tail.shift();
      if (/\berror:|FATAL/.test(line) && errors.length < 200) errors.push(line);
      o.onLine?.(line);
    });
    child.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') reject(new Error(`${tool} not found (set DR_PG_BIN_DIR or install the PostgreSQL client)`));
      else if (err.name === 'AbortError') resolve({ code: null, signal: 'SIGTERM', stdout, errors: [...errors, `${tool} aborted`], tail });
      else reject(err);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, errors, tail }));
  });
}

/** One line for an error message: the first error line, else the tail. */
export function describeFailure(tool: string, run: ToolRun): string {
  const first = run.errors[0] ?? run.tail.filter((l) => !/^pg_(dump|restore): (dumping|processing|finished|launching|creating|executing|reading|connecting)/.test(l)).at(-1) ?? '';
  const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
  return `${tool} ${how}${first ? `: ${first}` : ''}`;
}
