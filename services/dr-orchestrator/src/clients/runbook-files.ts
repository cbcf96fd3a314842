// Reads the runbook folder once at boot (markdown files shipped with the service).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseRunbook, type Runbook } from '../domain/runbooks.js';

export async function loadRunbooks(dir: string): Promise<Map<string, Runbook>> {
  const out = new Map<string, Runbook>();
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.md')).sort()) {
    const slug = f.slice(0, -3);
    out.set(slug, parseRunbook(slug, await readFile(path.join(dir, f), 'utf8')));
  }
  return out;
}
