/** A normaliser: Arabic diacritics (harakat, tanween, shadda, sukun, Quranic marks) removed. */
import { ARABIC_DIACRITICS } from '../code-points.js';

/**
 * Removes Arabic diacritics: harakat, tanween, shadda, sukun, superscript alef and Quranic marks.
 *
 * - Most news text is unvocalised, so a vocalised word must match its bare spelling.
 * - Latin accents are left alone: they are letters of other languages, not optional vowels.
 *
 * @example removeDiacritics('زَعْزَعَةً') // → 'زعزعة'
 */
export function removeDiacritics(text: string): string {
  return text.replace(ARABIC_DIACRITICS, '');
}
