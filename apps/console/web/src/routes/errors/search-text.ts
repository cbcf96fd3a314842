// The issue stream's search box, Sentry-style: `is:resolved level:error release:shop@1.2 env:prod
// region:eu free text`. Tokens become the URL's filter params and back; words left over search titles.
import { LEVELS, STATUSES, type StreamSearch } from './routes';

type Filters = Pick<StreamSearch, 'status' | 'view' | 'level' | 'release' | 'environment' | 'tag' | 'query'>;

const quote = (v: string) => (/\s/.test(v) ? `"${v.replace(/"/g, '')}"` : v);

export function composeSearch(f: Filters): string {
  const parts: string[] = [];
  if (f.status && f.status !== 'unresolved') parts.push(`is:${f.status}`);
  if (f.view) parts.push(`is:${f.view}`);
  if (f.level) parts.push(`level:${f.level}`);
  if (f.release) parts.push(`release:${quote(f.release)}`);
  if (f.environment) parts.push(`environment:${quote(f.environment)}`);
  if (f.tag) {
    const at = f.tag.indexOf(':');
    parts.push(`${f.tag.slice(0, at)}:${quote(f.tag.slice(at + 1))}`);
  }
  if (f.query) parts.push(f.query);
  return parts.join(' ');
}

/** Parses the box; unknown `key:value` pairs are tag filters (the last one wins: the API takes one). */
export function parseSearch(text: string): Filters & { errors: string[] } {
  const out: Filters & { errors: string[] } = { errors: [] };
  const words: string[] = [];
  for (const m of text.matchAll(/([\w.-]+):("[^"]*"|\S+)|(\S+)/g)) {
    if (m[3]) {
      words.push(m[3]);
      continue;
    }
    const key = m[1]!.toLowerCase();
    const value = m[2]!.replace(/^"|"$/g, '');
    if (key === 'is') {
      if (value === 'new' || value === 'regressed') out.view = value;
      else if ((STATUSES as readonly string[]).includes(value)) out.status = value as Filters['status'];
      else out.errors.push(`is:${value} — use is:unresolved, resolved, ignored, all, new or regressed`);
    } else if (key === 'level') {
      if ((LEVELS as readonly string[]).includes(value)) out.level = value;
      else out.errors.push(`level:${value} — use ${LEVELS.join(', ')}`);
    } else if (key === 'release') out.release = value;
    else if (key === 'environment' || key === 'env') out.environment = value;
    else out.tag = `${m[1]}:${value}`;
  }
  if (words.length) out.query = words.join(' ');
  return out;
}
