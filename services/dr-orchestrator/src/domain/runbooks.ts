// Runbooks: markdown with a small front matter (title, version, updated). Parsing is pure;
// reading the files is clients/runbook-files.ts.
import { createHash } from 'node:crypto';
import { runbookNotFound } from '../errors.js';

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

/** The runbook with this slug, or a 404 naming it. */
export function findRunbook(runbooks: ReadonlyMap<string, Runbook>, slug: string): Runbook {
  const r = runbooks.get(slug);
  if (!r) throw runbookNotFound(slug);
  return r;
}

export const runbookSummaries = (runbooks: ReadonlyMap<string, Runbook>) =>
  [...runbooks.values()].map((r) => ({ slug: r.slug, title: r.title, version: r.version, updated: r.updated, sha256: r.sha256, href: `/v1/runbooks/${r.slug}` }));
