import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopK } from '../../../src/search/collect/top-k.js';

/** Offers scores as documents 0, 1, 2… of segment 0, in that order; the documents kept, best first. */
function best(k: number, scores: readonly number[]): number[] {
  const top = new TopK(k);
  scores.forEach((score, doc) => top.offer(0, doc, score));
  return top.sorted().map(({ doc }) => doc);
}

describe('TopK', () => {
  it.each([
    { rule: 'nothing offered', k: 3, scores: [], expected: [] },
    { rule: 'keeps the k best, best first', k: 2, scores: [0.5, 2, 1, 3], expected: [3, 1] },
    { rule: 'keeps all when k is larger than the input', k: 10, scores: [0.5, 2, 1], expected: [1, 2, 0] },
    { rule: 'keeps one when k is 1', k: 1, scores: [1, 4, 2, 4], expected: [1] },
    { rule: 'ties go to the earlier document', k: 2, scores: [1, 1, 1, 1], expected: [0, 1] },
    { rule: 'a later tie never replaces the worst', k: 2, scores: [3, 2, 2], expected: [0, 1] },
    { rule: 'negative scores rank too', k: 2, scores: [-1, -3, -2], expected: [0, 2] },
    { rule: 'must not change the order of sorted input', k: 3, scores: [3, 2, 1], expected: [0, 1, 2] },
  ])('$rule', ({ k, scores, expected }) => {
    expect(best(k, scores)).toStrictEqual(expected);
  });

  it('keeps nothing for k = 0, and no score can enter it', () => {
    const none = new TopK(0);
    none.offer(0, 1, 5);
    none.offer(0, 2, Number.MAX_VALUE, 1);
    expect(none.sorted()).toEqual([]);
    expect(none.full).toBe(true);
    expect(none.threshold).toBe(Number.POSITIVE_INFINITY);
  });

  it('ranks a higher key before a higher score', () => {
    const top = new TopK(2);
    top.offer(0, 0, 9, 0);
    top.offer(0, 1, 1, 2);
    top.offer(0, 2, 5, 1);
    top.offer(1, 0, 8, 0);
    expect(top.sorted()).toStrictEqual([
      { segment: 0, doc: 1, score: 1, key: 2 },
      { segment: 0, doc: 2, score: 5, key: 1 },
    ]);
  });

  it('is full at k documents, and then its threshold is the worst score kept', () => {
    const top = new TopK(2);
    expect([top.full, top.threshold]).toStrictEqual([false, Number.NEGATIVE_INFINITY]);
    top.offer(0, 0, 3);
    expect([top.full, top.threshold]).toStrictEqual([false, Number.NEGATIVE_INFINITY]);
    top.offer(0, 1, 1);
    expect([top.full, top.threshold]).toStrictEqual([true, 1]);
    top.offer(1, 0, 2);
    expect([top.full, top.threshold]).toStrictEqual([true, 2]);
  });

  it('keeps what sorting all the documents keeps, for any scores and keys', () => {
    const offers = fc.array(
      fc.record({ score: fc.integer({ min: 0, max: 5 }), key: fc.integer({ min: 0, max: 2 }) }),
      {
        maxLength: 60,
      },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), offers, (k, offered) => {
        // In (segment, document) order, as the scorers offer them.
        const documents = offered.map(({ score, key }, index) => ({
          segment: Math.floor(index / 7),
          doc: index % 7,
          score,
          key,
        }));
        const top = new TopK(k);
        for (const { segment, doc, score, key } of documents) top.offer(segment, doc, score, key);
        const expected = [...documents]
          .sort((a, b) => b.key - a.key || b.score - a.score || a.segment - b.segment || a.doc - b.doc)
          .slice(0, k);
        expect(top.sorted()).toStrictEqual(expected);
      }),
    );
  });
});
