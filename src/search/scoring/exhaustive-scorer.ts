import type { Segment } from '../segment/segment.js';
import { finalScore, type QueryPlan, scorePosting } from './plan.js';
import type { DocumentFilter, ScoredDocument } from './scored-document.js';

/** Per-document sums of one level of the scoring order, with the documents in first-touch order. */
class Accumulator {
  readonly scores: Float64Array;
  readonly touched: Int32Array;
  private readonly seen: Uint8Array;
  count = 0;

  constructor(size: number) {
    this.scores = new Float64Array(size);
    this.touched = new Int32Array(size);
    this.seen = new Uint8Array(size);
  }

  add(doc: number, score: number): void {
    if (this.seen[doc] === 0) {
      this.seen[doc] = 1;
      this.touched[this.count++] = doc;
    }
    this.scores[doc] = this.scores[doc]! + score;
  }

  /** Adds this level into `into` and clears it. */
  drainInto(into: Accumulator): void {
    for (let index = 0; index < this.count; index += 1) {
      const doc = this.touched[index]!;
      into.add(doc, this.scores[doc]!);
      this.scores[doc] = 0;
      this.seen[doc] = 0;
    }
    this.count = 0;
  }
}

/**
 * Scores every document that matches a query, term at a time: the reference the pruning scorer is
 * tested against, and what a search that needs every match (sorted by date) uses.
 *
 * - A document matches when it holds a query term in a text field, every required word, no excluded
 *   word, and passes `filter`.
 * - Scores add up posting by posting within a term query, then term query by term query within a word,
 *   then word by word: the order {@link MaxScoreScorer} keeps too, so both give the same bits.
 */
export function scoreExhaustively(
  plan: QueryPlan,
  segments: readonly Segment[],
  filter?: DocumentFilter,
): ScoredDocument[] {
  const matches: ScoredDocument[] = [];
  const { terms, words, required, bm25 } = plan;
  segments.forEach((segment, segmentIndex) => {
    const size = segment.size;
    const [term, word, total] = [new Accumulator(size), new Accumulator(size), new Accumulator(size)];
    terms.forEach((planned, index) => {
      const postings = planned.postings[segmentIndex];
      if (postings !== undefined) {
        const { docs, freqs, fieldLengths } = postings;
        for (let at = postings.start; at < postings.end; at += 1) {
          const doc = docs[at]!;
          if (segment.isLive(doc)) term.add(doc, scorePosting(freqs[at]!, fieldLengths[doc]!, planned, bm25));
        }
      }
      const next = terms[index + 1];
      if (next === undefined || next.termQuery !== planned.termQuery) term.drainInto(word);
      if (next === undefined || next.word !== planned.word) word.drainInto(total);
    });

    // Which words each document matches, word by word, and whether any match is in the text.
    const wordsMatched = new Uint16Array(size);
    const requiredMatched = new Uint16Array(size);
    const lastWord = new Int32Array(size).fill(-1);
    const inText = new Uint8Array(size);
    const isRequired = new Set(required);
    for (let wordIndex = 0; wordIndex < words.length; wordIndex += 1) {
      for (const planned of terms) {
        const postings = planned.postings[segmentIndex];
        if (postings === undefined || !planned.covers.includes(wordIndex)) continue;
        for (let at = postings.start; at < postings.end; at += 1) {
          const doc = postings.docs[at]!;
          if (lastWord[doc] === wordIndex) continue;
          lastWord[doc] = wordIndex;
          wordsMatched[doc]! += 1;
          if (isRequired.has(wordIndex)) requiredMatched[doc]! += 1;
        }
      }
    }
    for (const planned of terms) {
      const postings = planned.postings[segmentIndex];
      if (postings === undefined || !planned.inText) continue;
      for (let at = postings.start; at < postings.end; at += 1) inText[postings.docs[at]!] = 1;
    }
    const excluded = new Set<number>();
    for (const postings of plan.excluded[segmentIndex]!) {
      for (let at = postings.start; at < postings.end; at += 1) excluded.add(postings.docs[at]!);
    }

    for (let index = 0; index < total.count; index += 1) {
      const doc = total.touched[index]!;
      if (inText[doc] === 0 || requiredMatched[doc] !== required.length || excluded.has(doc)) continue;
      if (filter !== undefined && !filter(segmentIndex, doc)) continue;
      matches.push({
        segment: segmentIndex,
        doc,
        score: finalScore(total.scores[doc]!, wordsMatched[doc]!, plan),
      });
    }
  });
  return matches;
}
