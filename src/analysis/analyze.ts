/** The one analyser for index and query: words split, each normalised, stop words dropped, stemmed. */
import { normalize } from './normalize.js';
import { alternativeStem, lightStem, stemKeepingAlefLam } from './stem.js';
import { isStopWord } from './stop-words.js';
import { forEachWord } from './word-scanner.js';
import { mayGiveNoTerm } from './letter-mask.js';
import { BoundedMemo } from './bounded-memo.js';

/**
 * Version of the analysis. A persisted index records it and is rebuilt when it differs, so bump it
 * whenever a change to normalisation, tokenisation, stemming or stop words changes any term.
 */
export const ANALYZER_VERSION = 4;

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
/** A normalised word that is one part, as {@link NORMALIZED_WORD} finds parts. */
const ONE_NORMALIZED_PART = /^[\p{L}\p{M}\p{N}]+$/u;

/** The terms one written word yields: none (a stop word), one, or several (a ligature). */
export type WordTerms = readonly Pick<IndexToken, 'exact' | 'term' | 'alternative'>[];

/**
 * Words remembered by each memo of analysed words (twice this at most: see {@link BoundedMemo}), in a
 * thread that searches. Word frequencies are Zipfian, so a memo of the words used lately answers almost
 * every word of a query or a hit without normalising it again, and a miss costs microseconds. Bounded,
 * so that memory stays flat under a stream of distinct queries: each remembered word costs about 250
 * bytes, and 50,000 of them were most of what a search thread's heap grew by over 10,000 distinct searches.
 */
export const WORD_MEMO_LIMIT = 8_192;

/**
 * The same in a thread that indexes in bulk ({@link rememberWordsForBulkIndexing}): it analyses every
 * word of an archive, where a larger memo spares a segment the analysis of the words the last one had.
 */
export const BULK_WORD_MEMO_LIMIT = 50_000;

/**
 * Analysed words by spelling, one memo per combination of options (indexed `stem * 2 + stopWords`),
 * so a look-up hashes the word as it is.
 */
const wordCaches = [0, 1, 2, 3].map(() => new BoundedMemo<WordTerms>(WORD_MEMO_LIMIT));

function analyzeWord(word: string, stem: boolean, stopWords: boolean): WordTerms {
  const wordCache = wordCaches[(stem ? 2 : 0) + (stopWords ? 1 : 0)]!;
  let terms = wordCache.get(word);
  if (terms === undefined) {
    const hamzaAlefLam = HAMZA_ALEF_LAM.exec(word.replace(MARKS_AND_TATWEEL, ''));
    const normalized = normalize(word);
    const partsTerms = (exact: string, index: number) => {
      const rest = index === 0 ? joinedCompoundRest(exact) : undefined;
      const own = partTerms(exact, index === 0 ? hamzaAlefLam : null, stem, stopWords);
      // A name written joined (`عبدالله`) is also its second word, as when written apart.
      return rest === undefined ? own : [...own, ...partTerms(rest, null, stem, stopWords)];
    };
    // Most words normalise to one part: no iterator or array of matches for them.
    terms = ONE_NORMALIZED_PART.test(normalized)
      ? partsTerms(normalized, 0)
      : [...normalized.matchAll(NORMALIZED_WORD)].flatMap(([exact], index) => partsTerms(exact, index));
    wordCache.set(word, terms);
  }
  return terms;
}

/** The terms of one normalised word (a part of a written word). */
function partTerms(
  exact: string,
  hamzaAlefLam: RegExpExecArray | null,
  stem: boolean,
  stopWords: boolean,
): Pick<IndexToken, 'exact' | 'term' | 'alternative'>[] {
  if (stopWords && isStopWord(exact)) return [];
  if (!stem || !ARABIC_START.test(exact)) return [{ exact, term: exact }];
  if (hamzaAlefLam !== null) {
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
}

/**
 * First words of names written joined or apart (`عبد الله`/`عبدالله`, `أبو ظبي`/`أبوظبي`, `بن سلمان`),
 * normalised, also after the conjunction `و`. Written apart, such a word and the next are one token of
 * the joined spelling followed by the next word's own token; written joined, the word is both tokens
 * too (only for `عبد` and `أبو`: a word that merely starts with `بن` or `ابن` is seldom a name, `بنك`,
 * `ابنه`). Either way the same terms, in the same order, for phrases and proximity.
 */
const COMPOUND_HEADS: ReadonlySet<string> = new Set(
  ['عبد', 'ابو', 'ابي', 'ابا', 'ابن', 'بن', 'بنت'].flatMap((head) => [head, `و${head}`]),
);
const JOINED_HEADS: readonly string[] = ['وعبد', 'عبد', 'وابو', 'ابو'];
/** The shortest second word a joined name is split into (`ابواب` is no `ابو` + `اب`). */
const MIN_JOINED_REST = 3;

/** The second word of a name written joined (`عبدالله` → `الله`), or `undefined`. */
function joinedCompoundRest(exact: string): string | undefined {
  const head = JOINED_HEADS.find((candidate) => exact.startsWith(candidate));
  if (head === undefined || exact.length - head.length < MIN_JOINED_REST) return undefined;
  const rest = exact.slice(head.length);
  return ARABIC_START.test(rest) ? rest : undefined;
}

/** How long a name's first word written apart (`عبد`, `وأبو`, `بن`) can be as written, marks included. */
const MAX_HEAD_LENGTH = 12;

/** Marks, tatweel and format characters, which a word's letters may carry between them. */
const BETWEEN_LETTERS = /[\p{M}\p{Cf}\u0640]/u;

/** Which code units of ASCII and the Arabic block come between letters (1), read as letters (0). */
const BETWEEN_LETTER_UNITS = Uint8Array.from({ length: 0x0700 }, (_, unit) =>
  BETWEEN_LETTERS.test(String.fromCharCode(unit)) ? 1 : 0,
);

const ALEFS: ReadonlySet<number> = new Set([...'اأإآٱ'].map((letter) => letter.charCodeAt(0)));
const [AIN, BEH, NOON, WAW] = [...'عبنو'].map((letter) => letter.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
];

/** Whether a name's first word can start with these two letters: `عب`, `اب` (any alef), `بن`, and `و` + `ا`, `ع`, `ب`. */
function isHeadStart(first: number, second: number): boolean {
  if (first === WAW) return ALEFS.has(second) || second === AIN || second === BEH;
  if (second === BEH) return ALEFS.has(first) || first === AIN;
  return first === BEH && second === NOON;
}

/**
 * Whether a written word may be a name's first word, read on its first two letters (marks skipped)
 * without cutting it out of the text: `false` only when it surely is not (most words: the article's `ال`
 * rules out a third of them), so that {@link isCompoundHead} normalises few words.
 */
function mayBeCompoundHead(text: string, start: number, end: number): boolean {
  let first = -1;
  for (let at = start; at < end; at += 1) {
    const unit = text.charCodeAt(at);
    // Outside the Arabic block and ASCII (presentation forms, say), normalisation decides.
    if (unit >= 0x0700 || (unit >= 0x80 && unit < 0x0600)) return true;
    if (BETWEEN_LETTER_UNITS[unit] === 1) continue;
    if (first === -1) first = unit;
    else return isHeadStart(first, unit);
  }
  return false;
}
const headCache = new BoundedMemo<boolean>(WORD_MEMO_LIMIT);

/** Whether a written word is the first word of a name written apart (`عبد`, `وأبو`, `بن`). */
export function isCompoundHead(word: string): boolean {
  let head = headCache.get(word);
  if (head === undefined) {
    head = COMPOUND_HEADS.has(normalize(word));
    headCache.set(word, head);
  }
  return head;
}

const compoundCaches = [0, 1, 2, 3].map(() => new BoundedMemo<WordTerms>(WORD_MEMO_LIMIT));

/** Makes this thread's memos of analysed words {@link BULK_WORD_MEMO_LIMIT} large: for a thread that builds segments. */
export function rememberWordsForBulkIndexing(): void {
  for (const memo of [...wordCaches, headCache, ...compoundCaches]) memo.limit = BULK_WORD_MEMO_LIMIT;
}

/**
 * Whether the written word `text.slice(start, end)` is a name's first word ({@link isCompoundHead}),
 * as index and queries alike read it: most words are ruled out on their length and first two letters,
 * without cutting them out of the text or normalising them.
 */
export function compoundHeadAt(text: string, start: number, end: number): boolean {
  return (
    end - start <= MAX_HEAD_LENGTH &&
    mayBeCompoundHead(text, start, end) &&
    isCompoundHead(text.slice(start, end))
  );
}

/**
 * The terms of a name written apart, its first word (see {@link isCompoundHead}) and the next: the
 * joined spelling, then the next word's own terms; none (not a name) when the next word yields no term
 * or is not Arabic.
 *
 * @example compoundTerms('عبد', 'الله').map((t) => t.exact) // → ['عبدالله', 'الله']
 */
export function compoundTerms(
  head: string,
  next: string,
  options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS,
): WordTerms {
  const stem = options.stem ?? DEFAULT_ANALYSIS_OPTIONS.stem;
  const stopWords = options.stopWords ?? DEFAULT_ANALYSIS_OPTIONS.stopWords;
  const cache = compoundCaches[(stem ? 2 : 0) + (stopWords ? 1 : 0)]!;
  const key = `${head}\u0000${next}`;
  let terms = cache.get(key);
  if (terms === undefined) {
    const nextTerms = analyzeWord(next, stem, stopWords);
    const nextNormalized = normalize(next);
    terms =
      nextTerms.length === 0 ||
      !ARABIC_START.test(nextNormalized) ||
      !NORMALIZED_WORD_ONLY.test(nextNormalized)
        ? []
        : [...partTerms(normalize(head) + nextNormalized, null, stem, stopWords), ...nextTerms];
    cache.set(key, terms);
  }
  return terms;
}

const NORMALIZED_WORD_ONLY = /^[\p{L}\p{M}]+$/u;

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
 * - `keep`, when given, is asked of each written word (but a name's first word and the word after it):
 *   a word it refuses is not normalised. Highlighting passes one that refuses the words that cannot
 *   match a query. What such a word gives depends on `refused`:
 *   - `'drop'` (the default): no token, and later tokens' positions do not count it;
 *   - `'gap'`: one token without terms in its place (`exact` and `term` empty), so that tokens are next
 *     to each other exactly when they are in the whole analysis, as phrases need. A word that may give
 *     no term (a stop word) is then analysed whatever `keep` says, since it must leave no gap.
 *
 * @example analyzeForIndex('الأمريكيَّة').map((t) => [t.exact, t.term]) // → [['الامريكيه', 'امريك']]
 */
export function analyzeForIndex(
  text: string,
  options: AnalysisOptions = DEFAULT_ANALYSIS_OPTIONS,
  keep?: (start: number, end: number) => boolean,
  refused: 'drop' | 'gap' = 'drop',
): IndexToken[] {
  const stem = options.stem ?? DEFAULT_ANALYSIS_OPTIONS.stem;
  const stopWords = options.stopWords ?? DEFAULT_ANALYSIS_OPTIONS.stopWords;
  const tokens: IndexToken[] = [];
  // A name's first word written apart (`عبد`), waiting for the next word.
  let head: { word: string; start: number; end: number } | undefined;
  const push = (terms: WordTerms, surface: string, start: number, end: number) => {
    for (const { exact, term, alternative } of terms) {
      // One object shape for every token keeps this hot loop monomorphic.
      tokens.push({ text: surface, start, end, exact, term, alternative, position: tokens.length });
    }
  };
  // The words of splitWords, found by a table lookup per code unit.
  forEachWord(text, (start, end) => {
    const startsName = compoundHeadAt(text, start, end);
    // A word refused is not even cut out of the text.
    if (head === undefined && keep !== undefined && !startsName && !keep(start, end)) {
      if (refused === 'drop') return;
      if (!mayGiveNoTerm(text, start, end)) {
        const surface = text.slice(start, end);
        tokens.push({
          text: surface,
          start,
          end,
          exact: '',
          term: '',
          alternative: undefined,
          position: tokens.length,
        });
        return;
      }
    }
    const word = text.slice(start, end);
    if (head !== undefined) {
      const joined = compoundTerms(head.word, word, options);
      const previous = head;
      head = undefined;
      if (joined.length > 0) {
        // The joined spelling spans both words; the second word keeps its own span.
        push(joined.slice(0, 1), text.slice(previous.start, end), previous.start, end);
        push(joined.slice(1), word, start, end);
        return;
      }
      push(analyzeWord(previous.word, stem, stopWords), previous.word, previous.start, previous.end);
    }
    if (startsName) {
      head = { word, start, end };
      return;
    }
    push(analyzeWord(word, stem, stopWords), word, start, end);
  });
  if (head !== undefined) push(analyzeWord(head.word, stem, stopWords), head.word, head.start, head.end);
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
