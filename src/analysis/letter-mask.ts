/**
 * Which letters a written word can hold once normalised, as a set of 31 bits: enough to rule out, without
 * normalising or stemming it, a word that cannot match any of a query's words (highlighting a hit reads
 * every word of its text, and most match nothing).
 */
import { normalize } from './normalize.js';

/** Every bit: a word holding a character whose normal form is not read letter by letter may be anything. */
const EVERY_LETTER = 0x7fffffff;
/** Not yet computed, in the table of code units. */
const UNKNOWN = -1;

/** Marks and format characters, which NFKC may compose with the letter before them (`و` + hamza above). */
const MARK_OR_FORMAT = /[\p{M}\p{Cf}]/u;

/** Each code unit's letters once normalised, computed when first met. */
const unitMasks = new Int32Array(0x10000).fill(UNKNOWN);

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
 * A superset of the letters `normalize(text.slice(start, end))` holds, read a table entry per code unit.
 * A unit is read on its own only in ASCII and the Arabic block, where no two letters compose; a mark, a
 * format character or anything else (presentation forms, other scripts, surrogates) counts as every
 * letter.
 */
export function writtenLetterMask(text: string, start: number, end: number): number {
  let mask = 0;
  for (let at = start; at < end; at += 1) {
    const unit = text.charCodeAt(at);
    let unitMask = unitMasks[unit]!;
    if (unitMask === UNKNOWN) unitMask = unitMasks[unit] = letterMaskOfUnit(unit);
    mask |= unitMask;
  }
  return mask;
}

function letterMaskOfUnit(unit: number): number {
  const readAlone = unit < 0x80 || (unit >= 0x0600 && unit <= 0x06ff);
  const char = String.fromCharCode(unit);
  if (!readAlone || MARK_OR_FORMAT.test(char)) return EVERY_LETTER;
  return normalizedLetterMask(normalize(char));
}

/**
 * Whether a written word may hold a form of one of these letter sets (each a query form's
 * {@link normalizedLetterMask}): `false` only when it surely does not.
 */
export function mayHoldAny(text: string, start: number, end: number, forms: readonly number[]): boolean {
  const mask = writtenLetterMask(text, start, end);
  for (const form of forms) if ((form & ~mask) === 0) return true;
  return false;
}
