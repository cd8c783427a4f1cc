import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_OPTIONS } from '../../../src/analysis/analyze.js';
import { CompactSegment } from '../../../src/search/segment/compact-segment.js';
import { LiveSegment } from '../../../src/search/segment/live-segment.js';
import type { Segment } from '../../../src/search/segment/segment.js';
import { buildCompactSegment } from '../../../src/search/segment/segment-writer.js';
import { nearestVectors, QUANTIZE_FROM } from '../../../src/search/scoring/nearest-vectors.js';
import { comparable } from '../../../src/search/vectors/vector-math.js';
import { cosine, randomVectors } from '../vectors/vector-fixtures.js';

const DIMENSIONS = 24;

/** A compact segment of one article per vector, `a<offset + n>`; every third paragraph has no vector. */
function compactOf(vectors: readonly Float32Array[], offset: number): CompactSegment {
  return new CompactSegment(
    buildCompactSegment(
      vectors.map((vector, n) => ({
        id: `a${offset + n}`,
        title: '',
        paragraphs: ['فقرة الخبر', 'فقرة بلا متجه'],
        vectors: [vector, null],
      })),
      DEFAULT_ANALYSIS_OPTIONS,
    ),
  );
}

/** Every vector of the segments with its id, scored plainly: what nearestVectors must find. */
function bruteForce(
  segments: readonly Segment[],
  query: Float32Array,
  k: number,
  keep = (_: string) => true,
) {
  const all: { id: string; score: number }[] = [];
  for (const segment of segments) {
    const vectors = segment.vectors();
    for (let row = 0; row < (vectors?.rows ?? 0); row += 1) {
      const doc = vectors!.docs[row]!;
      if (!segment.isLive(doc) || !keep(segment.articleId(doc))) continue;
      all.push({ id: segment.articleId(doc), score: cosine(segment.vectorOf(doc)!, query) });
    }
  }
  return all.sort((a, b) => b.score - a.score).slice(0, k);
}

describe('nearestVectors', () => {
  const vectors = randomVectors(QUANTIZE_FROM + 600, DIMENSIONS, 11);
  const large = compactOf(vectors.slice(0, QUANTIZE_FROM + 500), 0);
  const small = compactOf(vectors.slice(QUANTIZE_FROM + 500, QUANTIZE_FROM + 580), QUANTIZE_FROM + 500);
  const live = new LiveSegment(DEFAULT_ANALYSIS_OPTIONS);
  vectors.slice(QUANTIZE_FROM + 580).forEach((vector, n) =>
    live.addParagraph({
      articleId: `a${QUANTIZE_FROM + 580 + n}`,
      para: 0,
      text: 'فقرة حية',
      title: '',
      vector,
    }),
  );
  // Deleted documents are never found, in any kind of segment.
  for (const segment of [large, small, live] as Segment[]) {
    for (const doc of [0, 7, 8]) segment.delete(doc);
  }
  const segments: Segment[] = [large, small, live];
  const queries = randomVectors(20, DIMENSIONS, 12);
  const search = (query: Float32Array, k: number, exact: boolean, filter?: (id: string) => boolean) =>
    nearestVectors(segments, comparable(query, 'cosine'), {
      k,
      similarity: 'cosine',
      exact,
      ...(filter === undefined ? {} : { filter: (index, doc) => filter(segments[index]!.articleId(doc)) }),
    }).map(({ segment, doc, score }) => ({ id: segments[segment]!.articleId(doc), score }));

  it('scores exactly what a brute-force scan scores, best first', () => {
    for (const query of queries) {
      const found = search(query, 10, true);
      const expected = bruteForce(segments, query, 10);
      expect(found.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
      found.forEach((hit, at) => expect(hit.score).toBeCloseTo(expected[at]!.score, 5));
    }
  });

  it('finds nearly every exact neighbour through the quantized vectors, each scored exactly', () => {
    let found = 0;
    for (const query of queries) {
      const approximate = search(query, 10, false);
      const exact = new Set(search(query, 10, true).map((hit) => hit.id));
      found += approximate.filter((hit) => exact.has(hit.id)).length;
      const scores = approximate.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      for (const hit of approximate) {
        const vector = vectors[Number(hit.id.slice(1))]!;
        expect(hit.score).toBeCloseTo(cosine(vector, query), 5);
      }
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
  });

  it('finds a stored vector first when asked with it, in every kind of segment', () => {
    for (const n of [3, QUANTIZE_FROM + 510, QUANTIZE_FROM + 590]) {
      expect(search(vectors[n]!, 1, false)[0]).toEqual({ id: `a${n}`, score: expect.closeTo(1, 5) });
    }
  });

  it('keeps only what the filter accepts, and no more than k', () => {
    const even = (id: string) => Number(id.slice(1)) % 2 === 0;
    for (const exact of [true, false]) {
      const found = search(queries[0]!, 25, exact, even);
      expect(found).toHaveLength(25);
      expect(found.every((hit) => even(hit.id))).toBe(true);
      expect(found.map((hit) => hit.id)).toEqual(
        bruteForce(segments, queries[0]!, 25, even).map((hit) => hit.id),
      );
    }
  });

  it('finds nothing with a vector of another dimension, or in segments without vectors', () => {
    expect(search(new Float32Array(DIMENSIONS + 1).fill(1), 5, false)).toEqual([]);
    const plain = new CompactSegment(
      buildCompactSegment([{ id: 'p', title: '', paragraphs: ['نص بلا متجه'] }], DEFAULT_ANALYSIS_OPTIONS),
    );
    expect(nearestVectors([plain], queries[0]!, { k: 3, similarity: 'cosine' })).toEqual([]);
  });

  it('compares by dot product when asked: a longer vector in the same direction ranks higher', () => {
    const direction = Float32Array.from({ length: DIMENSIONS }, (_, i) => (i === 0 ? 1 : 0));
    const segment = compactOf([direction, direction.map((value) => value * 3)], 0);
    const byDot = nearestVectors([segment], direction, { k: 2, similarity: 'dot' });
    expect(byDot.map(({ doc, score }) => [segment.articleId(doc), score])).toEqual([
      ['a1', 3],
      ['a0', 1],
    ]);
    const byCosine = nearestVectors([segment], direction, { k: 2, similarity: 'cosine' });
    expect(byCosine.map(({ score }) => score)).toEqual([1, 1]);
  });
});
