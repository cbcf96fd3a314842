// HTTP/1.1 over a plain loopback socket: the fuzzer writes request bytes itself (so header values
// can carry control and non-Latin-1 bytes that Node's client would refuse) and parses the answer
// strictly — a malformed status line, header or framing is a failure, not something to tolerate.
import { connect } from 'node:net';
import { STATUS_CODES } from 'node:http';

export interface WireRequest {
  method: string;
  path: string;
  headers: [string, string][];
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a response header value may hold here: visible ASCII, space and tab. No CR, LF, NUL or obs-text. */
export const SAFE_HEADER_VALUE = /^[\t\x20-\x7e]*$/;

/** Header value bytes as sent: UTF-8 of the generated text, minus CR and LF (those would split our own request). */
const valueBytes = (v: string) => Buffer.from(v.replace(/[\r\n]/g, ''), 'utf8');

export function encodeRequest(r: WireRequest): Buffer {
  const head: Buffer[] = [Buffer.from(`${r.method} ${r.path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n`, 'latin1')];
  for (const [name, value] of r.headers) head.push(Buffer.from(`${name}: `, 'latin1'), valueBytes(value), Buffer.from('\r\n'));
  head.push(Buffer.from(`content-length: ${r.body.length}\r\n\r\n`, 'latin1'));
  return Buffer.concat([...head, r.body]);
}

export function send(port: number, r: WireRequest, timeoutMs = 15_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms (got ${Buffer.concat(chunks).length} bytes)`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    // The server may answer (413, 400) and close before it has read the whole body: EPIPE / ECONNRESET
    // after an answer is normal; without any answer it is a failure.
    socket.on('error', (err) => {
      if (!chunks.length) {
        clearTimeout(timer);
        reject(err);
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    // write, not end: Node's server drops a request whose client half-closed before the answer
    // (httpAllowHalfOpen is off), and real clients keep their side open until the answer.
    socket.write(encodeRequest(r));
  });
}

/** Strict parse of one HTTP/1.1 response; throws with a reason when anything is malformed. */
export function parseResponse(raw: Buffer, method: string): WireResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no end of header section in ${raw.length} bytes: ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))}`);
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const statusLine = lines.shift()!;
  const m = /^HTTP\/1\.1 ([1-5]\d\d) ([\t\x20-\x7e]*)$/.exec(statusLine);
  if (!m) throw new Error(`malformed status line ${JSON.stringify(statusLine)}`);
  const status = Number(m[1]);
  if (STATUS_CODES[status] && m[2] !== STATUS_CODES[status]) throw new Error(`status line ${JSON.stringify(statusLine)}: reason should be ${STATUS_CODES[status]}`);
  const headers: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`malformed header line ${JSON.stringify(line)}`);
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (!TOKEN.test(name)) throw new Error(`header name ${JSON.stringify(name)} is not a token`);
    if (!SAFE_HEADER_VALUE.test(value)) throw new Error(`header ${name} has unsafe value ${JSON.stringify(value)}`);
    headers.push([name.toLowerCase(), value]);
  }
  const get = (n: string) => headers.filter(([k]) => k === n).map(([, v]) => v);
  const rest = raw.subarray(end + 4);
  const lengths = get('content-length');
  const te = get('transfer-encoding');
  if (lengths.length > 1) throw new Error(`${lengths.length} content-length headers`);
  if (lengths.length && te.length) throw new Error('both content-length and transfer-encoding');
  let body = rest;
  const noBody = method === 'HEAD' || status === 204 || status === 304 || status < 200;
  if (te.length) {
    if (te.join(',').toLowerCase() !== 'chunked') throw new Error(`transfer-encoding ${te.join(',')}`);
    body = dechunk(rest);
  } else if (lengths.length) {
    if (!/^\d+$/.test(lengths[0]!)) throw new Error(`content-length ${lengths[0]}`);
    const n = Number(lengths[0]);
    if (!noBody && rest.length !== n) throw new Error(`content-length ${n} but ${rest.length} body bytes`);
  } else if (noBody && rest.length) throw new Error(`${rest.length} body bytes on a ${status}`);
  return { status, headers, body };
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', at);
    if (eol < 0) throw new Error('chunked body: missing chunk size line');
    const size = b.subarray(at, eol).toString('latin1').split(';')[0]!;
    if (!/^[0-9a-fA-F]+$/.test(size)) throw new Error(`chunked body: bad size ${JSON.stringify(size)}`);
    const n = parseInt(size, 16);
    at = eol + 2;
    if (n === 0) {
      if (!b.subarray(at).toString('latin1').endsWith('\r\n')) throw new Error('chunked body: bad trailer');
      return Buffer.concat(out);
    }
    if (b.length < at + n + 2 || b.subarray(at + n, at + n + 2).toString('latin1') !== '\r\n') throw new Error('chunked body: truncated chunk');
    out.push(b.subarray(at, at + n));
    at += n + 2;
  }
}
