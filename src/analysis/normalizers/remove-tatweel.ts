/** A normaliser: tatweel (kashida), the stretching stroke of justified Arabic, removed. */
import { TATWEEL } from '../code-points.js';

/**
 * Removes tatweel (kashida, U+0640), the stretching stroke of justified Arabic.
 *
 * @example removeTatweel('الـعـالـم') // → 'العالم'
 */
export function removeTatweel(text: string): string {
  return text.replaceAll(TATWEEL, '');
}
