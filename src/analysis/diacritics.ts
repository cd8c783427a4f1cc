/** Vowel marks as a reading: whether a typed word's marks choose one, and agree with a written word's. */
import { normalize } from './normalize.js';

/** The short-vowel marks a writer adds to settle a reading: harakat, tanween, shadda, sukun, dagger alef. */
const VOWEL_MARK = /[\u064B-\u0652\u0670]/u;
const VOWEL_MARKS = /[\u064B-\u0652\u0670]/gu;
/** Marks and format characters that are not letters (tatweel too). */
const NOT_LETTER = /[\p{M}\p{Cf}\u0640]/u;

/** Whether a text carries short-vowel marks. */
export function hasVowelMarks(text: string): boolean {
  return VOWEL_MARK.test(text);
}

/** Vowels, shadda and sukun, without tanween: what a writer adds to choose between readings. */
const READING_MARKS = /[\u064E-\u0652\u0670]/gu;

/**
 * Whether a typed word's marks choose a reading (`عَلَم`, `عِلْم`): two marks or more, tanween aside. A
 * single mark is mostly incidental in what people type (`أيضاً`, `موّل`, `سُجلت`), and a quarter of
 * xquad-ar's questions carry one.
 */
export function choosesReading(word: string): boolean {
  return (word.match(READING_MARKS)?.length ?? 0) >= 2;
}

/** A written word's letters (normalised) and, for each, its vowel marks (sorted; '' for none). */
interface MarkedWord {
  letters: string;
  marks: string[];
}

function markedWord(word: string): MarkedWord {
  let letters = '';
  const marks: string[] = [];
  for (const char of word.normalize('NFC')) {
    if (VOWEL_MARK.test(char)) {
      if (marks.length > 0) marks[marks.length - 1] += char;
      continue;
    }
    if (NOT_LETTER.test(char)) continue;
    const letter = normalize(char);
    if (letter.length !== 1) continue;
    letters += letter;
    marks.push('');
  }
  return { letters, marks: marks.map((set) => [...set].sort().join('')) };
}

/**
 * Whether a written word's vowel marks agree with those of a typed word of the same letters (a clitic
 * more or less on the written word): `1` when they agree where both have marks, and both have some;
 * `-1` when some letter has other marks (`عِلْم` for `عَلَم`); `0` when there is nothing to compare
 * (either has no marks, or the letters differ).
 *
 * @example marksAgreement('عَلَم', 'العَلَمُ') // → 1
 */
export function marksAgreement(typed: string, written: string): -1 | 0 | 1 {
  const query = markedWord(typed);
  const word = markedWord(written);
  const offset = word.letters.indexOf(query.letters);
  if (query.letters === '' || offset < 0) return 0;
  let compared = 0;
  for (let at = 0; at < query.marks.length; at += 1) {
    const mine = query.marks[at]!;
    const theirs = word.marks[offset + at]!;
    if (mine === '' || theirs === '') continue;
    if (mine !== theirs) return -1;
    compared += 1;
  }
  return compared > 0 ? 1 : 0;
}

/** The text with its vowel marks removed (what people type without them). */
export function removeVowelMarks(text: string): string {
  return text.replace(VOWEL_MARKS, '');
}
