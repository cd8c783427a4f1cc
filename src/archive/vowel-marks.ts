/** Vowel marks typed in a query as a tie-breaker: paragraphs whose words carry the same marks rank first. */
import { type AnalysisOptions, type IndexToken, analyzeForIndex } from '../analysis/analyze.js';
import { choosesReading, hasVowelMarks, marksAgreement } from '../analysis/diacritics.js';

/** Hits re-scored by agreement with the query's vowel marks, at most (see {@link rescoreByMarks}). */
export const MARKS_DEPTH = 100;

/** The share of its score a paragraph gains (or loses) per query word whose vowel marks agree (or not). */
export const MARKS_BONUS = 0.1;

/** The query's words whose marks choose a reading (`عَلَم`, not `عِلْم`); empty when none does. */
export function markedWords(query: string, analysis: AnalysisOptions): IndexToken[] {
  return analyzeForIndex(query, analysis).filter((token) => choosesReading(token.text));
}

/**
 * How a paragraph agrees with the marked words: per word it holds, +1 when it carries the same marks,
 * -1 when it carries others, 0 when none.
 */
export function marksTier(marked: readonly IndexToken[], text: string, analysis: AnalysisOptions): number {
  // Unmarked words agree with no reading and disagree with none: most news paragraphs carry no marks
  // at all, and are not analysed (a hundred of them were 10 ms of a query typed with marks).
  if (!hasVowelMarks(text)) return 0;
  const tokens = analyzeForIndex(text, analysis);
  let sum = 0;
  for (const typed of marked) {
    let best = -2;
    for (const token of tokens) {
      if (token.term !== typed.term && !token.exact.includes(typed.exact)) continue;
      best = Math.max(best, marksAgreement(typed.text, token.text));
      if (best === 1) break;
    }
    if (best > -2) sum += best;
  }
  return sum;
}

/**
 * The best {@link MARKS_DEPTH} hits re-scored by their {@link marksTier}: a paragraph gains (or loses)
 * {@link MARKS_BONUS} of its score per agreeing (or disagreeing) word. Nothing is left out, and a
 * clearly better paragraph stays above.
 */
export function rescoreByMarks<T extends { score: number }>(
  hits: readonly T[],
  tierOf: (hit: T) => number,
): T[] {
  const top = hits.slice(0, MARKS_DEPTH).map((hit) => {
    const tier = tierOf(hit);
    return tier === 0 ? hit : { ...hit, score: hit.score * (1 + MARKS_BONUS * tier) };
  });
  // Stable: equal scores keep their order.
  top.sort((a, b) => b.score - a.score);
  return [...top, ...hits.slice(MARKS_DEPTH)];
}
