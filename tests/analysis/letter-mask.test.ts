import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../src/analysis/analyze.js';
import {
  formMasks,
  mayGiveNoTerm,
  mayHoldAny,
  normalizedLetterMask,
  normalizedPairMask,
  writtenLetterMask,
  writtenPairMask,
} from '../../src/analysis/letter-mask.js';
import { normalize } from '../../src/analysis/normalize.js';
import { forEachWord } from '../../src/analysis/word-scanner.js';
import { anyText } from './arbitrary-text.js';

/** Whether every letter of `form` is in `mask`. */
const within = (form: number, mask: number) => (form & ~mask) === 0;

describe('letter masks', () => {
  it('a written word may hold every letter and pair of letters of each form its analysis gives it', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const token of analyzeForIndex(text)) {
          const letters = writtenLetterMask(text, token.start, token.end);
          const pairs = writtenPairMask(text, token.start, token.end);
          for (const form of [token.exact, token.term, token.alternative]) {
            if (form === undefined) continue;
            expect(within(normalizedLetterMask(form), letters)).toBe(true);
            expect(within(normalizedPairMask(form), pairs)).toBe(true);
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('holds, word by word, every letter and pair of letters of the word normalised', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        forEachWord(text, (start, end) => {
          const normalized = normalize(text.slice(start, end));
          expect(within(normalizedLetterMask(normalized), writtenLetterMask(text, start, end))).toBe(true);
          expect(within(normalizedPairMask(normalized), writtenPairMask(text, start, end))).toBe(true);
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('rules out a word that lacks a letter of every form, and keeps one with a mark or a ligature', () => {
    const text = 'ارتفعت أسعار النفط والذهب ﻻ';
    const forms = [formMasks('اسعار'), formMasks('سعر')];
    const at = (word: string): [number, number] => [text.indexOf(word), text.indexOf(word) + word.length];
    expect(mayHoldAny(text, ...at('أسعار'), forms)).toBe(true);
    expect(mayHoldAny(text, ...at('النفط'), forms)).toBe(false);
    expect(mayHoldAny(text, ...at('ارتفعت'), forms)).toBe(false);
    // A presentation form is read as any letter: its normal form is not read unit by unit.
    expect(mayHoldAny(text, ...at('ﻻ'), forms)).toBe(true);
    const marked = 'نَفْط';
    expect(writtenLetterMask(marked, 0, marked.length)).toBe(0x7fffffff);
    expect(writtenPairMask(marked, 0, marked.length)).toBe(0x7fffffff);
  });

  it("rules out a word holding a form's letters but not side by side", () => {
    // `عرس` holds the letters of `سعر`, none of its pairs in order.
    const text = 'عرس';
    expect(within(normalizedLetterMask('سعر'), writtenLetterMask(text, 0, 3))).toBe(true);
    expect(mayHoldAny(text, 0, 3, [formMasks('سعر')])).toBe(false);
    // Tatweel between letters is dropped: `سـعـر` holds `سعر`'s pairs.
    const drawn = 'سـعـر';
    expect(mayHoldAny(drawn, 0, drawn.length, [formMasks('سعر')])).toBe(true);
  });

  it('a word that gives no term may give none: stop words and words of nothing but tatweel', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        forEachWord(text, (start, end) => {
          if (analyzeForIndex(text.slice(start, end)).length === 0)
            expect(mayGiveNoTerm(text, start, end), text.slice(start, end)).toBe(true);
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['empty word', '', true],
    ['a stop word', 'في', true],
    ['a stop word with hamza and vowel marks', 'إِلَى', true],
    ['a stop word behind a clitic', 'وهذه', true],
    ['tatweel alone', 'ــــ', true],
    ['must not change: a word that gives a term', 'النفط', false],
    ['a word with the letters of none', 'الحكومة', false],
    ['non-Arabic pass-through', 'oil', false],
  ])('may give no term: %s', (_name, word, expected) => {
    expect(mayGiveNoTerm(word, 0, word.length)).toBe(expected);
  });
});
