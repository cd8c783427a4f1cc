/**
 * Clitic prefixes removed by the stemmer, longest first so that `وال` wins over `و`.
 * Normalised spelling: they are matched after `normalize`.
 */
const PREFIXES: readonly string[] = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال'];

/** Conjunctions that attach to any word; removed only from words long enough to survive it. */
const CONJUNCTIONS: readonly string[] = ['و', 'ف'];

/**
 * Suffixes removed by the stemmer, in the order they are tried: dual and plural endings, the
 * nisba and feminine endings (`ية` is `يه` after normalisation) and attached pronouns.
 */
const SUFFIXES: readonly string[] = ['ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ه', 'ي'];

/** The shortest stem the stemmer leaves: most Arabic roots have three letters, none fewer than two. */
const MIN_STEM_LENGTH = 2;

/**
 * Reduces a normalised Arabic word to its light stem, in the manner of Larkey's Light10 (the basis
 * of Lucene's `ArabicStemmer`).
 *
 * - Removes one conjunction (`و`, `ف`) from words of four letters or more, then one article-bearing
 *   prefix (`ال وال بال كال فال لل`), then each suffix of {@link SUFFIXES} in turn, never leaving
 *   fewer than two letters.
 * - Expects normalised input (`ة` already `ه`, `ى` already `ي`); words in other scripts and numbers
 *   come back unchanged.
 *
 * @example lightStem('والحكومه') // → 'حكوم'
 */
export function lightStem(word: string): string {
  let stem = word;
  for (const conjunction of CONJUNCTIONS) {
    if (stem.startsWith(conjunction) && stem.length >= 4) {
      stem = stem.slice(conjunction.length);
      break;
    }
  }
  for (const prefix of PREFIXES) {
    if (stem.startsWith(prefix) && stem.length - prefix.length >= MIN_STEM_LENGTH) {
      stem = stem.slice(prefix.length);
      break;
    }
  }
  for (const suffix of SUFFIXES) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= MIN_STEM_LENGTH) {
      stem = stem.slice(0, -suffix.length);
    }
  }
  return stem;
}
