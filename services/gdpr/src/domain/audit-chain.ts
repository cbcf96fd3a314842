// The hash chain and its signed checkpoints, as pure functions: each entry's hash covers
// the previous entry's hash and the entry's own canonical content.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export function entryHash(prevHash: string, seq: number, content: string): string {
  return createHash('sha256').update(`${prevHash}\n${seq}\n`).update(content).digest('hex');
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

/** A checkpoint met on the way through an intact chain: its signature, then the stored hash at its seq. */
export function checkCheckpoint(key: SigningKey, tenantId: string, c: StoredCheckpoint, storedHash: string): BrokenLink | undefined {
  if (!checkpointSignatureValid(key, tenantId, c.seq, c.hash, c.signature)) return { seq: c.seq, reason: 'checkpoint-signature-invalid', expected: 'valid Ed25519 signature', found: c.signature };
  if (storedHash !== c.hash) return { seq: c.seq, reason: 'checkpoint-mismatch', expected: c.hash, found: storedHash };
  return undefined;
}
