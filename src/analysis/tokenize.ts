/** A word as it stands in the original text: `text === original.slice(start, end)`. */
export interface Span {
  /** The word exactly as written, diacritics, tatweel and all. */
  text: string;
  /** Offset of the first UTF-16 code unit in the original text. */
  start: number;
  /** Offset just past the last UTF-16 code unit in the original text. */
  end: number;
}

/**
 * A run of letters, marks and digits. Format characters (zero-width joiners, bidi marks) may sit
 * inside a word without splitting it, but never start or end one.
 */
const WORD = /[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}\p{Cf}]*[\p{L}\p{M}\p{N}])?/gu;

/** Arabic-script letters (tatweel included), which never share a word with digits or Latin. */
const ARABIC_LETTER = /^(?=\p{L})\p{scx=Arabic}/u;
const MARK_OR_FORMAT = /[\p{M}\p{Cf}]/u;
/** Words that need no split: all Arabic letters, or no Arabic letter at all (the common cases). */
const ALL_ARABIC = /^(?:(?=\p{L})\p{scx=Arabic}|[\p{M}\p{Cf}])+$/u;
const ANY_ARABIC = /(?=\p{L})\p{scx=Arabic}/u;

/**
 * Splits text into word spans, keeping their offsets in the original text.
 *
 * - Words are runs of Unicode letters, marks and digits; everything else separates them, including
 *   Arabic punctuation (`، ؛ ؟`) and typographic quotes.
 * - An Arabic word glued to digits or Latin letters is split where the script changes
 *   (`2015م` → `2015`, `م`), as such runs are typing slips or abbreviations, not words.
 * - Marks and format characters stay with the letter before them.
 *
 * @example splitWords('قالَ: «٢٠٢٣»').map((s) => s.text) // → ['قالَ', '٢٠٢٣']
 */
export function splitWords(text: string): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(WORD)) {
    splitAtScriptChange(match[0], match.index, spans);
  }
  return spans;
}

function splitAtScriptChange(word: string, offset: number, spans: Span[]): void {
  if (ALL_ARABIC.test(word) || !ANY_ARABIC.test(word)) {
    spans.push({ text: word, start: offset, end: offset + word.length });
    return;
  }
  let start = 0;
  let previousIsArabic: boolean | undefined;
  let index = 0;
  for (const char of word) {
    if (!MARK_OR_FORMAT.test(char)) {
      const isArabic = ARABIC_LETTER.test(char);
      if (previousIsArabic !== undefined && isArabic !== previousIsArabic) {
        spans.push(spanOf(word, offset, start, index));
        start = index;
      }
      previousIsArabic = isArabic;
    }
    index += char.length;
  }
  spans.push(spanOf(word, offset, start, word.length));
}

function spanOf(word: string, offset: number, from: number, to: number): Span {
  return { text: word.slice(from, to), start: offset + from, end: offset + to };
}
