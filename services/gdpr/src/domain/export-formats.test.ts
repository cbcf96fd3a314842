import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { neutraliseFormula, renderCsv, renderJson, renderXml, type ExportPart, type RenderOptions } from './export-formats.js';

const header = { requestId: 'r-1', kind: 'portability', generatedAt: '2026-01-01T00:00:00.000Z' };
const tricky = {
  tickets: [
    { id: 1, subject: 'Comma, "quotes" and\nnew lines\r\nCRLF', body: '<script>alert("x")</script> & \'apos\'', vip: true, note: null },
    { id: 2.5, subject: 'ünïcödé 😀 / ~ slash', body: 'bell\u0007 and nul\u0000 chars', vip: false, note: '' },
  ],
  profile: { 'odd/key~name': 'v', 'a"b<c': 'w', 'tab\tnew\nline\rcr': 'x', '0': 'not an index', empty: {}, none: [] },
  formulas: ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', "'quoted", -3],
};
const fixed: ExportPart[] = [
  { service: 'crm', sha256: 'ab'.repeat(32), data: tricky },
  { service: 'billing, "eu"', sha256: null, data: [1, 'two', [3]] },
];

async function render(fn: typeof renderJson, parts: ExportPart[], options: RenderOptions = {}): Promise<string> {
  async function* gen() {
    yield* parts;
  }
  let out = '';
  for await (const chunk of fn(header, gen(), options)) out += chunk;
  return out;
}

const setOwn = (o: Record<string, unknown>, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });

/** The CSV reader a consumer writes: undo the neutralisation (unless raw), then rebuild from the pointer rows. */
function readCsv(text: string, raw = false): Map<string, unknown> {
  // csv-parse is strict by default: a stray quote, an unterminated field or a ragged row throws.
  const rows = parseCsv(text, { relax_column_count: false, relax_quotes: false, skip_empty_lines: false }) as string[][];
  expect(rows[0]).toEqual(['service', 'path', 'type', 'value']);
  const unquote = (v: string) => (raw || !v.startsWith("'") ? v : v.slice(1));
  const decode = (t: string) => t.replace(/~1/g, '/').replace(/~0/g, '~');
  const roots = new Map<string, unknown>();
  for (const row of rows.slice(1)) {
    const [service, path, type, cell] = [unquote(row[0]!), unquote(row[1]!), row[2]!, row[3]!];
    const raw = type === 'number' ? cell : unquote(cell);
    const value = type === 'number' ? Number(raw) : type === 'boolean' ? raw === 'true' : type === 'null' ? null : type === 'array' ? [] : type === 'object' ? {} : raw;
    if (path === '') {
      roots.set(service, value);
      continue;
    }
    const tokens = path.slice(1).split('/').map(decode);
    let node = roots.get(service) as Record<string, unknown>;
    for (const tok of tokens.slice(0, -1)) node = node[tok] as Record<string, unknown>;
    setOwn(node, tokens.at(-1)!, value);
  }
  return roots;
}

type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };
const fromBase64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

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
      return node[':@']?.['@_encoding'] === 'base64' ? fromBase64(text()) : text();
    case 'array':
      return children.map(decodeXml);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const c of children) {
        const a = c[':@']!;
        setOwn(out, a['@_name-encoding'] === 'base64' ? fromBase64(a['@_name']!) : a['@_name']!, decodeXml(c));
      }
      return out;
    }
    default:
      throw new Error(`unexpected element ${tag}`);
  }
}

function readXmlWithFastXmlParser(text: string): { service: string; data: unknown }[] {
  expect(XMLValidator.validate(text)).toBe(true);
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false, parseAttributeValue: false, trimValues: false, processEntities: true, htmlEntities: true });
  const exportNode = (parser.parse(text) as XmlNode[]).find((n) => 'export' in n)!;
  return (exportNode.export as XmlNode[]).map((p) => ({ service: p[':@']!['@_service']!, data: decodeXml((p.part as XmlNode[])[0]!) }));
}

// fast-xml-parser is lenient: it neither normalises attribute whitespace nor line ends, nor rejects
// characters XML forbids. Python's expat does all three as XML 1.0 says, so it is the strict check.
const EXPAT = String.raw`
import sys, json, base64, xml.etree.ElementTree as ET
b64 = lambda s: base64.b64decode(s).decode('utf-8')
def dec(e):
    t = e.tag
    if t == 'null': return None
    if t == 'number': return json.loads(e.text)
    if t == 'boolean': return e.text == 'true'
    if t == 'string': return b64(e.text or '') if e.get('encoding') == 'base64' else (e.text or '')
    if t == 'array': return [dec(c) for c in e]
    if t == 'object': return {(b64(c.get('name')) if c.get('name-encoding') == 'base64' else c.get('name')): dec(c) for c in e}
    raise ValueError('unexpected element ' + t)
out = []
for doc in json.load(sys.stdin):
    root = ET.fromstring(doc.encode('utf-8'))
    out.append([{'service': p.get('service'), 'data': dec(p[0])} for p in root])
print(json.dumps(out))
`;

function readXmlWithExpat(docs: string[]): { service: string; data: unknown }[][] {
  return JSON.parse(execFileSync('python3', ['-c', EXPAT], { input: JSON.stringify(docs), maxBuffer: 256 * 2 ** 20 }).toString()) as { service: string; data: unknown }[][];
}

// Strings built to hurt: any code point, controls (NUL, TAB, LF, CR), XML and CSV syntax, JSON
// pointer syntax, formula starters, and digit-only keys that look like array indexes.
const unit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\t', '\n', '\r', '\r\n', '=', '+', '-', '@', "'", '"', ',', '<', '>', '&', '/', '~', '~0', '~1', '0', '7', ' ', '\ufffe', '\uffff', '\u2028', '\u00a0'),
);
const jsonString = fc.string({ unit, maxLength: 12 });
const jsonData = fc.jsonValue({ maxDepth: 3, stringUnit: unit }).chain((v) => fc.oneof(fc.constant(v), fc.dictionary(jsonString, fc.jsonValue({ maxDepth: 2, stringUnit: unit }), { maxKeys: 5 })))
  // What a part holds after a JSON round trip (PostgreSQL jsonb): -0 is 0, no undefined.
  .map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const partsArb = fc.array(fc.record({ service: fc.constantFrom('crm', 'billing', 'gdpr', 'svc "a", <b>', '=svc', '-svc'), sha256: fc.constant(null), data: jsonData }), { minLength: 1, maxLength: 3 });

const byService = (parts: ExportPart[]) => new Map(parts.map((p) => [p.service, p.data]));
/** Parts with distinct services, as an export has (one part per service). */
const distinct = (parts: ExportPart[]) => [...byService(parts)].map(([service, data]) => ({ service, sha256: null, data }));

describe('export formats', () => {
  it('JSON parses and round-trips every part', async () => {
    const doc = JSON.parse(await render(renderJson, fixed));
    expect(doc.requestId).toBe('r-1');
    expect(doc.parts).toEqual(fixed.map((p) => ({ service: p.service, sha256: p.sha256, data: p.data })));
  });

  it('CSV parses with a strict RFC 4180 parser and round-trips, raw or neutralised', async () => {
    for (const raw of [false, true]) expect(readCsv(await render(renderCsv, fixed, { raw }), raw)).toEqual(byService(fixed));
  });

  it('CSV neutralises formulas by default: =, +, -, @, TAB, CR (and apostrophe) first get an apostrophe; numbers and raw exports are left alone', async () => {
    const rows = parseCsv(await render(renderCsv, fixed)) as string[][];
    const values = rows.filter((r) => r[1]!.startsWith('/formulas/')).map((r) => r[3]);
    expect(values).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "''quoted", '-3']);
    const rawRows = parseCsv(await render(renderCsv, fixed, { raw: true })) as string[][];
    expect(rawRows.filter((r) => r[1]!.startsWith('/formulas/')).map((r) => r[3])).toEqual(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', "'quoted", '-3']);
    expect(['a=1', 'x', '', '1-2'].map(neutraliseFormula)).toEqual(['a=1', 'x', '', '1-2']);
  });

  it('no default CSV cell starts with a formula character, for any string', async () => {
    await fc.assert(
      fc.asyncProperty(partsArb, async (parts) => {
        const rows = parseCsv(await render(renderCsv, distinct(parts))) as string[][];
        for (const r of rows.slice(1)) for (const cell of r[2] === 'number' ? r.slice(0, 2) : r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 300 },
    );
  });

  it('XML is well-formed, escaped and round-trips (control characters as base64; TAB/LF/CR in keys as references)', async () => {
    const text = await render(renderXml, fixed);
    expect(text).not.toContain('<script>');
    expect(text).toContain('name="tab&#9;new&#10;line&#13;cr"');
    expect(readXmlWithFastXmlParser(text)).toEqual(fixed.map((p) => ({ service: p.service, data: p.data })));
    expect(readXmlWithExpat([text])[0]).toEqual(fixed.map((p) => ({ service: p.service, data: p.data })));
  });

  it('every JSON string, in keys and values, round-trips exactly through JSON, CSV (neutralised and raw) and XML (strict parser)', async () => {
    const xmlDocs: { doc: string; parts: ExportPart[] }[] = [];
    await fc.assert(
      fc.asyncProperty(partsArb, async (generated) => {
        const parts = distinct(generated);
        const expected = byService(parts);
        expect(new Map((JSON.parse(await render(renderJson, parts)).parts as ExportPart[]).map((p) => [p.service, p.data]))).toEqual(expected);
        expect(readCsv(await render(renderCsv, parts))).toEqual(expected);
        expect(readCsv(await render(renderCsv, parts, { raw: true }), true)).toEqual(expected);
        const doc = await render(renderXml, parts);
        expect(readXmlWithFastXmlParser(doc)).toEqual(parts.map((p) => ({ service: p.service, data: p.data })));
        xmlDocs.push({ doc, parts });
      }),
      { numRuns: 400 },
    );
    // One expat process for every generated document.
    const parsed = readXmlWithExpat(xmlDocs.map((d) => d.doc));
    parsed.forEach((got, i) => expect(got, `document ${i}: ${JSON.stringify(xmlDocs[i]!.doc)}`).toEqual(xmlDocs[i]!.parts.map((p) => ({ service: p.service, data: p.data }))));
  });
});
