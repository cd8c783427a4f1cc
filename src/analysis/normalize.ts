/** The normaliser: the ordered list of small normalisers that text is compared on, and why that order. */
import { foldCompatibility } from './normalizers/fold-compatibility.js';
import { foldDigits } from './normalizers/fold-digits.js';
import {
  foldAlef,
  foldHamzaSeats,
  foldPersianLetters,
  foldTehMarbuta,
  foldYeh,
} from './normalizers/fold-letters.js';
import { lowerCase } from './normalizers/lower-case.js';
import { removeDiacritics } from './normalizers/remove-diacritics.js';
import { removeInvisibles } from './normalizers/remove-invisibles.js';
import { removeTatweel } from './normalizers/remove-tatweel.js';

/** One step of the normaliser: a pure function from text to text. */
export type Normalizer = (text: string) => string;

/**
 * The normaliser's steps, in the order they run. The order matters:
 * 1. invisibles go first, so that a letter and its mark separated by them become adjacent before
 *    NFKC composes them (`و` ZWJ U+0654 must end as `ؤ`, like `ؤ`);
 * 2. NFKC next, so presentation forms, ligatures and decomposed hamza become plain letters that
 *    the folds below recognise; tatweel after it, since NFKC makes tatweel of the isolated forms of
 *    harakat (`ﹷ` → `ـَ`); then lower-casing (NFKC can produce capitals, e.g. `ℌ` → `H`);
 * 3. digits and diacritics, then the letter folds: none of them produces anything an earlier step
 *    would change again, which is what makes `normalize` idempotent;
 * 4. Persian letters before the alef maqsura and hamza folds would not matter today (their outputs
 *    are disjoint) but keeps "look-alikes become Arabic first" a rule.
 */
export const NORMALIZERS: readonly Normalizer[] = Object.freeze([
  removeInvisibles,
  foldCompatibility,
  removeTatweel,
  lowerCase,
  foldDigits,
  removeDiacritics,
  foldPersianLetters,
  foldAlef,
  foldYeh,
  foldTehMarbuta,
  foldHamzaSeats,
]);

/**
 * Normalises text for matching: what the index stores and queries are compared on.
 *
 * - Folds alef forms, alef maqsura, taa marbuta, hamza seats, Persian look-alikes and digits;
 *   removes diacritics, tatweel and invisible characters; applies NFKC; lower-cases.
 * - Never throws, and `normalize(normalize(x)) === normalize(x)` for every string.
 * - Offsets are not kept: use {@link analyze} for tokens that point back into the original text.
 *
 * @example normalize('الأمريكيَّة إلى ٢٠٢٣') // → 'الامريكيه الي 2023'
 */
export function normalize(text: string): string {
  let result = text;
  for (const step of NORMALIZERS) result = step(result);
  return result;
}
