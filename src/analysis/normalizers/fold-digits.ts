/** A normaliser: Arabic-Indic and Eastern Arabic-Indic digits folded to ASCII digits. */
import { ARABIC_INDIC_DIGIT_ZERO, EASTERN_ARABIC_INDIC_DIGIT_ZERO } from '../code-points.js';

const ARABIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/gu;

/**
 * Folds Arabic-Indic (`٠١٢…`) and Eastern Arabic-Indic (`۰۱۲…`, Persian and Urdu) digits to ASCII
 * digits, so `٢٠٢٣`, `۲۰۲۳` and `2023` are one term.
 *
 * @example foldDigits('عام ٢٠٢٣') // → 'عام 2023'
 */
export function foldDigits(text: string): string {
  return text.replace(ARABIC_DIGITS, (digit) => {
    const code = digit.charCodeAt(0);
    const zero =
      code >= EASTERN_ARABIC_INDIC_DIGIT_ZERO ? EASTERN_ARABIC_INDIC_DIGIT_ZERO : ARABIC_INDIC_DIGIT_ZERO;
    return String(code - zero);
  });
}
