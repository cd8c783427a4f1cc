/** Texts for the analysis property tests (fast-check arbitraries). */
import fc from 'fast-check';

/** Characters real Arabic text brings: letters, hamza forms, marks, tatweel, digits, invisibles, forms. */
const ARABIC_ALPHABET = [
  ...'ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآٱؤئىة',
  ...'\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u0640',
  ...'٠١٢٣٤٥٦٧٨٩۰۱۲۳یکگھە',
  ...'\u200B\u200C\u200D\u200E\u200F\u202B\u202C\uFEFF\u00AD',
  ...'ﻻﷲﷺﻣﺮﺣﺒﺎ،؛؟«»“” .-+"Aİ',
];

/** Up to 40 characters of {@link ARABIC_ALPHABET}. */
export const arabicText = fc
  .array(fc.constantFrom(...ARABIC_ALPHABET), { maxLength: 40 })
  .map((chars) => chars.join(''));
/** Arabic text, any graphemes, or any code points of the whole Unicode range. */
export const anyText = fc.oneof(
  arabicText,
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
