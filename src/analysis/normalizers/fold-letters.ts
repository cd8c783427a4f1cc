/** Normalisers that fold letter variants: alef forms, yeh, teh marbuta, Persian look-alikes, hamza seats. */
import * as cp from '../code-points.js';

function foldWith(table: ReadonlyMap<string, string>): (text: string) => string {
  const pattern = new RegExp(`[${[...table.keys()].join('')}]`, 'gu');
  return (text) => text.replace(pattern, (letter) => table.get(letter) ?? letter);
}

/**
 * Folds the hamza, madda and wasla forms of alef to bare alef: `أ إ آ ٱ` → `ا`.
 *
 * - Writers drop or misplace the hamza on alef all the time (`الامريكية` for `الأمريكية`).
 *
 * @example foldAlef('الأمريكية إلى آلاف') // → 'الامريكية الى الاف'
 */
export const foldAlef = foldWith(
  new Map([
    [cp.ALEF_WITH_HAMZA_ABOVE, cp.ALEF],
    [cp.ALEF_WITH_HAMZA_BELOW, cp.ALEF],
    [cp.ALEF_WITH_MADDA_ABOVE, cp.ALEF],
    [cp.ALEF_WASLA, cp.ALEF],
    [cp.ALEF_WITH_WAVY_HAMZA_ABOVE, cp.ALEF],
    [cp.ALEF_WITH_WAVY_HAMZA_BELOW, cp.ALEF],
    [cp.HIGH_HAMZA_ALEF, cp.ALEF],
  ]),
);

/**
 * Folds alef maqsura `ى` to yeh `ي`: Egyptian and many web texts write final yeh without dots and
 * others write maqsura with them (`على`/`علي`).
 *
 * @example foldYeh('على مستوى') // → 'علي مستوي'
 */
export const foldYeh = foldWith(new Map([[cp.ALEF_MAQSURA, cp.YEH]]));

/**
 * Folds taa marbuta `ة` to heh `ه`: the two are written interchangeably at the end of a word.
 *
 * @example foldTehMarbuta('الحكومة') // → 'الحكومه'
 */
export const foldTehMarbuta = foldWith(
  new Map([
    [cp.TEH_MARBUTA, cp.HEH],
    [cp.TEH_MARBUTA_GOAL, cp.HEH],
  ]),
);

/**
 * Folds Persian and Urdu look-alike letters to the Arabic letters they look like: keheh `ک` and
 * gaf `گ` to kaf, Farsi yeh `ی` to yeh, the heh variants `ھ ہ ۀ ە` to heh.
 *
 * - Text typed on Persian or Urdu keyboards looks Arabic but would otherwise never match.
 *
 * @example foldPersianLetters('کتاب') // → 'كتاب'
 */
export const foldPersianLetters = foldWith(
  new Map([
    [cp.KEHEH, cp.KAF],
    [cp.SWASH_KAF, cp.KAF],
    [cp.GAF, cp.KAF],
    [cp.FARSI_YEH, cp.YEH],
    [cp.YEH_BARREE, cp.YEH],
    [cp.E_LETTER, cp.YEH],
    [cp.HEH_DOACHASHMEE, cp.HEH],
    [cp.HEH_GOAL, cp.HEH],
    [cp.HEH_WITH_YEH_ABOVE, cp.HEH],
    [cp.HEH_GOAL_WITH_HAMZA_ABOVE, cp.HEH],
    [cp.AE_LETTER, cp.HEH],
  ]),
);

/**
 * Folds the hamza seats `ؤ` and `ئ` to bare hamza `ء`.
 *
 * - The seat of a medial hamza varies between writers and regions: `مسؤول`/`مسئول`,
 *   `شؤون`/`شئون`; on bare hamza both spellings meet.
 *
 * @example foldHamzaSeats('مسؤول مسئول') // → 'مسءول مسءول'
 */
export const foldHamzaSeats = foldWith(
  new Map([
    [cp.WAW_WITH_HAMZA_ABOVE, cp.HAMZA],
    [cp.YEH_WITH_HAMZA_ABOVE, cp.HAMZA],
  ]),
);
