import type { IndexToken } from '../analysis/analyze.js';
import type { QueryWord } from './query.js';

/** How paragraphs are scored; every field has the default of {@link DEFAULT_RANKING_OPTIONS}. */
export interface RankingOptions {
  /** Weight of a match on the exact normalised word, added to the stem match's weight of 1. Default 1. */
  exactBoost: number;
  /** Weight of the article title relative to the paragraph text. Default 0.5. */
  titleBoost: number;
  /** BM25+ parameters: term-frequency saturation `k`, length normalisation `b`, lower bound `d`. */
  bm25: { k: number; b: number; d: number };
  /** Weight of the proximity score (query words close together) relative to the BM25 score. Default 0.3. */
  proximityWeight: number;
  /** How many of the best BM25 hits are re-ranked by proximity. Default 100. */
  rerankDepth: number;
}

/** The ranking Arshif uses; chosen by `eval` on the xquad-ar set (see README). */
export const DEFAULT_RANKING_OPTIONS: Readonly<RankingOptions> = Object.freeze({
  exactBoost: 1,
  titleBoost: 0.5,
  bm25: Object.freeze({ k: 1.2, b: 0.7, d: 0.5 }),
  proximityWeight: 0.3,
  rerankDepth: 100,
});

/**
 * For each token of a paragraph, the indexes of the query words it matches (stem or exact form).
 */
export function matchWords(tokens: readonly IndexToken[], words: readonly QueryWord[]): number[][] {
  return tokens.map((token) =>
    words.flatMap((word, index) => (token.term === word.stem || token.exact === word.exact ? [index] : [])),
  );
}

/**
 * Tells whether the phrase's words occur one after the other in the paragraph (stop words skipped,
 * as the index skips them).
 */
export function containsPhrase(tokens: readonly IndexToken[], phrase: readonly QueryWord[]): boolean {
  if (phrase.length === 0) return false;
  outer: for (let start = 0; start + phrase.length <= tokens.length; start += 1) {
    for (let offset = 0; offset < phrase.length; offset += 1) {
      const token = tokens[start + offset]!;
      const word = phrase[offset]!;
      if (token.term !== word.stem && token.exact !== word.exact) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Proximity score of a paragraph: how close together the query's words occur.
 *
 * - For every pair of neighbouring matches of two different query words at distance `d` (in tokens),
 *   each word accumulates `1 / d²` (Büttcher, Clarke & Lushman, SIGIR 2006); a word's accumulator is
 *   saturated like a BM25 term frequency, and the words' scores are summed.
 * - 0 when fewer than two distinct query words match.
 */
export function proximityScore(matches: readonly number[][], wordCount: number, k = 1.2): number {
  const accumulators = new Array<number>(wordCount).fill(0);
  let previousPosition = -1;
  let previousWords: readonly number[] = [];
  matches.forEach((words, position) => {
    if (words.length === 0) return;
    if (previousPosition >= 0) {
      const distance = position - previousPosition;
      const weight = 1 / (distance * distance);
      for (const word of words) {
        for (const previous of previousWords) {
          if (previous === word) continue;
          accumulators[word]! += weight;
          accumulators[previous]! += weight;
        }
      }
    }
    previousPosition = position;
    previousWords = words;
  });
  return accumulators.reduce((sum, acc) => sum + (acc * (k + 1)) / (acc + k), 0);
}
