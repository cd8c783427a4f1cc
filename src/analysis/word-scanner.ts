/** A fast word scanner: the spans `splitWords` gives, found by a table look-up per code unit. */
import { splitWords } from './tokenize.js';

/** What a UTF-16 code unit is to the word splitter, read from one table instead of regular expressions. */
const WORD = 1;
const FORMAT = 2;
const ARABIC_LETTER = 4;
const MARK_OR_FORMAT = 8;

let table: Uint8Array | undefined;

/**
 * The class of every code unit of the Basic Multilingual Plane, computed once with the very Unicode
 * properties {@link splitWords} uses, so the scanner cannot disagree with it.
 */
function classTable(): Uint8Array {
  if (table !== undefined) return table;
  table = new Uint8Array(0x10000);
  const word = /[\p{L}\p{M}\p{N}]/u;
  const format = /\p{Cf}/u;
  const arabicLetter = /(?=\p{L})\p{scx=Arabic}/u;
  const markOrFormat = /[\p{M}\p{Cf}]/u;
  for (let unit = 0; unit < 0x10000; unit += 1) {
    if (unit >= 0xd800 && unit <= 0xdfff) continue;
    const char = String.fromCharCode(unit);
    table[unit] =
      (word.test(char) ? WORD : 0) |
      (format.test(char) ? FORMAT : 0) |
      (arabicLetter.test(char) ? ARABIC_LETTER : 0) |
      (markOrFormat.test(char) ? MARK_OR_FORMAT : 0);
  }
  return table;
}

/** Any surrogate: text beyond the Basic Multilingual Plane, which the table does not cover. */
const SURROGATE = /[\ud800-\udfff]/u;

/**
 * Calls `visit(start, end)` for every word of `text`, exactly as {@link splitWords} splits it, without
 * building a span object or running a regular expression per word: a table lookup per code unit.
 * Texts with characters beyond the Basic Multilingual Plane (rare in news) go through `splitWords`.
 *
 * @example forEachWord('قالَ: «٢٠٢٣»', (start, end) => …) // visits [0, 4] and [7, 11]
 */
export function forEachWord(text: string, visit: (start: number, end: number) => void): void {
  if (SURROGATE.test(text)) {
    for (const span of splitWords(text)) visit(span.start, span.end);
    return;
  }
  const classes = classTable();
  const length = text.length;
  let at = 0;
  while (at < length) {
    if ((classes[text.charCodeAt(at)]! & WORD) === 0) {
      at += 1;
      continue;
    }
    // A word: letters, marks and digits, with format characters inside but not at its end.
    const start = at;
    let end = at + 1;
    let scan = end;
    let hasArabic = false;
    let hasOther = false;
    while (scan < length) {
      const unitClass = classes[text.charCodeAt(scan)]!;
      if ((unitClass & WORD) !== 0) end = scan + 1;
      else if ((unitClass & FORMAT) === 0) break;
      scan += 1;
    }
    for (let unit = start; unit < end; unit += 1) {
      const unitClass = classes[text.charCodeAt(unit)]!;
      if ((unitClass & ARABIC_LETTER) !== 0) hasArabic = true;
      else if ((unitClass & MARK_OR_FORMAT) === 0) hasOther = true;
    }
    if (!hasArabic || !hasOther) visit(start, end);
    else splitAtScriptChange(text, start, end, classes, visit);
    at = end;
  }
}

/** An Arabic word glued to digits or Latin letters, cut where the script changes (marks stay put). */
function splitAtScriptChange(
  text: string,
  start: number,
  end: number,
  classes: Uint8Array,
  visit: (start: number, end: number) => void,
): void {
  let from = start;
  let previousIsArabic: boolean | undefined;
  for (let unit = start; unit < end; unit += 1) {
    const unitClass = classes[text.charCodeAt(unit)]!;
    if ((unitClass & MARK_OR_FORMAT) !== 0) continue;
    const isArabic = (unitClass & ARABIC_LETTER) !== 0;
    if (previousIsArabic !== undefined && isArabic !== previousIsArabic) {
      visit(from, unit);
      from = unit;
    }
    previousIsArabic = isArabic;
  }
  visit(from, end);
}
