import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainVerifier, checkpointSignatureValid, entryHash, GENESIS_HASH, signCheckpoint, signingKeyFromSeed, type ChainEntry } from './audit-chain.js';

function chain(contents: string[]): ChainEntry[] {
  let prev = GENESIS_HASH;
  return contents.map((content, i) => {
    const hash = entryHash(prev, i + 1, content);
    const e = { seq: i + 1, content, prevHash: prev, hash };
    prev = hash;
    return e;
  });
}

describe('hash chain', () => {
  it('accepts an intact chain fed in pages', () => {
    const entries = chain(['a', 'b', 'c', 'd']);
    const v = new ChainVerifier();
    expect(v.feed(entries.slice(0, 2))).toBe(true);
    expect(v.feed(entries.slice(2))).toBe(true);
    expect(v.checked).toBe(4);
    expect(v.lastHash).toBe(entries[3]!.hash);
  });

  it('finds an altered entry', () => {
    const entries = chain(['a', 'b', 'c']);
    entries[1] = { ...entries[1]!, content: 'B' };
    const v = new ChainVerifier();
    expect(v.feed(entries)).toBe(false);
    expect(v.broken).toMatchObject({ seq: 2, reason: 'hash-mismatch' });
  });

  it('finds a deleted entry', () => {
    const entries = chain(['a', 'b', 'c']);
    const v = new ChainVerifier();
    expect(v.feed([entries[0]!, entries[2]!])).toBe(false);
    expect(v.broken).toMatchObject({ seq: 2, reason: 'sequence-gap' });
  });

  it('finds reordered entries even with renumbered seqs', () => {
    const entries = chain(['a', 'b', 'c']);
    const swapped = [entries[0]!, { ...entries[2]!, seq: 2 }, { ...entries[1]!, seq: 3 }];
    const v = new ChainVerifier();
    expect(v.feed(swapped)).toBe(false);
    expect(v.broken).toMatchObject({ seq: 2, reason: 'prev-hash-mismatch' });
  });
});

describe('checkpoints', () => {
  it('signs with Ed25519 and rejects a forged hash or another key', () => {
    const key = signingKeyFromSeed('11'.repeat(32));
    const other = signingKeyFromSeed('22'.repeat(32));
    const sig = signCheckpoint(key, 'acme', 10, 'ab'.repeat(32));
    expect(checkpointSignatureValid(key, 'acme', 10, 'ab'.repeat(32), sig)).toBe(true);
    expect(checkpointSignatureValid(key, 'acme', 10, 'cd'.repeat(32), sig)).toBe(false);
    expect(checkpointSignatureValid(key, 'globex', 10, 'ab'.repeat(32), sig)).toBe(false);
    expect(checkpointSignatureValid(other, 'acme', 10, 'ab'.repeat(32), sig)).toBe(false);
    // The published PEM is an SPKI public key that parses back to the signing key's Ed25519 key.
    const parsed = createPublicKey(key.publicKeyPem);
    expect(parsed.asymmetricKeyType).toBe('ed25519');
    expect(parsed.equals(key.publicKey)).toBe(true);
  });

  it('rejects a seed of the wrong length', () => {
    expect(() => signingKeyFromSeed('abcd')).toThrow(/32 bytes/);
  });
});
