/**
 * Named code points and code point classes used by the Arabic analysis.
 *
 * Every Arabic character the analysis treats specially is named here once, so rules read as
 * `ALEF_WITH_HAMZA_ABOVE → ALEF` instead of `'\u0623' → '\u0627'`.
 */

// Letters
export const ALEF = '\u0627';
export const ALEF_WITH_MADDA_ABOVE = '\u0622';
export const ALEF_WITH_HAMZA_ABOVE = '\u0623';
export const ALEF_WITH_HAMZA_BELOW = '\u0625';
export const ALEF_WASLA = '\u0671';
export const ALEF_WITH_WAVY_HAMZA_ABOVE = '\u0672';
export const ALEF_WITH_WAVY_HAMZA_BELOW = '\u0673';
export const HIGH_HAMZA_ALEF = '\u0675';
export const HAMZA = '\u0621';
export const WAW_WITH_HAMZA_ABOVE = '\u0624';
export const YEH_WITH_HAMZA_ABOVE = '\u0626';
export const ALEF_MAQSURA = '\u0649';
export const YEH = '\u064A';
export const TEH_MARBUTA = '\u0629';
export const TEH_MARBUTA_GOAL = '\u06C3';
export const HEH = '\u0647';
export const WAW = '\u0648';
export const KAF = '\u0643';
export const LAM = '\u0644';
export const BEH = '\u0628';
export const FEH = '\u0641';
export const TEH = '\u062A';
export const NOON = '\u0646';
export const MEEM = '\u0645';
export const SEEN = '\u0633';

// Persian, Urdu and other look-alikes of Arabic letters
export const FARSI_YEH = '\u06CC';
export const YEH_BARREE = '\u06D2';
export const E_LETTER = '\u06D0';
export const KEHEH = '\u06A9';
export const SWASH_KAF = '\u06AA';
export const GAF = '\u06AF';
export const HEH_DOACHASHMEE = '\u06BE';
export const HEH_GOAL = '\u06C1';
export const HEH_WITH_YEH_ABOVE = '\u06C0';
export const HEH_GOAL_WITH_HAMZA_ABOVE = '\u06C2';
export const AE_LETTER = '\u06D5';

// Marks
export const TATWEEL = '\u0640';
export const SUPERSCRIPT_ALEF = '\u0670';

// Digits: the first of each run of ten
export const ARABIC_INDIC_DIGIT_ZERO = 0x0660;
export const EASTERN_ARABIC_INDIC_DIGIT_ZERO = 0x06f0;

/**
 * Arabic combining marks that carry no lexical meaning for search: harakat, tanween, shadda, sukun,
 * madda and hamza marks (U+064B–U+065F), superscript alef (U+0670), Quranic annotation signs
 * (U+0610–U+061A, U+06D6–U+06ED) and the extended-A marks (U+08D3–U+08FF).
 */
export const ARABIC_DIACRITICS =
  /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E4\u06E7\u06E8\u06EA-\u06ED\u08D3-\u08E1\u08E3-\u08FF]/gu;

/**
 * Characters that change how text is displayed but not what it says: zero-width spaces and
 * joiners, the soft hyphen, the byte-order mark and every bidirectional control
 * (including the Arabic letter mark U+061C).
 */
export const INVISIBLE_CHARACTERS =
  /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/gu;
