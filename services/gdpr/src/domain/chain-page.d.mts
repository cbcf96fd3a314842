// Types of chain-page.mjs (plain JavaScript, loaded as is by the hashing worker threads).
import type { BrokenLink } from './audit-chain.js';

export interface ChainPageResult {
  /** Entries in the page. */
  count: number;
  /** Leading entries that hold (the first entry's seq and prev_hash are the caller's to join). */
  checked: number;
  firstSeq: number;
  firstPrev: string;
  /** Seq and hash of the last entry that holds (when checked > 0). */
  lastSeq: number;
  lastHash: string;
  /** The entry at index `checked`, when one broke inside the page. */
  broken: BrokenLink | null;
  /** Stored hashes of the wanted seqs met among the entries that hold. */
  stored: { seq: number; hash: string }[];
}

export function verifyChainPage(page: Uint8Array, wanted?: readonly number[]): ChainPageResult;
