// Portable export renderers (Art. 20): JSON, CSV and XML, written part by part as a stream
// of chunks so an export is never built in memory as a whole. Each format round-trips every
// string (keys and values) exactly; CSV does so after undoing its formula neutralisation.
export interface ExportPart {
  service: string;
  sha256: string | null;
  data: unknown;
}

export interface ExportHeader {
  requestId: string;
  kind: string;
  generatedAt: string;
}

export type ExportFormat = 'json' | 'csv' | 'xml';

export interface RenderOptions {
  /** CSV only: no formula neutralisation (for machine consumers). */
  raw?: boolean;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
};

export async function* renderJson(header: ExportHeader, parts: AsyncIterable<ExportPart>, _options: RenderOptions = {}): AsyncGenerator<string> {
  yield `{"requestId":${JSON.stringify(header.requestId)},"kind":${JSON.stringify(header.kind)},"generatedAt":${JSON.stringify(header.generatedAt)},"parts":[`;
  let first = true;
  for await (const p of parts) {
    yield `${first ? '' : ','}{"service":${JSON.stringify(p.service)},"sha256":${JSON.stringify(p.sha256)},"data":${JSON.stringify(p.data ?? null)}}`;
    first = false;
  }
  yield ']}';
}

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * How a default (non-raw) CSV export neutralises formulas, as the manifest states it: a text cell
 * (service, path, and values of every type but number) that starts with =, +, -, @, TAB or CR, or
 * with an apostrophe, gets an apostrophe prepended. A reader removes one leading apostrophe from
 * such cells to get the exact string back.
 */
export const CSV_FORMULA_RULE =
  "a cell that starts with =, +, -, @, TAB, CR or an apostrophe gets an apostrophe (') prepended, except values of type number; remove one leading apostrophe from every non-number cell to get the exact value back";

export function neutraliseFormula(v: string): string {
  return FORMULA_START.test(v) || v.startsWith("'") ? `'${v}` : v;
}

const pointerToken = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * A JSON value as rows of (RFC 6901 pointer, type, value), depth first. Every container has its
 * own row (type `object` or `array`, empty value) before its members, so a reader knows whether
 * the token `0` is an array index or an object key.
 */
export function* flatten(value: unknown, path = ''): Generator<[string, string, string]> {
  if (value === null || value === undefined) yield [path, 'null', ''];
  else if (Array.isArray(value)) {
    yield [path, 'array', ''];
    for (const [i, v] of value.entries()) yield* flatten(v, `${path}/${i}`);
  } else if (typeof value === 'object') {
    yield [path, 'object', ''];
    for (const k of Object.keys(value as object)) yield* flatten((value as Record<string, unknown>)[k], `${path}/${pointerToken(k)}`);
  } else yield [path, typeof value, String(value)];
}

export async function* renderCsv(_header: ExportHeader, parts: AsyncIterable<ExportPart>, options: RenderOptions = {}): AsyncGenerator<string> {
  const text = options.raw ? (v: string) => v : neutraliseFormula;
  yield 'service,path,type,value\r\n';
  for await (const p of parts) {
    let chunk = '';
    const service = csvField(text(p.service));
    for (const [path, type, value] of flatten(p.data)) {
      chunk += `${service},${csvField(text(path))},${type},${csvField(type === 'number' ? value : text(value))}\r\n`;
      if (chunk.length > 64_000) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
}

// XML 1.0 cannot carry most control characters, even escaped: such strings travel as base64.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Escaped for element content and attribute values alike. TAB, LF and CR are character
 * references: a parser normalises them to spaces in attribute values (XML 1.0 §3.3.3) and CR/CRLF
 * to LF in content (§2.11); references survive both.
 */
export function xmlEscape(v: string): string {
  return v
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function xmlString(v: string, attrs = ''): string {
  if (XML_INVALID.test(v)) return `<string${attrs} encoding="base64">${Buffer.from(v, 'utf8').toString('base64')}</string>`;
  return `<string${attrs}>${xmlEscape(v)}</string>`;
}

export function xmlValue(value: unknown, attrs = ''): string {
  if (value === null || value === undefined) return `<null${attrs}/>`;
  if (typeof value === 'string') return xmlString(value, attrs);
  if (typeof value === 'number') return `<number${attrs}>${value}</number>`;
  if (typeof value === 'boolean') return `<boolean${attrs}>${value}</boolean>`;
  if (Array.isArray(value)) return `<array${attrs}>${value.map((v) => xmlValue(v)).join('')}</array>`;
  const obj = value as Record<string, unknown>;
  return `<object${attrs}>${Object.keys(obj)
    .map((k) => xmlValue(obj[k], XML_INVALID.test(k) ? ` name="${Buffer.from(k).toString('base64')}" name-encoding="base64"` : ` name="${xmlEscape(k)}"`))
    .join('')}</object>`;
}

export async function* renderXml(header: ExportHeader, parts: AsyncIterable<ExportPart>, _options: RenderOptions = {}): AsyncGenerator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<export requestId="${xmlEscape(header.requestId)}" kind="${xmlEscape(header.kind)}" generatedAt="${xmlEscape(header.generatedAt)}">`;
  for await (const p of parts) {
    yield `<part service="${xmlEscape(p.service)}"${p.sha256 ? ` sha256="${p.sha256}"` : ''}>${xmlValue(p.data)}</part>`;
  }
  yield '</export>\n';
}

export const RENDERERS: Record<ExportFormat, (h: ExportHeader, p: AsyncIterable<ExportPart>, o?: RenderOptions) => AsyncGenerator<string>> = {
  json: renderJson,
  csv: renderCsv,
  xml: renderXml,
};
