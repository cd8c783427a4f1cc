import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxTypoDistance, typoDistance } from '../../src/search/typo-distance.js';

describe('typoDistance', () => {
  it('is 0 for the same word and 1 for an unrelated letter changed, added or dropped', () => {
    expect(typoDistance('حكومه', 'حكومه')).toBe(0);
    expect(typoDistance('حكومه', 'حكومب')).toBe(1);
    expect(typoDistance('حكومه', 'حكومهم')).toBe(1);
    expect(typoDistance('حكومه', 'حومه')).toBe(1);
  });

  it('costs half an edit for a sound-alike letter, a long vowel or a doubled letter', () => {
    expect(typoDistance('الضابط', 'الظابط')).toBe(0.5);
    expect(typoDistance('مصر', 'مسر')).toBe(0.5);
    expect(typoDistance('ترمب', 'ترامب')).toBe(0.5);
    expect(typoDistance('نتانياهو', 'نتنياهو')).toBe(0.5);
    expect(typoDistance('الحكوومه', 'الحكومه')).toBe(0.5);
    expect(typoDistance('الللجنه', 'اللجنه')).toBe(0.5);
  });

  it('costs one edit for two neighbouring letters swapped', () => {
    expect(typoDistance('الحكموه', 'الحكومه')).toBe(1);
  });

  it('costs twice as much for an edit of the first letter', () => {
    expect(typoDistance('حكومه', 'خكومه')).toBe(1);
    expect(typoDistance('حكومه', 'مكومه')).toBe(2);
  });

  it('is symmetric, and never more than the plain edit distance, doubled for the first letter', () => {
    const word = fc.string({ unit: fc.constantFrom(...'ابتثجحخدذرزسشصضطظعغفقكلمنهوي'), maxLength: 8 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(typoDistance(a, b)).toBe(typoDistance(b, a));
        expect(typoDistance(a, b)).toBeLessThanOrEqual(levenshtein(a.slice(1), b.slice(1)) + 2);
        if (a[0] === b[0]) expect(typoDistance(a, b)).toBeLessThanOrEqual(levenshtein(a, b));
      }),
    );
  });

  it('allows no correction below 4 letters, one edit from 4 and two from 9, none past 30', () => {
    expect([3, 4, 8, 9, 30].map((length) => maxTypoDistance(length))).toEqual([0, 1, 1, 2, 2]);
    // No word is that long: a pasted URL, a run of one letter.
    expect(maxTypoDistance(31)).toBe(0);
    expect([5, 6, 10].map((length) => maxTypoDistance(length, [6, 10]))).toEqual([0, 1, 2]);
  });
});

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min(
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        previous[j]! + 1,
        row[j - 1]! + 1,
      );
    }
    previous = row;
  }
  return previous[b.length]!;
}
