import { describe, expect, it } from 'vitest';
import { Archive } from '../../../src/archive/archive.js';

/** `count` distinct three-letter words, of letters that no prefix, suffix or stop word is made of. */
function distinctWords(count: number): string[] {
  const letters = [...'جحخدذرزسشصضطظعغقم'];
  const words: string[] = [];
  for (const a of letters) for (const b of letters) for (const c of letters) words.push(a + b + c);
  return words.slice(0, count);
}

/**
 * Paragraphs longer than a posting's length byte holds (255 distinct terms) are scored by their own
 * length, read from the document: of two paragraphs that hold the query word once, the shorter ranks
 * first, whichever kind of segment holds them and whichever scorer runs.
 */
describe.each([
  ['the live segment, exhaustive', { scoring: 'exhaustive' as const, liveLimit: undefined }],
  ['compact segments, exhaustive', { scoring: 'exhaustive' as const, liveLimit: 1 }],
  ['compact segments, max-score', { scoring: 'max-score' as const, liveLimit: 1 }],
])('a long paragraph in %s', (_name, options) => {
  it('scores by its exact length', () => {
    const archive = new Archive(options);
    const words = distinctWords(700);
    const paragraph = (from: number, count: number) => `النفط ${words.slice(from, from + count).join(' ')}`;
    archive.put({ id: 'shorter', title: '', paragraphs: [paragraph(0, 300)] });
    archive.put({ id: 'longer', title: '', paragraphs: [paragraph(300, 400)] });
    const { hits } = archive.search('النفط', { collapse: false });
    expect(hits.map((hit) => hit.id)).toEqual(['shorter', 'longer']);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(archive.engine.segments.compactSegments.length > 0).toBe(options.liveLimit === 1);
  });
});
