import { describe, expect, it } from 'vitest';
import { parseQuery, positiveWords } from '../../../src/search/query.js';
import { DEFAULT_RANKING_OPTIONS } from '../../../src/search/ranking.js';
import { MAX_EXPANSIONS, planQuery } from '../../../src/search/scoring/plan.js';
import { buildCompactSegment } from '../../../src/search/segment/segment-writer.js';
import { CompactSegment } from '../../../src/search/segment/compact-segment.js';

describe('expanding a query term', () => {
  // `zorb` starts one term a letter longer and 80 two letters longer, the n-th in n % 7 + 1 paragraphs.
  const twoLonger = Array.from(
    { length: 80 },
    (_, n) => `zorb${String.fromCharCode(97 + (n % 26))}${String.fromCharCode(97 + Math.floor(n / 26))}`,
  );
  const paragraphs = [
    'zorbq',
    ...twoLonger.flatMap((term, n) => Array.from({ length: (n % 7) + 1 }, () => term)),
  ];
  const segment = new CompactSegment(buildCompactSegment([{ id: 'a', title: '', paragraphs }], {}));
  const expansionsOf = (query: string) => {
    const words = positiveWords(parseQuery(query));
    const plan = planQuery([segment], undefined, words, [], [], DEFAULT_RANKING_OPTIONS);
    return [...new Set(plan.terms.map((term) => term.term))].filter((term) => term !== query);
  };

  it(`keeps at most ${MAX_EXPANSIONS}: the closest, then the most frequent`, () => {
    const kept = expansionsOf('zorb');
    expect(kept).toHaveLength(MAX_EXPANSIONS);
    expect(kept).toContain('zorbq');
    const frequency = (term: string) => (twoLonger.indexOf(term) % 7) + 1;
    const leastKept = Math.min(...kept.filter((term) => term !== 'zorbq').map(frequency));
    const dropped = twoLonger.filter((term) => !kept.includes(term));
    expect(dropped).toHaveLength(twoLonger.length + 1 - MAX_EXPANSIONS);
    for (const term of dropped) expect(frequency(term)).toBeLessThanOrEqual(leastKept);
  });

  it('keeps every one when there are fewer', () => {
    expect(expansionsOf('zorba').sort()).toEqual(twoLonger.filter((term) => term.startsWith('zorba')).sort());
  });
});
