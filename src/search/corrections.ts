/** Spelling corrections: the archive's words a rare query word may be a typing error of, and suggestions. */
import { type AnalysisOptions, wordTerms } from '../analysis/analyze.js';
import { articlePrefixLength } from '../analysis/stem.js';
import { FIELD } from './fields.js';
import type { QueryWord, WordVariant } from './query.js';
import { type CorpusStatistics, type NearRequest, typedFrequency } from './statistics.js';
import { maxTypoDistance } from './typo-distance.js';

/**
 * Corrections kept per query word, at most: the closest, then the most frequent. Each is a posting list
 * or more to score, so the budget bounds what a typo costs a query.
 */
export const MAX_CORRECTIONS = 5;

/**
 * A word is offered a correction (`suggestion`) when it matches no paragraph, or this many times fewer
 * than its best correction does: `الحكومت` (a handful) beside `الحكومه` (thousands).
 */
export const SUGGEST_RATIO = 10;

/**
 * Only a word this rare is corrected: in at most this share of the paragraphs (and at least
 * {@link RARE_MIN}). A word the archive holds often is a word, not a typing error; looking for
 * corrections of every word would cost each query a walk of the dictionary per word (0.6–9 ms on ANT)
 * and surround every word with other words.
 */
export const RARE_SHARE = 1 / 20_000;

/**
 * Edits a word the archive holds (rarely) is corrected within, at most, whatever its length: a word
 * that is a word of the archive is not two typing errors away from the word meant, and a walk of the
 * dictionary two edits deep costs a long word (`لالتزاماتنا`, `بافليكوفسكي`) up to 20 ms against
 * under 1 ms for one.
 */
export const MAX_KNOWN_WORD_DISTANCE = 1;

/** The shortest word corrected though the archive holds it (rarely): shorter ones only when it never does. */
export const MIN_KNOWN_WORD_CORRECTED = 5;
export const RARE_MIN = 3;

/** The query words with their corrections, and the correction suggested for each word that needs one. */
export interface CorrectedWords {
  words: QueryWord[];
  /** By word index: the correction to suggest instead of the word as typed. */
  suggestions: Map<number, WordVariant>;
}

/**
 * Gives each query word of four letters or more (see {@link maxTypoDistance}) the words of the archive it may be a typing error of
 * (within {@link maxTypoDistance} by `typoDistance`, as exact words of paragraphs), as variants weighted
 * `weight × (1 − distance / (largest distance + 1))`.
 *
 * - Only a rare word is corrected (see {@link RARE_SHARE}).
 * - A word the archive holds is corrected one edit away at most ({@link MAX_KNOWN_WORD_DISTANCE}), and
 *   only towards words {@link SUGGEST_RATIO} times as frequent:
 *   a neighbour about as rare is another word (names are rare, and have rare neighbours), not what was
 *   meant, and each correction costs posting lists to score. It also makes a correction's idf lower
 *   than the word's, so that a paragraph with the word as typed ranks above one with a correction.
 * - `weight` 0 gives the words back unchanged.
 */
export function correctWords(
  words: readonly QueryWord[],
  statistics: CorpusStatistics,
  weight: number,
  lengths?: readonly [number, number],
  analysis?: AnalysisOptions,
): CorrectedWords {
  const suggestions = new Map<number, WordVariant>();
  if (weight <= 0) return { words: [...words], suggestions };
  const frequency = (term: string) => statistics.documentFrequency(term, FIELD.text);
  const corrected = words.map((word, index) => {
    const looked = lookUpFor(word, statistics, lengths);
    if (looked === undefined) return word;
    const { own, request, maxDistance } = looked;
    const distances = statistics.nearTerms(request.typed, request.maxDistance, request.fixed);
    const candidates = [...distances]
      .map(([term, distance]) => ({ term, distance, frequency: frequency(term) }))
      .filter((candidate) => candidate.frequency > 0 && candidate.frequency >= SUGGEST_RATIO * own)
      .sort((a, b) => a.distance - b.distance || b.frequency - a.frequency || (a.term < b.term ? -1 : 1))
      .slice(0, MAX_CORRECTIONS);
    if (candidates.length === 0) return word;
    const variants = candidates.flatMap(({ term, distance }): WordVariant[] => {
      const [analysed] = wordTerms(term, analysis);
      if (analysed === undefined) return [];
      return [
        {
          exact: analysed.exact,
          stem: analysed.term,
          ...(analysed.alternative === undefined ? {} : { alternative: analysed.alternative }),
          weight: weight * (1 - distance / (maxDistance + 1)),
          kind: 'typo',
          distance,
        },
      ];
    });
    const best = candidates[0]!;
    if (variants.length > 0) {
      suggestions.set(index, variants.find((variant) => variant.exact === best.term) ?? variants[0]!);
    }
    return { ...word, variants: [...(word.variants ?? []), ...variants] };
  });
  return { words: corrected, suggestions };
}

/**
 * The near-term look-ups {@link correctWords} makes for these words: what a cluster gathers from its
 * shards before it corrects them (the words' own frequencies gathered first).
 */
export function correctionLookUps(
  words: readonly QueryWord[],
  statistics: CorpusStatistics,
  weight: number,
  lengths?: readonly [number, number],
): NearRequest[] {
  if (weight <= 0) return [];
  return words.flatMap((word) => {
    const looked = lookUpFor(word, statistics, lengths);
    return looked === undefined ? [] : [looked.request];
  });
}

/**
 * The look-ups {@link correctWords} may make for these words, whatever their frequencies: every word
 * long enough to be corrected (a cluster asks them before it knows the frequencies).
 */
export function correctionCandidates(
  words: readonly QueryWord[],
  weight: number,
  lengths?: readonly [number, number],
): NearRequest[] {
  if (weight <= 0) return [];
  return words.flatMap((word) => possibleLookUp(word, lengths) ?? []);
}

/** The most paragraphs a word corrected in an archive of `documentCount` paragraphs is in. */
export function rareLimit(documentCount: number): number {
  return Math.max(RARE_MIN, documentCount * RARE_SHARE);
}

/**
 * How far a word's near terms would be looked for, whatever its frequency: `undefined` when it is too
 * short to correct, or no word.
 */
function possibleLookUp(
  word: QueryWord,
  lengths: readonly [number, number] | undefined,
): NearRequest | undefined {
  const maxDistance = maxTypoDistance(word.exact.length, lengths);
  if (maxDistance === 0 || !/\p{L}/u.test(word.exact)) return undefined;
  // An article is seldom mistyped, and held fixed it keeps the walk of the dictionary short.
  return { typed: word.exact, maxDistance, fixed: articlePrefixLength(word.exact) };
}

/**
 * Whether a word is corrected: its look-up, how many paragraphs hold it as typed, and the distance its
 * length allows (what a correction is weighed by, whatever distance the look-up goes to).
 */
function lookUpFor(
  word: QueryWord,
  statistics: CorpusStatistics,
  lengths: readonly [number, number] | undefined,
): { request: NearRequest; own: number; maxDistance: number } | undefined {
  const request = possibleLookUp(word, lengths);
  if (request === undefined) return undefined;
  const own = typedFrequency(statistics, word.exact);
  const rare = rareLimit(statistics.documentCount);
  // A short word the archive holds at all is taken as meant: short rare words are mostly names, and
  // their neighbours many (a look-up and five corrections each, for nothing).
  if (own > rare || (own > 0 && word.exact.length < MIN_KNOWN_WORD_CORRECTED)) return undefined;
  const { maxDistance } = request;
  if (own > 0 && maxDistance > MAX_KNOWN_WORD_DISTANCE) {
    return { request: { ...request, maxDistance: MAX_KNOWN_WORD_DISTANCE }, own, maxDistance };
  }
  return { request, own, maxDistance };
}
