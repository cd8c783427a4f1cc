/** The query: its syntax parsed and analysed into words, phrases, exclusions and requirements. */
import { type AnalysisOptions, analyzeForIndex } from '../analysis/analyze.js';

/** A query word as the index matches it. */
export interface QueryWord {
  /** Normalised, unstemmed: an exact match ranks higher. */
  exact: string;
  /** Light stem: what any inflection of the word shares. */
  stem: string;
  /** The stem of the other reading of an ambiguous first letter, matched at a lower weight. */
  alternative?: string;
  /**
   * Other words that count as this one, at a lower weight: corrections of a typing error and synonyms,
   * found for the archive searched (see `corrections.ts`). Absent as parsed.
   */
  variants?: readonly WordVariant[];
  /** Phrases that count as this word (a synonym of several words: `قسد` → `قوات سوريا الديمقراطية`). */
  phraseVariants?: readonly PhraseVariant[];
}

/** A phrase that counts as a query word, at a weight below 1. */
export interface PhraseVariant {
  words: readonly QueryWord[];
  weight: number;
  /** As {@link WordVariant.span}. */
  span?: number;
}

/** A word that counts as a query word: a correction or a synonym. */
export interface WordVariant {
  exact: string;
  stem: string;
  alternative?: string;
  /** Its weight relative to the query word's own forms (below 1: the word as written ranks first). */
  weight: number;
  /** Why it counts: a typing error corrected (at this distance), or a synonym. */
  kind: 'typo' | 'synonym';
  distance?: number;
  /**
   * How many query words it stands for, from this one on (default 1): `قسد` for the three words of
   * `قوات سوريا الديمقراطية`, which it matches once, not three times.
   */
  span?: number;
}

/** A form a token of a paragraph is compared with: a query word's own, or one of its variants'. */
export interface MatchForm {
  /** The query word (its index) a match counts for. */
  word: number;
  exact: string;
  stem: string;
  alternative?: string;
}

/** The forms of the words, each word's own then its variants', word after word. */
export function matchForms(words: readonly QueryWord[]): MatchForm[] {
  return words.flatMap((word, index) => [
    { word: index, exact: word.exact, stem: word.stem, alternative: word.alternative },
    ...(word.variants ?? []).map((variant) => ({
      word: index,
      exact: variant.exact,
      stem: variant.stem,
      alternative: variant.alternative,
    })),
  ]);
}

/** A parsed query: the query syntax of SPEC.md, analysed. */
export interface ParsedQuery {
  /** Words any of which may match; more matches rank higher. */
  optional: QueryWord[];
  /** Words every hit must contain (`+word`). */
  required: QueryWord[];
  /** Words no hit may contain (`-word`). */
  excluded: QueryWord[];
  /** Phrases every hit must contain, word after word (`"…"`, or a required word that analyses to several). */
  phrases: QueryWord[][];
  /** Phrases no hit may contain (`-"…"`). */
  excludedPhrases: QueryWord[][];
}

/** One to three proclitics (`و ف ب ل ك`), tatweel and marks between: what a quotation mark follows in running text. */
const PROCLITICS = /^(?:[\u0648\u0641\u0628\u0644\u0643][\u0640\p{M}]*){1,3}$/u;

/** Opening quote → its closing quote: ASCII, typographic and guillemets, as Arabic keyboards type them. */
const QUOTES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['“', '”'],
  ['”', '”'],
  ['«', '»'],
]);

/** The words of a text as a query matches them (stop words dropped). */
export function queryWords(text: string, options: AnalysisOptions | undefined): QueryWord[] {
  return analyzeForIndex(text, options).map(({ exact, term, alternative }) =>
    alternative === undefined ? { exact, stem: term } : { exact, stem: term, alternative },
  );
}

/**
 * Parses query syntax: words, `"an exact phrase"`, `-word` to exclude, `+word` to require.
 *
 * - Never throws: an unbalanced quote runs to the end of the query, a lone `+` or `-` is ignored,
 *   punctuation and stop words simply yield no words.
 * - `+` and `-` count only at the start of a word; `وزير-الخارجية` is two plain words.
 * - A quote glued to a word ends it and opens a phrase (`النفط"أسعار الذهب"`), but one after a
 *   proclitic alone (`بـ"`, `و«`, `لـ"`) is a quotation mark of pasted text, as in a headline's
 *   `تتمسك بـ"تطبيق الأطفال"`: its words are plain words, for a phrase would find the story only in
 *   paragraphs that repeat the headline's words in order.
 * - A required or excluded word that analyses to several terms (`+F-16`) is treated as a phrase.
 *
 * @example parseQuery('+النفط "أسعار الذهب" -الفضة').required // → [{ exact: 'النفط', stem: 'نفط' }]
 */
export function parseQuery(query: string, options?: AnalysisOptions): ParsedQuery {
  const parsed: ParsedQuery = { optional: [], required: [], excluded: [], phrases: [], excludedPhrases: [] };
  let index = 0;
  while (index < query.length) {
    const char = query[index]!;
    if (/\s/u.test(char)) {
      index += 1;
      continue;
    }
    let sign: '+' | '-' | '' = '';
    if ((char === '+' || char === '-') && index + 1 < query.length) {
      sign = char;
      index += 1;
    }
    const close = QUOTES.get(query[index]!);
    if (close !== undefined) {
      const end = query.indexOf(close, index + 1);
      const stop = end === -1 ? query.length : end;
      addPhrase(parsed, queryWords(query.slice(index + 1, stop), options), sign);
      index = stop + 1;
      continue;
    }
    let end = index;
    while (
      end < query.length &&
      !/\s/u.test(query[end]!) &&
      !(QUOTES.has(query[end]!) && !PROCLITICS.test(query.slice(index, end)))
    ) {
      end += 1;
    }
    addWord(parsed, queryWords(query.slice(index, end), options), sign);
    index = end === index ? end + 1 : end;
  }
  return parsed;
}

function addPhrase(parsed: ParsedQuery, words: QueryWord[], sign: '+' | '-' | ''): void {
  if (words.length === 0) return;
  if (words.length === 1) {
    addWord(parsed, words, sign === '' ? '+' : sign);
    return;
  }
  (sign === '-' ? parsed.excludedPhrases : parsed.phrases).push(words);
}

function addWord(parsed: ParsedQuery, words: QueryWord[], sign: '+' | '-' | ''): void {
  if (sign === '') {
    parsed.optional.push(...words);
  } else if (words.length > 1) {
    addPhrase(parsed, words, sign);
  } else if (words.length === 1) {
    (sign === '+' ? parsed.required : parsed.excluded).push(words[0]!);
  }
}

/** The identity of a query word: the same word twice is scored once. */
export function wordKey(word: QueryWord): string {
  return `${word.exact} ${word.stem}`;
}

/** The words a hit is scored on: optional, required and phrase words, each once. */
export function positiveWords(query: ParsedQuery): QueryWord[] {
  const seen = new Set<string>();
  const words: QueryWord[] = [];
  for (const word of [...query.optional, ...query.required, ...query.phrases.flat()]) {
    const key = wordKey(word);
    if (seen.has(key)) continue;
    seen.add(key);
    words.push(word);
  }
  return words;
}

/**
 * The query with its phrases loosened to plain words: what to search when no paragraph holds a phrase
 * (a quoted name spelt differently, say), so the user gets the closest paragraphs instead of nothing.
 * Proximity ranking still puts the phrase's words close together first.
 */
export function relaxPhrases(query: ParsedQuery): ParsedQuery {
  return { ...query, optional: [...query.optional, ...query.phrases.flat()], phrases: [] };
}
