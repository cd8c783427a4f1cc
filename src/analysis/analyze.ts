import { normalize } from './normalize.js';
import { alternativeStem, lightStem, stemKeepingAlefLam } from './stem.js';
import { isStopWord } from './stop-words.js';
import { forEachWord } from './word-scanner.js';

/**
 * Version of the analysis. A persisted index records it and is rebuilt when it differs, so bump it
 * whenever a change to normalisation, tokenisation, stemming or stop words changes any term.
 */
export const ANALYZER_VERSION = 3;

/** A token of analysed text. */
export interface Token {
  /** The original surface of the word: `original.slice(start, end)`. */
  text: string;
  /** What the index stores for it: the normalised, stemmed word. */
  term: string;
  /** Offset of the word's first UTF-16 code unit in the original text. */
  start: number;
  /** Offset just past the word's last UTF-16 code unit in the original text. */
  end: number;
}

/** A token with the forms the index keeps besides its stem. */
export interface IndexToken extends Token {
  /** The normalised word before stemming, which ranks above a mere stem match. */
  exact: string;
  /** The stem of the other reading of an ambiguous first letter (`بتقديم` → `تقديم`), if any. */
  alternative?: string;
  /** Position among the text's tokens (stop words excluded), for phrase and proximity matching. */
  position: number;
}

/** What the analysis does besides normalising; every option defaults to on. */
export interface AnalysisOptions {
  /** Reduce Arabic words to their light stem (`الحكومات` → `حكوم`). Default `true`. */
  stem?: boolean;
  /** Drop stop words (`في`, `التي`, question words). Default `true`. */
  stopWords?: boolean;
}

/** The analysis the index and queries use unless told otherwise. */
export const DEFAULT_ANALYSIS_OPTIONS: Readonly<Required<AnalysisOptions>> = Object.freeze({
  stem: true,
  stopWords: true,
});

const ARABIC_START = /^\p{scx=Arabic}/u;
/**
 * A word that starts, after at most one proclitic letter, with a hamza-carrying alef and lam: its `ال`
 * is part of the word (`إلقاء`, `وألوان`). Read on the written word, marks and tatweel aside, because
 * normalisation folds the hamza away.
 */
const HAMZA_ALEF_LAM = /^([وفبكل]?)[\u0623\u0625\u0622]\u0644/u;
const MARKS_AND_TATWEEL = /[\p{M}\p{Cf}\u0640]/gu;
const ALEF_LAM = '\u0627\u0644';
const NORMALIZED_WORD = /[\p{L}\p{M}\p{N}]+/gu;

/** The terms one written word yields: none (a stop word), one, or several (a ligature). */
export type WordTerms = readonly Pick<IndexToken, 'exact' | 'term' | 'alternative'>[];

/**
 * Analysed words by spelling, one memo per combination of options (indexed `stem * 2 + stopWords`),
 * so a look-up hashes the word as it is. Word frequencies are Zipfian, so a bounded memo answers
 * almost every word of a text without normalising it again; it is emptied when full rather than
 * tracking recency, which keeps a hit to one lookup.
 */
const wordCaches = [0, 1, 2, 3].map(() => new Map<string, WordTerms>());
const WORD_CACHE_SIZE = 200_000;

function analyzeWord(word: string, stem: boolean, stopWords: boolean): WordTerms {
  const wordCache = wordCaches[(stem ? 2 : 0) + (stopWords ? 1 : 0)]!;
  let terms = wordCache.get(word);
  if (terms === undefined) {
    const hamzaAlefLam = HAMZA_ALEF_LAM.exec(word.replace(MARKS_AND_TATWEEL, ''));
    terms = [...normalize(word).matchAll(NORMALIZED_WORD)].flatMap(([exact], index) => {
      if (stopWords && isStopWord(exact)) return [];
      if (!stem || !ARABIC_START.test(exact)) return [{ exact, term: exact }];
      if (hamzaAlefLam !== null && index === 0) {
        // The written hamza settles the reading; the article reading stays the alternative, which is
        // what the same word written without hamza (`القاء`) stems to.
        const term = stemKeepingAlefLam(exact, hamzaAlefLam[1] !== '');
        const article = lightStem(exact);
        return [article === term ? { exact, term } : { exact, term, alternative: article }];
      }
      const term = lightStem(exact);
      // A stem still starting with ال is an article on a word that itself starts with ال (الالتزام →
      // التزام), which the same word without the article stems past (التزام → تزام): keep that stem too.
      const alternative =
        alternativeStem(exact) ?? (term.startsWith(ALEF_LAM) && term.length >= 5 ? term.slice(2) : undefined);
      return [alternative === undefined ? { exact, term } : { exact, term, alternative }];
    });
    if (wordCache.size >= WORD_CACHE_SIZE) wordCache.clear();
    wordCache.set(word, terms);
  }
  return terms;
}

/**
 * The terms one written word (a span of {@link splitWords}) yields, as {@link analyzeForIndex} gives
 * them: none for a stop word, several for a ligature. Memoised: call it once per distinct spelling.
 *
 * @example wordTerms('والحكومات') // → [{ exact: 'والحكومات', term: 'حكوم' }]
 */
export function wordTerms(word: string, options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS): WordTerms {
  return analyzeWord(
    word,
    options.stem ?? DEFAULT_ANALYSIS_OPTIONS.stem,
    options.stopWords ?? DEFAULT_ANALYSIS_OPTIONS.stopWords,
  );
}

/**
 * Analyses text into index tokens: splits words on the original text, normalises each, drops
 * stop words and stems what remains.
 *
 * - Offsets always point into `text`: `text.slice(t.start, t.end) === t.text`.
 * - A word whose normalised form is several words (the ligature `ﷺ`) gives several tokens that share
 *   its span.
 * - Never throws.
 *
 * @example analyzeForIndex('الأمريكيَّة').map((t) => [t.exact, t.term]) // → [['الامريكيه', 'امريك']]
 */
export function analyzeForIndex(
  text: string,
  options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS,
): IndexToken[] {
  const stem = options.stem ?? DEFAULT_ANALYSIS_OPTIONS.stem;
  const stopWords = options.stopWords ?? DEFAULT_ANALYSIS_OPTIONS.stopWords;
  const tokens: IndexToken[] = [];
  // The words of splitWords, found by a table lookup per code unit.
  forEachWord(text, (start, end) => {
    const word = text.slice(start, end);
    for (const { exact, term, alternative } of analyzeWord(word, stem, stopWords)) {
      // One object shape for every token keeps this hot loop monomorphic.
      tokens.push({ text: word, start, end, exact, term, alternative, position: tokens.length });
    }
  });
  return tokens;
}

/**
 * Analyses text into tokens `{ text, term, start, end }`, exactly as the index sees it.
 *
 * @example analyze('وقالت الخارجية').map((t) => t.term) // → ['قالت', 'خارج']
 */
export function analyze(text: string, options?: AnalysisOptions): Token[] {
  return analyzeForIndex(text, options).map(({ text: surface, term, start, end }) => ({
    text: surface,
    term,
    start,
    end,
  }));
}
