// A chain page checked from its bytes gives the same verdicts as ChainVerifier over the same
// entries, including non-ASCII content (hashed as its UTF-8 bytes, like entryHash).
import { describe, expect, it } from 'vitest';
import { ChainVerifier, entryHash, GENESIS_HASH, type ChainEntry } from './audit-chain.js';
import { verifyChainPage } from './chain-page.mjs';

/** Entries in PostgreSQL's binary tuple layout: int16 4, then int32 length + bytes of seq (int8), prev_hash, hash, content. */
function page(entries: readonly ChainEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const head = Buffer.alloc(2 + 4 + 8);
    head.writeInt16BE(4, 0);
    head.writeInt32BE(8, 2);
    head.writeBigInt64BE(BigInt(e.seq), 6);
    parts.push(head);
    for (const text of [e.prevHash, e.hash, e.content]) {
      const bytes = Buffer.from(text, 'utf8');
      const len = Buffer.alloc(4);
      len.writeInt32BE(bytes.length, 0);
      parts.push(len, bytes);
    }
  }
  return Buffer.concat(parts);
}

function chain(n: number): ChainEntry[] {
  const out: ChainEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const content = JSON.stringify({ n: seq, note: seq % 3 ? 'Grüße, 日本, 🙂' : 'plain', quote: '"\\' });
    const hash = entryHash(prev, seq, content);
    out.push({ seq, prevHash: prev, hash, content });
    prev = hash;
  }
  return out;
}

const viaVerifier = (entries: ChainEntry[]) => {
  const v = new ChainVerifier();
  v.feed(entries);
  return { checked: v.checked, broken: v.broken ?? null };
};

describe('verifyChainPage', () => {
  it('accepts an intact page of non-ASCII entries and reports its ends and the wanted stored hashes', () => {
    const entries = chain(50);
    const r = verifyChainPage(page(entries), [10, 50, 99]);
    expect(r).toMatchObject({ count: 50, checked: 50, firstSeq: 1, firstPrev: GENESIS_HASH, lastSeq: 50, lastHash: entries[49]!.hash, broken: null });
    expect(r.stored).toEqual([
      { seq: 10, hash: entries[9]!.hash },
      { seq: 50, hash: entries[49]!.hash },
    ]);
  });

  it('finds the same first break as ChainVerifier', () => {
    const cases: [string, (e: ChainEntry[]) => ChainEntry[]][] = [
      ['changed content', (e) => e.map((x) => (x.seq === 17 ? { ...x, content: x.content.replace('🙂', '🙃') } : x))],
      ['changed hash', (e) => e.map((x) => (x.seq === 5 ? { ...x, hash: 'f'.repeat(64) } : x))],
      ['changed prev_hash', (e) => e.map((x) => (x.seq === 30 ? { ...x, prevHash: '0'.repeat(63) + '1' } : x))],
      ['deleted entry', (e) => e.filter((x) => x.seq !== 21)],
      ['swapped entries', (e) => e.map((x, i) => (i === 8 ? e[9]! : i === 9 ? e[8]! : x))],
    ];
    for (const [name, tamper] of cases) {
      const entries = tamper(chain(40));
      const expected = viaVerifier(entries);
      const r = verifyChainPage(page(entries));
      expect({ checked: r.checked, broken: r.broken }, name).toEqual(expected);
    }
  });

  it('checks entries larger than the scratch area, and pages of any size one after another (the work buffer is reused)', () => {
    let prev = GENESIS_HASH;
    const big: ChainEntry[] = [];
    for (let seq = 1; seq <= 4; seq++) {
      const content = JSON.stringify({ seq, blob: 'ü'.repeat(seq * 40_000) });
      const hash = entryHash(prev, seq, content);
      big.push({ seq, prevHash: prev, hash, content });
      prev = hash;
    }
    expect(verifyChainPage(page(big))).toMatchObject({ count: 4, checked: 4, broken: null, lastHash: big[3]!.hash });
    const tampered = big.map((x) => (x.seq === 3 ? { ...x, content: x.content.replace('ü', 'u') } : x));
    expect(verifyChainPage(page(tampered))).toMatchObject({ checked: viaVerifier(tampered).checked, broken: viaVerifier(tampered).broken });
    // A small page after the large ones, then a large one again: same verdicts as ChainVerifier.
    for (const entries of [chain(30), chain(2_000), chain(7)]) {
      const r = verifyChainPage(page(entries));
      expect({ checked: r.checked, broken: r.broken, lastHash: r.lastHash }).toEqual({ ...viaVerifier(entries), lastHash: entries.at(-1)!.hash });
    }
  });
});
