import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitWords } from '../../src/analysis/tokenize.js';
import { forEachWord } from '../../src/analysis/word-scanner.js';

function scanned(text: string): [number, number][] {
  const words: [number, number][] = [];
  forEachWord(text, (start, end) => words.push([start, end]));
  return words;
}

const expected = (text: string) => splitWords(text).map((span): [number, number] => [span.start, span.end]);

// Arabic letters, harakat, tatweel, Arabic-Indic digits, Latin, digits, joiners and bidi marks,
// punctuation, spaces, a Persian letter, a presentation form and an astral character.
const unit = fc.constantFrom(
  ...'كتبالمدرسةَُِّـ٢٠abcXY019\u200c\u200d\u200f\u061c،؟.,«» \n\tپﻻ🙂-'.split(/(?:)/u),
);

describe('forEachWord splits as splitWords does', () => {
  it('for any mix of scripts, marks, digits and separators', () => {
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (units) => {
        const text = units.join('');
        expect(scanned(text)).toEqual(expected(text));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['empty', ''],
    ['separators only', ' ،؟ «» '],
    ['a diacritised word with tatweel', 'قالَــت'],
    ['Arabic glued to digits and Latin', '2015م وF16ال'],
    ['joiners inside and at the ends', '\u200cمي\u200cخواهم\u200c'],
    ['text beyond the BMP', 'خبر 🙂 عاجل'],
  ])('%s', (_name, text) => {
    expect(scanned(text)).toEqual(expected(text));
  });
});
