import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../src/analysis/analyze.js';
import { mayHoldAny, normalizedLetterMask, writtenLetterMask } from '../../src/analysis/letter-mask.js';
import { normalize } from '../../src/analysis/normalize.js';
import { forEachWord } from '../../src/analysis/word-scanner.js';
import { anyText } from './arbitrary-text.js';

/** Whether every letter of `form` is in `mask`. */
const within = (form: number, mask: number) => (form & ~mask) === 0;

describe('letter masks', () => {
  it('a written word may hold every letter of each form its analysis gives it (exact, stem, alternative)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const token of analyzeForIndex(text)) {
          const mask = writtenLetterMask(text, token.start, token.end);
          for (const form of [token.exact, token.term, token.alternative]) {
            if (form !== undefined) expect(within(normalizedLetterMask(form), mask)).toBe(true);
          }
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('holds, word by word, every letter of the word normalised', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        forEachWord(text, (start, end) => {
          const normalized = normalize(text.slice(start, end));
          expect(within(normalizedLetterMask(normalized), writtenLetterMask(text, start, end))).toBe(true);
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('rules out a word that lacks a letter of every form, and keeps one with a mark or a ligature', () => {
    const text = 'ارتفعت أسعار النفط والذهب ﻻ';
    const forms = [normalizedLetterMask('اسعار'), normalizedLetterMask('سعر')];
    const at = (word: string): [number, number] => [text.indexOf(word), text.indexOf(word) + word.length];
    expect(mayHoldAny(text, ...at('أسعار'), forms)).toBe(true);
    expect(mayHoldAny(text, ...at('النفط'), forms)).toBe(false);
    expect(mayHoldAny(text, ...at('ارتفعت'), forms)).toBe(false);
    // A presentation form is read as any letter: its normal form is not read unit by unit.
    expect(mayHoldAny(text, ...at('ﻻ'), forms)).toBe(true);
    const marked = 'نَفْط';
    expect(writtenLetterMask(marked, 0, marked.length)).toBe(0x7fffffff);
  });
});
