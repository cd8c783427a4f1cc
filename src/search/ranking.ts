/** How paragraphs are scored: the ranking's options and the proximity score that re-ranks the best. */
import { TYPO_LENGTHS } from './typo-distance.js';

/** How paragraphs are scored; every field has the default of {@link DEFAULT_RANKING_OPTIONS}. */
export interface RankingOptions {
  /** Weight of a match on the exact normalised word, added to the stem match's weight of 1. Default 1. */
  exactBoost: number;
  /** Weight of a match through the other reading of an ambiguous first letter (`بتقديم`/`تقديم`). Default 0.6. */
  alternativeBoost: number;
  /** Weight of the article title relative to the paragraph text. Default 0.5. */
  titleBoost: number;
  /**
   * Weight of the title on an article's lead paragraph (its first), which a match in the title alone
   * makes a hit: the story found by its headline, before stories that mention its words. Default 1.
   */
  leadTitleBoost: number;
  /** BM25+ parameters: term-frequency saturation `k`, length normalisation `b`, lower bound `d`. */
  bm25: { k: number; b: number; d: number };
  /** Weight of a stem that starts with a query stem of 4+ letters (`نقطت` → `نقطتان`); 0 turns it off. */
  prefixWeight: number;
  /** Weight of a stem one edit away from a query stem of 6+ letters (transliterated names); 0 turns it off. */
  fuzzyWeight: number;
  /** Weight of a synonym (see `synonyms.ts`) relative to the word as written. 0 turns synonyms off. */
  synonymWeight: number;
  /**
   * Weight of a correction of a typing error at distance 0 (see `corrections.ts`); it falls with the
   * distance. 0 turns typo tolerance off.
   */
  typoWeight: number;
  /** The word lengths (normalised letters) from which one and two typing errors are corrected. Default [4, 9]. */
  typoLengths: readonly [number, number];
  /** Exponent of the share of query words a paragraph matches, which multiplies its score. Default 0.5. */
  coverageExponent: number;
  /** Weight of the proximity score (query words close together) relative to the BM25 score. Default 1. */
  proximityWeight: number;
  /** How many of the best BM25 hits are re-ranked by proximity. Default 100. */
  rerankDepth: number;
}

/** The ranking Arshif uses; chosen by `eval` on the xquad-ar set (see README). */
export const DEFAULT_RANKING_OPTIONS: Readonly<RankingOptions> = Object.freeze({
  exactBoost: 1,
  alternativeBoost: 0.6,
  titleBoost: 0.5,
  leadTitleBoost: 2,
  bm25: Object.freeze({ k: 1.2, b: 0.7, d: 0.5 }),
  prefixWeight: 0.2,
  fuzzyWeight: 0.2,
  typoWeight: 0.5,
  typoLengths: TYPO_LENGTHS,
  synonymWeight: 0.6,
  coverageExponent: 0.5,
  proximityWeight: 1,
  rerankDepth: 100,
});

/**
 * Proximity score of a paragraph: how close together the query's words occur (Büttcher, Clarke &
 * Lushman, "Term proximity scoring for ad-hoc retrieval on very large text collections", SIGIR 2006).
 *
 * - For every pair of neighbouring matches of two different query words at distance `d` (in tokens),
 *   each word accumulates the other's weight divided by `d²`; a word's accumulator is saturated like a
 *   BM25 term frequency and weighted by its own weight (at most 1).
 * - `weights[i]` is the idf of query word `i`; 0 when fewer than two distinct query words match.
 */
export function proximityScore(
  matches: readonly (readonly number[])[],
  weights: readonly number[],
  k = 1.2,
): number {
  // Index loops and a typed array: this runs for each of the best 100 paragraphs of every search, and
  // iterators, a closure and an array of boxed sums were a tenth of what a search allocated.
  const accumulators = new Float64Array(weights.length);
  let previousPosition = -1;
  let previousWords: readonly number[] = [];
  for (let position = 0; position < matches.length; position += 1) {
    const words = matches[position]!;
    if (words.length === 0) continue;
    if (previousPosition >= 0) {
      const distance = position - previousPosition;
      for (let at = 0; at < words.length; at += 1) {
        const word = words[at]!;
        for (let before = 0; before < previousWords.length; before += 1) {
          const previous = previousWords[before]!;
          if (previous === word) continue;
          accumulators[word]! += weights[previous]! / (distance * distance);
          accumulators[previous]! += weights[word]! / (distance * distance);
        }
      }
    }
    previousPosition = position;
    previousWords = words;
  }
  let sum = 0;
  for (let word = 0; word < accumulators.length; word += 1) {
    const accumulated = accumulators[word]!;
    sum += (Math.min(1, weights[word]!) * (accumulated * (k + 1))) / (accumulated + k);
  }
  return sum;
}
