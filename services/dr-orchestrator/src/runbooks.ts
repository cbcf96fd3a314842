// Runbooks: markdown files with a small front matter (title, version, updated), loaded once.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Runbook {
  slug: string;
  title: string;
  version: number;
  updated: string;
  sha256: string;
  markdown: string;
}

const FRONT = /^---\n([\s\S]*?)\n---\n/;

export function parseRunbook(slug: string, text: string): Runbook {
  const m = FRONT.exec(text);
  if (!m) throw new Error(`runbook ${slug} has no front matter`);
  const meta = Object.fromEntries(
    m[1]!.split('\n').map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
    }),
  );
  const version = Number(meta.version);
  if (!meta.title || !Number.isInteger(version) || version < 1) throw new Error(`runbook ${slug} needs a title and an integer version`);
  return { slug, title: meta.title, version, updated: meta.updated ?? '', sha256: createHash('sha256').update(text).digest('hex'), markdown: text.slice(m[0].length) };
}

export async function loadRunbooks(dir: string): Promise<Map<string, Runbook>> {
  const out = new Map<string, Runbook>();
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.md')).sort()) {
    const slug = f.slice(0, -3);
    out.set(slug, parseRunbook(slug, await readFile(path.join(dir, f), 'utf8')));
  }
  return out;
}
