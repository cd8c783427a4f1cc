/** The `Segment` interface every segment implements: postings, vectors, tokens and live documents. */
import type { Field } from '../fields.js';
import type { QueryWord } from '../query.js';
import type { Signature } from './signatures.js';
import type { PostingBlocks } from './posting-blocks.js';

/**
 * The highest term frequency a posting keeps, in a byte: a word more often in one paragraph scores as
 * one this often (ANT's most is 40, and BM25 has long stopped rising there).
 */
export const MAX_POSTING_FREQUENCY = 255;

/**
 * The field length a posting keeps for a field of this many distinct terms or more: its own length is
 * then read from the document's ({@link Postings.exactLength}). Lengths in a byte halve what postings
 * hold besides their documents, and 0.2 % of ANT's postings are this long.
 */
export const LONG_FIELD = 255;

/** A term frequency as a posting keeps it (see {@link MAX_POSTING_FREQUENCY}). */
export function postingFrequency(frequency: number): number {
  return frequency < MAX_POSTING_FREQUENCY ? frequency : MAX_POSTING_FREQUENCY;
}

/** A field length as a posting keeps it (see {@link LONG_FIELD}). */
export function postingLength(length: number): number {
  return length < LONG_FIELD ? length : LONG_FIELD;
}

/**
 * The field length a scorer uses for a posting of `postings`: the one kept, or the document's own when
 * the kept one is {@link LONG_FIELD}.
 */
export function scoredLength(kept: number, postings: Postings, doc: number): number {
  return kept === LONG_FIELD ? postings.exactLength(doc) : kept;
}

/**
 * The documents of one term in one field of a segment: `docs[start..end)` ascending, with their term
 * frequencies and field lengths at the same positions in `freqs` and `lengths` (read in order, as
 * the postings: scoring touches no array indexed by document, but for the rare long field). Deleted
 * documents may still be listed; the segment's {@link Segment.isLive} tells.
 */
export interface Postings {
  readonly docs: Uint32Array;
  /** Term frequencies, capped at {@link MAX_POSTING_FREQUENCY}. */
  readonly freqs: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** Live documents holding the term in this field: the document frequency BM25 uses. */
  readonly documentFrequency: number;
  /**
   * (frequency, field length) pairs, one of which gives the list's highest BM25 score whatever the
   * average field length: at least the pairs no posting beats on both. One pair (the largest
   * frequency, the shortest length) is a valid if loose answer.
   */
  readonly impactFrequencies: ArrayLike<number>;
  readonly impactLengths: ArrayLike<number>;
  /**
   * The field length of each posting's document, at the same positions as `docs`: {@link LONG_FIELD}
   * for a field that long or longer, whose length {@link exactLength} gives. As a bound (impacts,
   * blocks), the kept value is never above the length, so never below the score.
   */
  readonly lengths: Uint8Array;
  /** The field length of a document of the list, exactly: what a scorer reads for a {@link LONG_FIELD}. */
  exactLength(doc: number): number;
  /**
   * Bounds of blocks of postings, by position (`position >>> POSTING_BLOCK_SHIFT`), where the segment
   * keeps them (a compact segment): what lets a scorer skip a block of the list unread.
   */
  readonly blocks?: PostingBlocks;
}

/**
 * The vectors of a segment's documents, as the client gave them (not normalised: the similarity is the
 * archive's, applied when searching), one row per document that has one, in document order.
 */
export interface SegmentVectors {
  readonly dimensions: number;
  readonly rows: number;
  /** Row `r` is `values[r * dimensions .. (r + 1) * dimensions)`. */
  readonly values: Float32Array;
  /** Each row's Euclidean length. */
  readonly norms: Float32Array;
  /** Each row's document. */
  readonly docs: ArrayLike<number>;
  /**
   * The rows in 4 bits a value and each row's scale (see `quantizeRows`), where a segment keeps them: a
   * compact segment, searched through them first when it is large.
   */
  readonly quantized?: { codes: Uint8Array; scales: Float32Array };
}

/** One token of a document as the index saw it: its exact form, stem and alternative stem. */
export interface TokenTerms {
  exact: string;
  term: string;
  alternative?: string;
}

/**
 * A segment: a part of the index with documents numbered from 0, its own term dictionary and its own
 * postings. The engine searches every segment with statistics summed over all of them.
 *
 * - A document is a paragraph, known to the layers above by `(articleId, para)`.
 * - Documents are deleted, never changed: a changed paragraph is deleted and added to the live segment.
 */
export interface Segment {
  /** Document numbers run from 0 to `size - 1` (some deleted). */
  readonly size: number;
  /** Documents not deleted. */
  readonly liveCount: number;
  /** Sum of the field lengths of the live documents (length: distinct terms in the field). */
  fieldLengthSum(field: Field): number;
  isLive(doc: number): boolean;
  /** 1 for each deleted document that postings may still list, by document (what scorers read). */
  deletions(): Uint8Array;
  fieldLength(doc: number, field: Field): number;
  /** The postings of a term in a field, or `undefined` when no document of the segment has it there. */
  postings(term: string, field: Field): Postings | undefined;
  /** Live documents holding a term in a field: its postings' `documentFrequency`, without making them. */
  frequency(term: string, field: Field): number;
  /** The segment's terms that start with `prefix` (the prefix itself included when present). */
  termsWithPrefix(prefix: string): Iterable<string>;
  /** The segment's terms exactly one edit (insertion, deletion, substitution) away from `term`. */
  termsOneEditAway(term: string): Iterable<string>;
  /**
   * The segment's terms within `maxDistance` of a typed word by `typoDistance`, with their distances,
   * its first `fixed` code units kept as they are.
   */
  nearTerms(typed: string, maxDistance: number, fixed?: number): ReadonlyMap<string, number>;
  articleId(doc: number): string;
  para(doc: number): number;
  /** The document's tokens in order (stop words excluded), for phrases and proximity. */
  tokens(doc: number): readonly TokenTerms[];
  /** The exact forms of the document's tokens, in order: what its near-duplicate signature is made of. */
  exactWords(doc: number): string[];
  /** The document's near-duplicate signature (see `signatures.ts`), kept since it was indexed. */
  signature(doc: number): Signature;
  /**
   * For query words, a function giving, for each token of a document, the indexes of the words it
   * matches (as {@link matchWords} of its tokens): what proximity ranking reads. The array returned
   * may be the matcher's own, overwritten by its next call, and the arrays in it shared: read, never kept.
   */
  wordMatcher(words: readonly QueryWord[]): (doc: number) => (readonly number[])[];
  /** The documents of an article, live or not. */
  documentsOf(articleId: string): readonly number[];
  /** Deletes a document; statistics stop counting it at once. */
  delete(doc: number): void;
  /** The documents' vectors; `undefined` when none has one. */
  vectors(): SegmentVectors | undefined;
  /** A document's vector, as given; `undefined` when it has none. */
  vectorOf(doc: number): Float32Array | undefined;
}

/** Whether a paragraph is blank: blank paragraphs are never indexed, in any kind of segment. */
export function isBlankParagraph(text: string): boolean {
  return text.trim() === '';
}

/** The live documents of posting lists, one per segment, summed: a term's document frequency. */
export function totalDocumentFrequency(postings: readonly (Postings | undefined)[]): number {
  return postings.reduce((sum, list) => sum + (list?.documentFrequency ?? 0), 0);
}

/** How many live documents of all the segments hold a term in a field. */
export function documentFrequency(segments: readonly Segment[], term: string, field: Field): number {
  let sum = 0;
  for (const segment of segments) sum += segment.frequency(term, field);
  return sum;
}
