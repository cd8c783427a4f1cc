/** A normaliser: zero-width characters, the soft hyphen, the byte-order mark and bidi controls removed. */
import { INVISIBLE_CHARACTERS } from '../code-points.js';

/**
 * Removes zero-width characters, the soft hyphen, the byte-order mark and bidi controls.
 *
 * - They change rendering only, so `مسؤول` with a stray U+200F must match `مسؤول`.
 * - Runs first: once they are gone, a base letter and its combining mark become adjacent and the
 *   compatibility step can compose them.
 *
 * @example removeInvisibles('مس\u200Cؤول') // → 'مسؤول'
 */
export function removeInvisibles(text: string): string {
  return text.replace(INVISIBLE_CHARACTERS, '');
}
