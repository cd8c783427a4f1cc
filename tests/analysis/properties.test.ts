import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../src/analysis/analyze.js';
import { normalize } from '../../src/analysis/normalize.js';
import { expectOffsetInvariants } from './expect-analysis.js';

/** Characters real Arabic text brings: letters, hamza forms, marks, tatweel, digits, invisibles, forms. */
const ARABIC_ALPHABET = [
  ...'ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآٱؤئىة',
  ...'\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652\u0653\u0654\u0655\u0670\u0640',
  ...'٠١٢٣٤٥٦٧٨٩۰۱۲۳یکگھە',
  ...'\u200B\u200C\u200D\u200E\u200F\u202B\u202C\uFEFF\u00AD',
  ...'ﻻﷲﷺﻣﺮﺣﺒﺎ،؛؟«»“” .-+"Aİ',
];

const arabicText = fc
  .array(fc.constantFrom(...ARABIC_ALPHABET), { maxLength: 40 })
  .map((chars) => chars.join(''));
const anyText = fc.oneof(
  arabicText,
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('analysis properties', () => {
  it('never throws, on any string', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        normalize(text);
        analyzeForIndex(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('normalising twice changes nothing', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(normalize(normalize(text))).toBe(normalize(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('tokens slice the text, in order, without overlapping', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expectOffsetInvariants(text, analyzeForIndex(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('every term is already normalised and not empty', () => {
    fc.assert(
      fc.property(arabicText, (text) => {
        for (const token of analyzeForIndex(text)) {
          expect(token.term.length).toBeGreaterThan(0);
          expect(normalize(token.exact)).toBe(token.exact);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
