import { describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { renderCsv, renderJson, renderXml, type ExportPart } from './export-formats.js';

const header = { requestId: 'r-1', kind: 'portability', generatedAt: '2026-01-01T00:00:00.000Z' };
const tricky = {
  tickets: [
    { id: 1, subject: 'Comma, "quotes" and\nnew lines\r\nCRLF', body: '<script>alert("x")</script> & \'apos\'', vip: true, note: null },
    { id: 2.5, subject: 'ünïcödé 😀 / ~ slash', body: 'bell\u0007 and nul\u0000 chars', vip: false, note: '' },
  ],
  profile: { 'odd/key~name': 'v', 'a"b<c': 'w', empty: {}, none: [] },
};
const parts: ExportPart[] = [
  { service: 'crm', sha256: 'ab'.repeat(32), data: tricky },
  { service: 'billing, "eu"', sha256: null, data: [1, 'two', [3]] },
];

async function render(fn: typeof renderJson): Promise<string> {
  async function* gen() {
    yield* parts;
  }
  let out = '';
  for await (const chunk of fn(header, gen())) out += chunk;
  return out;
}

function unflatten(rows: string[][]): unknown {
  let root: unknown;
  const decode = (t: string) => t.replace(/~1/g, '/').replace(/~0/g, '~');
  for (const [path, type, raw] of rows as [string, string, string][]) {
    const value = type === 'number' ? Number(raw) : type === 'boolean' ? raw === 'true' : type === 'null' ? null : type === 'array' ? [] : type === 'object' ? {} : raw;
    if (path === '') {
      root = value;
      continue;
    }
    const tokens = path.slice(1).split('/').map(decode);
    root ??= /^\d+$/.test(tokens[0]!) ? [] : {};
    let node = root as Record<string, unknown>;
    tokens.forEach((tok, i) => {
      if (i === tokens.length - 1) node[tok] = value;
      else node = (node[tok] ??= /^\d+$/.test(tokens[i + 1]!) ? [] : {}) as Record<string, unknown>;
    });
  }
  return root;
}

type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function decodeXml(node: XmlNode): unknown {
  const tag = Object.keys(node).find((k) => k !== ':@')!;
  const children = node[tag] as XmlNode[];
  const text = () => children.map((c) => String(c['#text'] ?? '')).join('');
  switch (tag) {
    case 'null':
      return null;
    case 'number':
      return Number(text());
    case 'boolean':
      return text() === 'true';
    case 'string':
      return node[':@']?.['@_encoding'] === 'base64' ? Buffer.from(text(), 'base64').toString('utf8') : text();
    case 'array':
      return children.map(decodeXml);
    case 'object':
      return Object.fromEntries(children.map((c) => [c[':@']!['@_name'], decodeXml(c)]));
    default:
      throw new Error(`unexpected element ${tag}`);
  }
}

describe('export formats', () => {
  it('JSON parses and round-trips every part', async () => {
    const doc = JSON.parse(await render(renderJson));
    expect(doc.requestId).toBe('r-1');
    expect(doc.parts).toEqual(parts.map((p) => ({ service: p.service, sha256: p.sha256, data: p.data })));
  });

  it('CSV parses with a real RFC 4180 parser and round-trips', async () => {
    const text = await render(renderCsv);
    const rows = parseCsv(text, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual(['service', 'path', 'type', 'value']);
    for (const p of parts) {
      const mine = rows.slice(1).filter((r) => r[0] === p.service).map((r) => r.slice(1));
      expect(unflatten(mine)).toEqual(p.data);
    }
  });

  it('XML is well-formed, escaped and round-trips (control characters as base64)', async () => {
    const text = await render(renderXml);
    expect(XMLValidator.validate(text)).toBe(true);
    expect(text).not.toContain('<script>');
    const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: true });
    const doc = parser.parse(text) as XmlNode[];
    const exportNode = doc.find((n) => 'export' in n)!;
    expect(exportNode[':@']!['@_requestId']).toBe('r-1');
    const partNodes = exportNode.export as XmlNode[];
    expect(partNodes.map((p) => p[':@']!['@_service'])).toEqual(parts.map((p) => p.service));
    partNodes.forEach((p, i) => expect(decodeXml((p.part as XmlNode[])[0]!)).toEqual(parts[i]!.data));
  });
});
