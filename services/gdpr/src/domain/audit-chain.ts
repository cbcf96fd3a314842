// The hash chain and its signed checkpoints, as pure functions: each entry's hash covers
// the previous entry's hash and the entry's own canonical content.
import { createHash, createPrivateKey, createPublicKey, hash, sign, verify, type KeyObject } from 'node:crypto';
import type { ChainPageResult } from './chain-page.mjs';

export const GENESIS_HASH = '0'.repeat(64);

/** sha256 over the UTF-8 of `prevHash + "\n" + seq + "\n" + content`, as lower-case hex (one call, no Hash object). */
export function entryHash(prevHash: string, seq: number, content: string): string {
  const text = `${prevHash}\n${seq}\n${content}`;
  return typeof hash === 'function' ? hash('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');
}

export interface ChainEntry {
  seq: number;
  content: string;
  prevHash: string;
  hash: string;
}

export type BrokenReason = 'sequence-gap' | 'prev-hash-mismatch' | 'hash-mismatch' | 'checkpoint-mismatch' | 'checkpoint-signature-invalid';

export interface BrokenLink {
  seq: number;
  reason: BrokenReason;
  expected: string;
  found: string;
}

/** Verifies entries page by page (in seq order); remembers where the previous page ended. */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  checked = 0;
  broken?: BrokenLink;

  /** Returns false at the first broken link (then `broken` says where and why). */
  feed(entries: readonly ChainEntry[]): boolean {
    for (const e of entries) if (!this.feedRow(e.seq, e.prevHash, e.hash, e.content)) return false;
    return true;
  }

  /** One entry, without building an object per row (the streaming verifier's hot path). */
  feedRow(seq: number, prevHash: string, hash: string, content: string): boolean {
    if (seq !== this.expectedSeq) return this.fail({ seq: this.expectedSeq, reason: 'sequence-gap', expected: String(this.expectedSeq), found: String(seq) });
    if (prevHash !== this.prevHash) return this.fail({ seq, reason: 'prev-hash-mismatch', expected: this.prevHash, found: prevHash });
    const computed = entryHash(prevHash, seq, content);
    if (computed !== hash) return this.fail({ seq, reason: 'hash-mismatch', expected: computed, found: hash });
    this.prevHash = computed;
    this.expectedSeq++;
    this.checked++;
    return true;
  }

  get lastHash(): string {
    return this.prevHash;
  }

  private fail(link: BrokenLink): false {
    this.broken = link;
    return false;
  }
}

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

/** Loads an Ed25519 key from a 32-byte seed given as 64 hex characters. */
export function signingKeyFromSeed(seedHex: string): SigningKey {
  const seed = Buffer.from(seedHex, 'hex');
  if (seed.length !== 32) throw new Error('Ed25519 seed must be 32 bytes (64 hex characters)');
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

const checkpointMessage = (tenantId: string, seq: number, hash: string) => Buffer.from(`vigil-audit-checkpoint\n${tenantId}\n${seq}\n${hash}`);

export function signCheckpoint(key: SigningKey, tenantId: string, seq: number, hash: string): string {
  return sign(null, checkpointMessage(tenantId, seq, hash), key.privateKey).toString('base64');
}

export function checkpointSignatureValid(key: SigningKey, tenantId: string, seq: number, hash: string, signature: string): boolean {
  return verify(null, checkpointMessage(tenantId, seq, hash), key.publicKey, Buffer.from(signature, 'base64'));
}

export interface StoredCheckpoint {
  seq: number;
  hash: string;
  signature: string;
}

/**
 * Joins pages checked on their own (chain-page.mjs, possibly in worker threads) into one
 * verification, in seq order: each page's first entry must follow the previous page's last, and
 * every signed checkpoint is checked once the intact part of the chain reaches it. Same verdicts
 * as ChainVerifier plus the checkpoint checks; a checkpoint that fails is earlier than a broken
 * entry after it.
 */
export class ChainJoin {
  checked = 0;
  verified = 0;
  broken?: BrokenLink;
  private prevHash = GENESIS_HASH;
  private next = 0;
  private readonly stored = new Map<number, string>();

  constructor(
    private readonly key: SigningKey,
    private readonly tenantId: string,
    private readonly checkpoints: readonly StoredCheckpoint[],
  ) {}

  /** Checkpoint seqs among entries [from, from + count): the stored hashes a page must report. */
  wanted(from: number, count: number): number[] {
    const out: number[] = [];
    for (const c of this.checkpoints) if (c.seq >= from && c.seq < from + count) out.push(c.seq);
    return out;
  }

  /** Returns false once the chain is broken (then `broken` says where and why). */
  feed(page: ChainPageResult): boolean {
    if (this.broken) return false;
    if (!page.count) return true;
    const expected = this.checked + 1;
    let entryBreak: BrokenLink | undefined;
    if (page.firstSeq !== expected) entryBreak = { seq: expected, reason: 'sequence-gap', expected: String(expected), found: String(page.firstSeq) };
    else if (page.firstPrev !== this.prevHash) entryBreak = { seq: page.firstSeq, reason: 'prev-hash-mismatch', expected: this.prevHash, found: page.firstPrev };
    else {
      this.checked += page.checked;
      if (page.checked) this.prevHash = page.lastHash;
      for (const s of page.stored) this.stored.set(s.seq, s.hash);
      entryBreak = page.broken ?? undefined;
    }
    for (; this.next < this.checkpoints.length && this.checkpoints[this.next]!.seq <= this.checked; this.next++) {
      const c = this.checkpoints[this.next]!;
      const bad = checkCheckpoint(this.key, this.tenantId, c, this.stored.get(c.seq) ?? '');
      this.stored.delete(c.seq);
      if (bad) {
        this.broken = bad;
        return false;
      }
      this.verified++;
    }
    this.broken = entryBreak;
    return !entryBreak;
  }

  /** After the last page: entries missing after the latest checkpoint are a break too. */
  finish(): BrokenLink | undefined {
    const after = this.checkpoints[this.next];
    if (!this.broken && after) this.broken = { seq: this.checked + 1, reason: 'sequence-gap', expected: `entries up to checkpoint ${after.seq}`, found: `chain ends at ${this.checked}` };
    return this.broken;
  }
}

/** A checkpoint met on the way through an intact chain: its signature, then the stored hash at its seq. */
export function checkCheckpoint(key: SigningKey, tenantId: string, c: StoredCheckpoint, storedHash: string): BrokenLink | undefined {
  if (!checkpointSignatureValid(key, tenantId, c.seq, c.hash, c.signature)) return { seq: c.seq, reason: 'checkpoint-signature-invalid', expected: 'valid Ed25519 signature', found: c.signature };
  if (storedHash !== c.hash) return { seq: c.seq, reason: 'checkpoint-mismatch', expected: c.hash, found: storedHash };
  return undefined;
}
