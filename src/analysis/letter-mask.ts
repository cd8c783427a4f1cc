/**
 * Which letters a written word can hold once normalised, as a set of 31 bits: enough to rule out, without
 * normalising or stemming it, a word that cannot match any of a query's words (highlighting a hit reads
 * every word of its text, and most match nothing).
 */
import { normalize } from './normalize.js';
import { CLITICS, STOP_WORDS } from './stop-words.js';

/** Every bit: a word holding a character whose normal form is not read letter by letter may be anything. */
const EVERY_LETTER = 0x7fffffff;

/** Marks and format characters, which NFKC may compose with the letter before them (`و` + hamza above). */
const MARK_OR_FORMAT = /[\p{M}\p{Cf}]/u;

/**
 * Each code unit as normalised, computed when first met: the one code unit it becomes whatever stands
 * beside it, {@link REMOVED} when normalising drops it (tatweel), {@link NOT_ALONE} when it is not read
 * alone or becomes several. A unit is read alone only in ASCII and the Arabic block, where no two
 * letters compose, and when it is no mark or format character; presentation forms, other scripts and
 * surrogates are not.
 */
const REMOVED = 0;
const NOT_ALONE = -2;
/** Not yet computed. */
const UNKNOWN_UNIT = -1;
const unitCodes = new Int32Array(0x10000).fill(UNKNOWN_UNIT);

function codeOf(unit: number): number {
  let code = unitCodes[unit]!;
  if (code === UNKNOWN_UNIT) code = unitCodes[unit] = codeOfUnit(unit);
  return code;
}

function codeOfUnit(unit: number): number {
  const readAlone = unit < 0x80 || (unit >= 0x0600 && unit <= 0x06ff);
  const char = String.fromCharCode(unit);
  if (!readAlone || MARK_OR_FORMAT.test(char)) return NOT_ALONE;
  const normalized = normalize(char);
  if (normalized.length === 0) return REMOVED;
  return normalized.length === 1 ? normalized.charCodeAt(0) : NOT_ALONE;
}

/** The bit of one normalised code unit (letters that share a bit only make the test weaker). */
function bit(unit: number): number {
  return 1 << (unit % 31);
}

/** The letters of a normalised string (a query word's exact form, stem or alternative). */
export function normalizedLetterMask(normalized: string): number {
  let mask = 0;
  for (let at = 0; at < normalized.length; at += 1) mask |= bit(normalized.charCodeAt(at));
  return mask;
}

/**
 * A superset of the letters `normalize(text.slice(start, end))` holds, read a table entry per code unit:
 * every letter when a unit is not read alone, else those of the units as normalised.
 */
export function writtenLetterMask(text: string, start: number, end: number): number {
  let mask = 0;
  for (let at = start; at < end; at += 1) {
    const code = codeOf(text.charCodeAt(at));
    if (code === NOT_ALONE) return EVERY_LETTER;
    if (code !== REMOVED) mask |= bit(code);
  }
  return mask;
}

/** The bit of a pair of neighbouring normalised code units. */
function pairBit(first: number, second: number): number {
  return 1 << (((Math.imul(first, 0x9e3779b1) ^ second) >>> 0) % 31);
}

/** The pairs of neighbouring letters of a normalised string, as a set of 31 bits. */
export function normalizedPairMask(normalized: string): number {
  let mask = 0;
  for (let at = 1; at < normalized.length; at += 1) {
    mask |= pairBit(normalized.charCodeAt(at - 1), normalized.charCodeAt(at));
  }
  return mask;
}

/**
 * A superset of the pairs of neighbouring letters `normalize(text.slice(start, end))` holds: every pair
 * when a unit is not read alone, else those of the units as normalised, the ones it drops skipped.
 */
export function writtenPairMask(text: string, start: number, end: number): number {
  let mask = 0;
  let previous = -1;
  for (let at = start; at < end; at += 1) {
    const code = codeOf(text.charCodeAt(at));
    if (code === NOT_ALONE) return EVERY_LETTER;
    if (code === REMOVED) continue;
    if (previous !== -1) mask |= pairBit(previous, code);
    previous = code;
  }
  return mask;
}

/** What a form must find in a written word: its letters and its pairs of neighbouring letters. */
export interface FormMasks {
  letters: number;
  pairs: number;
}

/** A normalised form's {@link FormMasks}. */
export function formMasks(normalized: string): FormMasks {
  return { letters: normalizedLetterMask(normalized), pairs: normalizedPairMask(normalized) };
}

/**
 * Whether a written word may hold one of these forms (a query's words, as {@link formMasks}): `false`
 * only when it surely does not, lacking a letter or a pair of neighbouring letters of each.
 */
export function mayHoldAny(text: string, start: number, end: number, forms: readonly FormMasks[]): boolean {
  const letters = writtenLetterMask(text, start, end);
  let pairs: number | undefined;
  for (const form of forms) {
    if ((form.letters & ~letters) !== 0) continue;
    pairs ??= writtenPairMask(text, start, end);
    if ((form.pairs & ~pairs) === 0) return true;
  }
  return false;
}

/** The letters of each stop word, alone and behind a one-letter clitic (as {@link isStopWord} reads them). */
const STOP_WORD_LETTERS: ReadonlySet<number> = new Set(
  [...STOP_WORDS].flatMap((word) => {
    const letters = normalizedLetterMask(word);
    return [letters, ...[...CLITICS].map((clitic) => letters | normalizedLetterMask(clitic))];
  }),
);

/**
 * Whether a written word may give no term at all: `false` only when it surely gives one, its letters
 * being read alone, not all dropped, and not those of any stop word. Normalising a letter read alone
 * does not depend on its neighbours, so a stop word's written letters are exactly its normal form's.
 *
 * @example mayGiveNoTerm('وفي', 0, 3) // → true; mayGiveNoTerm('النفط', 0, 5) // → false
 */
export function mayGiveNoTerm(text: string, start: number, end: number): boolean {
  const letters = writtenLetterMask(text, start, end);
  return letters === 0 || letters === EVERY_LETTER || STOP_WORD_LETTERS.has(letters);
}
