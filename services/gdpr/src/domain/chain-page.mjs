// One page of the audit chain checked straight from its bytes: no object and no string per
// entry, one SHA-256 call per entry. Plain JavaScript so that a worker thread can load it as is
// (src/domain/chain-page-worker.mjs); types in chain-page.d.mts. The page holds consecutive
// entries in PostgreSQL's binary tuple layout (int16 field count 4, then per field an int32
// length and the bytes): seq int8, prev_hash text, hash text, content text.
import { createHash, hash as oneShotHash } from 'node:crypto';

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const NL = 0x0a;

/** sha256 of bytes as a Buffer; crypto.hash (Node >= 20.12) avoids a Hash object per entry. */
const sha256 =
  typeof oneShotHash === 'function' ? (bytes) => oneShotHash('sha256', bytes, 'buffer') : (bytes) => createHash('sha256').update(bytes).digest();

/** True when the 32-byte digest, in lower-case hex, equals buf[at, at + len). */
function digestEqualsHex(digest, buf, at, len) {
  if (len !== 64) return false;
  for (let i = 0; i < 32; i++) {
    const d = digest[i];
    if (buf[at + 2 * i] !== HEX[d >> 4] || buf[at + 2 * i + 1] !== HEX[d & 15]) return false;
  }
  return true;
}

function bytesEqual(buf, a, aLen, b, bLen) {
  if (aLen !== bLen) return false;
  for (let i = 0; i < aLen; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

/** Writes the decimal digits of a non-negative safe integer at `at`; returns the end. */
function writeDecimal(out, at, n) {
  if (n === 0) {
    out[at] = 0x30;
    return at + 1;
  }
  let digits = 0;
  for (let m = n; m >= 1; m = Math.floor(m / 10)) digits++;
  for (let i = digits - 1, m = n; i >= 0; i--, m = Math.floor(m / 10)) out[at + i] = 0x30 + (m % 10);
  return at + digits;
}

let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * Checks the entries of one page against each other: consecutive seq, each prev_hash equal to
 * the previous entry's hash, each hash equal to sha256(prev_hash + "\n" + seq + "\n" + content).
 * The first entry's seq and prev_hash are left to the caller (they join this page to the one
 * before). Stops at the first broken entry. `wanted`: seqs (ascending) whose stored hash to return.
 */
export function verifyChainPage(page, wanted = []) {
  const buf = Buffer.isBuffer(page) ? page : Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const result = { count: 0, checked: 0, firstSeq: 0, firstPrev: '', lastSeq: 0, lastHash: '', broken: null, stored: [] };
  let w = 0;
  let p = 0;
  let lastSeq = 0;
  let lastHashAt = 0;
  let lastHashLen = 0;
  while (p < buf.length) {
    const fields = buf.readInt16BE(p);
    if (fields !== 4) throw new Error(`chain page: expected 4 fields per entry, found ${fields}`);
    p += 2;
    if (buf.readInt32BE(p) !== 8) throw new Error('chain page: seq must be an int8');
    const seq = buf.readUInt32BE(p + 4) * 4294967296 + buf.readUInt32BE(p + 8);
    p += 12;
    const prevLen = buf.readInt32BE(p);
    const prevAt = p + 4;
    p = prevAt + prevLen;
    const hashLen = buf.readInt32BE(p);
    const hashAt = p + 4;
    p = hashAt + hashLen;
    const contentLen = buf.readInt32BE(p);
    const contentAt = p + 4;
    p = contentAt + contentLen;
    const index = result.count++;
    if (result.broken) continue;

    if (index === 0) {
      result.firstSeq = seq;
      result.firstPrev = buf.utf8Slice(prevAt, prevAt + prevLen);
    } else if (seq !== lastSeq + 1) {
      result.broken = { seq: lastSeq + 1, reason: 'sequence-gap', expected: String(lastSeq + 1), found: String(seq) };
      continue;
    } else if (!bytesEqual(buf, prevAt, prevLen, lastHashAt, lastHashLen)) {
      result.broken = { seq, reason: 'prev-hash-mismatch', expected: buf.latin1Slice(lastHashAt, lastHashAt + lastHashLen), found: buf.utf8Slice(prevAt, prevAt + prevLen) };
      continue;
    }

    // The hashed text: prev_hash, "\n", seq in decimal, "\n", content (all UTF-8 as stored).
    const need = prevLen + contentLen + 24;
    if (need > scratch.length) scratch = Buffer.allocUnsafe(need * 2);
    buf.copy(scratch, 0, prevAt, prevAt + prevLen);
    let q = prevLen;
    scratch[q++] = NL;
    q = writeDecimal(scratch, q, seq);
    scratch[q++] = NL;
    buf.copy(scratch, q, contentAt, contentAt + contentLen);
    const digest = sha256(scratch.subarray(0, q + contentLen));
    if (!digestEqualsHex(digest, buf, hashAt, hashLen)) {
      result.broken = { seq, reason: 'hash-mismatch', expected: digest.toString('hex'), found: buf.utf8Slice(hashAt, hashAt + hashLen) };
      continue;
    }

    while (w < wanted.length && wanted[w] < seq) w++;
    if (w < wanted.length && wanted[w] === seq) result.stored.push({ seq, hash: buf.latin1Slice(hashAt, hashAt + hashLen) });
    result.checked++;
    lastSeq = seq;
    lastHashAt = hashAt;
    lastHashLen = hashLen;
  }
  if (result.checked) {
    result.lastSeq = lastSeq;
    result.lastHash = buf.latin1Slice(lastHashAt, lastHashAt + lastHashLen);
  }
  return result;
}
