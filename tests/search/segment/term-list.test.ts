import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TermList } from '../../../src/search/segment/term-list.js';

const listOf = (terms: readonly string[]) => {
  const { termText, termEnds } = TermList.encode(terms);
  return new TermList(termText, termEnds);
};

// Arabic letters with marks, Latin, a lone surrogate and an astral letter (two code units): what a
// comparison by code units must order as JavaScript does.
const term = fc.string({
  unit: fc.constantFrom('ك', 'ب', 'ا', 'أ', 'ـ', '\u064e', 'f', '1', '\ud83d', '𝔸'),
  maxLength: 8,
});
const sign = (value: number) => Math.sign(value);

describe('a term list', () => {
  it('gives back its terms, their lengths and code units', () => {
    fc.assert(
      fc.property(fc.array(term, { maxLength: 40 }), (terms) => {
        const list = listOf(terms);
        expect(list.length).toBe(terms.length);
        expect(list.terms()).toEqual(terms);
        terms.forEach((text, index) => {
          expect(list.term(index)).toBe(text);
          expect(list.termLength(index)).toBe(text.length);
          for (let depth = 0; depth <= text.length; depth += 1) {
            expect(list.unitAt(index, depth)).toBe(depth < text.length ? text.charCodeAt(depth) : -1);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('compares a term with a key, and tests a prefix, as strings compare', () => {
    fc.assert(
      fc.property(term, term, (held, key) => {
        const list = listOf(['', held]);
        expect(sign(list.compare(1, key))).toBe(held < key ? -1 : held > key ? 1 : 0);
        expect(list.startsWith(1, key)).toBe(held.startsWith(key));
        expect(sign(list.compare(0, key))).toBe(key === '' ? 0 : -1);
      }),
      { numRuns: 1000 },
    );
  });

  it('decodes a term longer than one call passes arguments', () => {
    const long = 'كتب'.repeat(100_000);
    expect(listOf(['ا', long, 'ب']).term(1)).toBe(long);
  });
});
