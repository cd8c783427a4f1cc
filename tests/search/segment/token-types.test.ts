import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CompactSegment } from '../../../src/search/segment/compact-segment.js';
import { growableUint16 } from '../../../src/search/segment/growable.js';
import { mergeSegments } from '../../../src/search/segment/segment-merger.js';
import { buildCompactSegment } from '../../../src/search/segment/segment-writer.js';
import {
  inTokenUnits,
  MAX_TOKEN_TYPE,
  pushTokenType,
  readTokenTypes,
  wholeTypes,
} from '../../../src/search/segment/token-types.js';

/** Types near where their width changes, and any other. */
const type = fc.oneof(
  fc.constantFrom(0, 1, 0x7fff, 0x8000, 0x8001, 0xffff, 0x10000, 0x7fff_ffff - 1, MAX_TOKEN_TYPE),
  fc.integer({ min: 0, max: MAX_TOKEN_TYPE }),
);

function unitsOf(types: readonly number[]): Uint16Array {
  const units = growableUint16();
  for (const value of types) pushTokenType(units, value);
  return units.finish();
}

describe('token types in 16-bit units', () => {
  it('read back as they were written, one unit below 2^15 and two from it', () => {
    fc.assert(
      fc.property(fc.array(type, { maxLength: 50 }), (types) => {
        const units = unitsOf(types);
        expect(units).toHaveLength(types.length + types.filter((value) => value >= 0x8000).length);
        expect(wholeTypes(units)).toBe(true);
        const read: number[] = [7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7];
        const count = readTokenTypes(units, 0, units.length, read);
        expect(read.slice(0, count)).toEqual(types);
      }),
    );
  });

  it('are not whole when a type of two units is cut after its first', () => {
    const units = unitsOf([5, 0x12345]);
    expect(wholeTypes(units)).toBe(true);
    expect(wholeTypes(units.subarray(0, units.length - 1))).toBe(false);
  });

  it('refuse a type beyond two units', () => {
    expect(() => pushTokenType(growableUint16(), MAX_TOKEN_TYPE + 1)).toThrow(RangeError);
  });

  it('are made from 32-bit types document by document, as files before format 7 kept them', () => {
    const types = Uint32Array.of(3, 0x9000, 4, 0x8000_0000 - 1, 0, 0x10000);
    const starts = Uint32Array.of(0, 2, 2, 6);
    const { docTokenStart, docTokens } = inTokenUnits(starts, types);
    const read: number[] = [];
    const documents = [0, 1, 2].map((doc) =>
      read.slice(0, readTokenTypes(docTokens, docTokenStart[doc]!, docTokenStart[doc + 1]!, read)),
    );
    expect(documents).toEqual([[3, 0x9000], [], [4, 0x8000_0000 - 1, 0, 0x10000]]);
  });
});

describe('a segment of more than 2^15 token types', () => {
  // 36,000 distinct words of four letters that analysis keeps as they are, 100 a paragraph, and one
  // word first met past the 2^15th, then used 50 times in each of the last 30 paragraphs.
  const LETTERS = 'بتثجحخدذرزسشصضطظعغفق';
  const words = Array.from({ length: 36_000 }, (_, n) =>
    [0, 1, 2, 3].map((place) => LETTERS[Math.floor(n / LETTERS.length ** place) % LETTERS.length]).join(''),
  );
  const common = 'مجلس';
  const commons = (n: number) => (n < 330 ? [] : new Array<string>(50).fill(common));
  const paragraphWords = (n: number) => [...words.slice(n * 100, (n + 1) * 100), ...commons(n)];
  const paragraphs = Array.from({ length: 360 }, (_, n) => paragraphWords(n).join(' '));
  const half = (from: number) => ({
    id: `a${from}`,
    title: '',
    paragraphs: paragraphs.slice(from, from + 180),
  });

  it('keeps every token, and a merge numbers the most used type first', () => {
    const built = new CompactSegment(buildCompactSegment([half(0), half(180)], {}));
    const tokenCount = 36_000 + 30 * 50;
    // Two units for each type from 2^15: the last 3,232 words and the common word's 1,500 uses.
    expect(built.data.docTokens.length).toBe(tokenCount + (36_000 - 0x8000) + 1_500);
    for (const doc of [0, 200, 359]) expect(built.exactWords(doc)).toEqual(paragraphWords(doc));

    const merged = new CompactSegment(mergeSegments([built]));
    const { typeTerms, docTokens } = merged.data;
    expect(merged.terms.term(typeTerms[0]!)).toBe(common);
    for (const doc of [0, 200, 359]) expect(merged.exactWords(doc)).toEqual(built.exactWords(doc));
    expect(merged.tokens(359)).toEqual(built.tokens(359));
    // The common word now takes one unit each time, and one more of the words, used once, two.
    expect(docTokens.length).toBe(tokenCount + (36_001 - 0x8000));
  });
});
