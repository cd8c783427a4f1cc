/**
 * Near-duplicate signatures of documents (MinHash over 3-word shingles, Broder 1997), computed when a
 * document is indexed and kept beside it: grouping copies is then a look-up, not a walk of the text.
 */
import type { TokenTerms } from './segment.js';

/** What is compared of a paragraph. */
export interface Signature {
  /**
   * A 64-bit hash of its normalised words as four UTF-16 code units (`''` for none): equal for exact
   * copies, and a key made in one allocation (hex took four, for each of a page's 500 candidates).
   */
  words: string;
  /**
   * Its min-hashes, one per hash function, each the low 16 bits of the least 32-bit hash (b-bit
   * MinHash, Li and König 2010: two unlike shingle sets agree on one by chance 1 time in 65,536): read
   * only (a view of the segment's row).
   */
  minHashes: Uint16Array;
}

/** Words per shingle. */
const SHINGLE = 3;
/** Min-hashes per paragraph. */
export const HASHES = 20;
/**
 * A signature as a segment keeps it, in 16-bit units: its min-hashes, then its words' 64-bit hash in four
 * (all 0: none). Segment files before format 7 kept rows of 32-bit values (see {@link inSignatureUnits}).
 */
export const SIGNATURE_UNITS = HASHES + 4;

/** A row of a file before format 7: 32-bit min-hashes, then the words' hash in two halves. */
const WIDE_SIGNATURE = HASHES + 2;

/** Seeds of the hash functions: fixed, so that signatures compare across processes and runs. */
const SEEDS = Uint32Array.from({ length: HASHES }, (_, at) => Math.imul(0x9e3779b1, at + 1) >>> 0);

/** FNV-1a's 32-bit offset basis and prime. */
export const FNV_BASIS = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;
/** The basis of the second half of the words' hash. */
const SECOND_BASIS = 0x050c5d1f;

/** FNV-1a of `words[from..to)` joined by spaces, without joining them: a shingle's 32-bit hash. */
function hashJoined(words: readonly string[], from: number, to: number): number {
  let h = FNV_BASIS;
  for (let at = from; at < to; at += 1) {
    if (at > from) h = Math.imul(h ^ 0x20, FNV_PRIME);
    const word = words[at]!;
    for (let code = 0; code < word.length; code += 1) h = Math.imul(h ^ word.charCodeAt(code), FNV_PRIME);
  }
  return h >>> 0;
}

/** murmur3's finaliser of a hash xor a seed: one of the hash functions min-hashing uses. */
function mix(value: number, seed: number): number {
  let h = value ^ seed;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Writes the signature of a paragraph's normalised words into `row` at `offset`
 * ({@link SIGNATURE_UNITS} values): the least of each hash function over its 3-word shingles (a
 * shingle met twice changes no least value, so none is set aside), then its words' hash.
 */
export function writeSignature(
  words: readonly string[],
  row: Uint16Array,
  offset = 0,
  /** How many of `words` are the paragraph's (the rest are left from another). */
  count = words.length,
): void {
  const shingles = Math.max(1, count - SHINGLE + 1);
  if (shingleHashes.length < shingles) shingleHashes = new Uint32Array(2 * shingles);
  if (count < SHINGLE) shingleHashes[0] = hashJoined(words, 0, count);
  for (let at = 0; at + SHINGLE <= count; at += 1) shingleHashes[at] = hashJoined(words, at, at + SHINGLE);
  // Function by function over every shingle: the least value stays in a register, not in the row.
  for (let h = 0; h < HASHES; h += 1) {
    const seed = SEEDS[h]!;
    let least = 0xffffffff;
    for (let at = 0; at < shingles; at += 1) {
      const value = mix(shingleHashes[at]!, seed);
      if (value < least) least = value;
    }
    row[offset + h] = least & 0xffff;
  }
  if (count === 0) {
    row.fill(0, offset + HASHES, offset + SIGNATURE_UNITS);
    return;
  }
  // Both halves of the words' hash in one reading of their letters.
  let high = FNV_BASIS;
  let low = SECOND_BASIS;
  for (let at = 0; at < count; at += 1) {
    if (at > 0) {
      high = Math.imul(high ^ 0x20, FNV_PRIME);
      low = Math.imul(low ^ 0x20, FNV_PRIME);
    }
    const word = words[at]!;
    for (let code = 0; code < word.length; code += 1) {
      const unit = word.charCodeAt(code);
      high = Math.imul(high ^ unit, FNV_PRIME);
      low = Math.imul(low ^ unit, FNV_PRIME);
    }
  }
  // (0, 0) means no words: a paragraph whose hash is 0 in both halves is told apart by a 1.
  writeWordsHash(row, offset, high >>> 0, low >>> 0 || (high >>> 0 === 0 ? 1 : 0));
}

/** Writes the words' hash, given in two 32-bit halves, as the last four units of a row. */
function writeWordsHash(row: Uint16Array, offset: number, high: number, low: number): void {
  row[offset + HASHES] = high >>> 16;
  row[offset + HASHES + 1] = high & 0xffff;
  row[offset + HASHES + 2] = low >>> 16;
  row[offset + HASHES + 3] = low & 0xffff;
}

/**
 * Signature rows as segment files before format 7 kept them (32-bit min-hashes, the words' hash in two
 * halves) in 16-bit units: the same signatures as those written now.
 */
export function inSignatureUnits(wide: Uint32Array): Uint16Array {
  const rows = wide.length / WIDE_SIGNATURE;
  const units = new Uint16Array(rows * SIGNATURE_UNITS);
  for (let row = 0; row < rows; row += 1) {
    const from = row * WIDE_SIGNATURE;
    const to = row * SIGNATURE_UNITS;
    for (let h = 0; h < HASHES; h += 1) units[to + h] = wide[from + h]! & 0xffff;
    writeWordsHash(units, to, wide[from + HASHES]!, wide[from + HASHES + 1]!);
  }
  return units;
}

/** Whether `wide` is a whole number of rows of a file before format 7. */
export function wideSignatureRows(wide: Uint32Array, documents: number): boolean {
  return wide.length === documents * WIDE_SIGNATURE;
}

/** The shingles' hashes of the paragraph being signed, reused from paragraph to paragraph. */
let shingleHashes = new Uint32Array(256);

/**
 * A signature from a row {@link writeSignature} wrote: its min-hashes a view of the row, not a copy
 * (a page groups copies among 500 candidates: a view costs a tenth of a copy).
 */
export function signatureFromRow(row: Uint16Array, offset = 0): Signature {
  const at = offset + HASHES;
  const none = (row[at]! | row[at + 1]! | row[at + 2]! | row[at + 3]!) === 0;
  return {
    words: none ? '' : String.fromCharCode(row[at]!, row[at + 1]!, row[at + 2]!, row[at + 3]!),
    minHashes: row.subarray(offset, offset + HASHES),
  };
}

/** A paragraph's signature from its normalised words. */
export function signatureOfWords(words: readonly string[]): Signature {
  const row = new Uint16Array(SIGNATURE_UNITS);
  writeSignature(words, row);
  return signatureFromRow(row);
}

/** A paragraph's signature from its indexed tokens (normalised words, stop words left out). */
export function signatureOf(tokens: readonly TokenTerms[]): Signature {
  return signatureOfWords(tokens.map((token) => token.exact));
}
