/**
 * Clitic prefixes that carry the article, longest first so that `وال` wins over `ال`.
 * Normalised spelling: they are matched after `normalize`.
 */
const ARTICLE_PREFIXES: readonly string[] = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال'];

/** Conjunctions that attach to any word; the main stem removes them from words of four letters or more. */
const CONJUNCTIONS: ReadonlySet<string> = new Set(['و', 'ف']);

/** Prepositions that attach to any word; only the alternative stem removes them (`كتاب` is not `ك` + `تاب`). */
const PREPOSITIONS: ReadonlySet<string> = new Set(['ب', 'ل', 'ك']);

/** The future particle `س` on an imperfect verb (`سيستمر`). */
const FUTURE_VERB = /^س[يتنا]/u;

/**
 * Suffixes removed by the stemmer, each tried once in this order: attached pronouns, dual and plural
 * endings, the nisba and feminine endings (`ية` is `يه` after normalisation).
 */
const SUFFIXES: readonly string[] = [
  'هما',
  'كما',
  'ها',
  'هم',
  'كم',
  'هن',
  'ان',
  'ات',
  'ون',
  'ين',
  'يه',
  'ه',
  'ي',
];

/** The shortest stem left: no Arabic root has fewer than two letters. */
const MIN_STEM_LENGTH = 2;
/** The shortest word a one-letter proclitic is taken from. */
const MIN_PROCLITIC_WORD_LENGTH = 4;

function stemWith(word: string, stripProclitic: boolean, keepArticle = false): string {
  let stem = stripProclitic ? word.slice(1) : word;
  for (const prefix of keepArticle ? [] : ARTICLE_PREFIXES) {
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

function hasProclitic(word: string): boolean {
  if (word.length < MIN_PROCLITIC_WORD_LENGTH) return false;
  const first = word.charAt(0);
  return CONJUNCTIONS.has(first) || PREPOSITIONS.has(first) || FUTURE_VERB.test(word);
}

/**
 * Reduces a normalised Arabic word to its light stem, in the manner of Larkey's Light10 (the basis
 * of Lucene's `ArabicStemmer`).
 *
 * - Removes a conjunction (`و`, `ف`) from words of four letters or more, then one article-bearing
 *   prefix (`ال وال بال كال فال لل`), then each suffix of {@link SUFFIXES} in turn, never leaving
 *   fewer than two letters.
 * - Expects normalised input (`ة` already `ه`, `ى` already `ي`).
 *
 * @example lightStem('والحكومه') // → 'حكوم'
 */
export function lightStem(word: string): string {
  return stemWith(word, hasProclitic(word) && CONJUNCTIONS.has(word.charAt(0)));
}

/**
 * The stem of the other reading of a word's first letter: as a proclitic where {@link lightStem} kept
 * it (`بتقديم` → `تقديم`), as part of the word where it removed it (`وزاره` → `وزار`); `undefined`
 * when the word has no such letter or both readings give one stem.
 *
 * - A one-letter proclitic is ambiguous (`وزارة` is no `و` + `زارة`, `كتاب` no `ك` + `تاب`), so the
 *   index keeps this reading beside the main stem, at a lower weight, instead of choosing one.
 *
 * @example alternativeStem('بتقديم') // → 'تقديم'
 */
export function alternativeStem(word: string): string | undefined {
  if (!hasProclitic(word)) return undefined;
  const main = lightStem(word);
  const other = stemWith(word, !CONJUNCTIONS.has(word.charAt(0)));
  return other === main ? undefined : other;
}

/**
 * The stem of a word whose leading `ال` belongs to the word and is no article: it was written with a
 * hamza, `إل`/`أل`/`آل` (`إلقاء`, `ألوان`), which normalisation folds to `ال`, and the article never
 * carries one. Only suffixes and, when `proclitic` says the word was written with one (`وإلقاء`,
 * `لإلقاء`), its first letter are removed.
 *
 * @example stemKeepingAlefLam('القاءها', false) // → 'القاء'
 */
export function stemKeepingAlefLam(word: string, proclitic: boolean): string {
  return stemWith(word, proclitic, true);
}

/**
 * The length of the article-bearing prefix a normalised word starts with (`وال`, `بال`, `ال`…), when at
 * least three letters follow it; 0 otherwise.
 *
 * @example articlePrefixLength('والحكومه') // → 3
 */
export function articlePrefixLength(word: string): number {
  const prefix = ARTICLE_PREFIXES.find((candidate) => word.startsWith(candidate));
  return prefix !== undefined && word.length - prefix.length >= 3 ? prefix.length : 0;
}
