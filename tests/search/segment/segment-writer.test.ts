import { describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../../src/analysis/analyze.js';
import { CompactSegment } from '../../../src/search/segment/compact-segment.js';
import { buildCompactSegment } from '../../../src/search/segment/segment-writer.js';

/** A text's tokens as the index keeps them: exact form, stem and alternative stem. */
const analysed = (text: string) =>
  analyzeForIndex(text).map(({ exact, term, alternative }) =>
    alternative === undefined ? { exact, term } : { exact, term, alternative },
  );

describe('SegmentWriter', () => {
  // `إلغاء` and `الغاء` are both `الغاء` once normalised; the written hamza keeps ال in the stem of the first.
  it.each([
    ['إلغاء القرار', 'الغاء القرار'],
    ['الغاء القرار', 'إلغاء القرار'],
  ])('keeps each token type apart when one exact form has two stems (%s, then %s)', (first, second) => {
    const paragraphs = [first, second, `${second} ثم ${first}`];
    const segment = new CompactSegment(buildCompactSegment([{ id: 'a', title: 'خبر', paragraphs }], {}));
    expect(paragraphs.map((_, doc) => segment.tokens(doc))).toEqual(paragraphs.map(analysed));
    expect(segment.tokens(2).map(({ term }) => term)).toEqual(expect.arrayContaining(['الغاء', 'غاء']));
  });
});
