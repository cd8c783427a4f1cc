/**
 * Per-block bounds of a compact segment's postings: what lets a scorer skip a stretch of a posting
 * list without reading it (Lucene's impacts, tantivy's block-max WAND).
 */

/** log2 of the postings a block holds. */
export const POSTING_BLOCK_SHIFT = 7;
/** Postings a block holds: 128, as Lucene's and tantivy's blocks. */
export const POSTING_BLOCK = 1 << POSTING_BLOCK_SHIFT;

/**
 * For each block of `POSTING_BLOCK` consecutive postings of the whole segment (block `b` is postings
 * `[b * POSTING_BLOCK, (b + 1) * POSTING_BLOCK)`, whatever entries they belong to), the highest term
 * frequency and the shortest field length among them.
 *
 * - BM25 rises with the frequency and falls with the length, so the pair bounds the score of every
 *   posting of the block, whatever the average length and the term's weight.
 * - Blocks are cut over all postings rather than per list: a list's first and last blocks may share
 *   postings of its neighbours, which only loosens their bound, and nothing says where a list's blocks
 *   start (its start position does).
 */
export interface PostingBlocks {
  readonly maxFrequency: Uint16Array;
  readonly minLength: Uint16Array;
}

/** The blocks of a segment's postings (see {@link PostingBlocks}). */
export function postingBlocks(freqs: Uint8Array, lengths: Uint8Array): PostingBlocks {
  const blocks = Math.ceil(freqs.length / POSTING_BLOCK);
  const maxFrequency = new Uint16Array(blocks);
  const minLength = new Uint16Array(blocks);
  for (let block = 0; block < blocks; block += 1) {
    const end = Math.min(freqs.length, (block + 1) * POSTING_BLOCK);
    let frequency = 0;
    let length = 0xffff;
    for (let at = block * POSTING_BLOCK; at < end; at += 1) {
      if (freqs[at]! > frequency) frequency = freqs[at]!;
      if (lengths[at]! < length) length = lengths[at]!;
    }
    maxFrequency[block] = frequency;
    minLength[block] = length;
  }
  return { maxFrequency, minLength };
}
