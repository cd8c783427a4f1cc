import { describe, expect, it } from 'vitest';
import { meanMetrics, quantile, scoreRanking } from '../../src/evaluation/metrics.js';

const hit = (para: number) => ({ id: 'a', para });

describe('scoreRanking', () => {
  it.each([
    ['relevant first', [hit(1), hit(2)], 1, 1, 1, 1],
    ['relevant second', [hit(2), hit(1)], 0.5, 1 / Math.log2(3), 0, 1],
    ['relevant eleventh', [...Array.from({ length: 10 }, (_, i) => hit(100 + i)), hit(1)], 0, 0, 0, 0],
    ['not found', [hit(2)], 0, 0, 0, 0],
    ['empty ranking', [], 0, 0, 0, 0],
  ])('%s', (_name, ranking, mrr10, ndcg10, recall1, recall10) => {
    const metrics = scoreRanking(ranking, [hit(1)]);
    expect(metrics.mrr10).toBeCloseTo(mrr10);
    expect(metrics.ndcg10).toBeCloseTo(ndcg10);
    expect(metrics.recall1).toBe(recall1);
    expect(metrics.recall10).toBe(recall10);
  });

  it('counts recall as the share of relevant paragraphs found', () => {
    const metrics = scoreRanking([hit(1), hit(5)], [hit(1), hit(2)]);
    expect(metrics.recall10).toBe(0.5);
    expect(metrics.recall100).toBe(0.5);
  });
});

describe('meanMetrics and quantile', () => {
  it('averages over queries', () => {
    const mean = meanMetrics([scoreRanking([hit(1)], [hit(1)]), scoreRanking([], [hit(1)])]);
    expect(mean.mrr10).toBe(0.5);
  });

  it.each([
    [[], 0.5, 0],
    [[3, 1, 2], 0.5, 2],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99, 10],
  ])('quantile(%j, %d) = %d', (values, q, expected) => {
    expect(quantile(values, q)).toBe(expected);
  });
});

describe('a collapsed hit’s copies', () => {
  it('count as retrieved at its rank: each for recall, the rank once for MRR and nDCG', () => {
    const relevant = [
      { id: 'copy', para: 0 },
      { id: 'hit', para: 0 },
      { id: 'far', para: 2 },
    ];
    const ranking = [
      { id: 'x', para: 0 },
      { id: 'hit', para: 0, copies: [{ id: 'copy', para: 0 }] },
      { id: 'y', para: 0, copies: [{ id: 'far', para: 2 }] },
    ];
    const metrics = scoreRanking(ranking, relevant);
    expect(metrics.mrr10).toBe(1 / 2);
    expect(metrics.recall1).toBe(0);
    expect(metrics.recall10).toBe(1);
    const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(metrics.ndcg10).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(4)) / ideal, 10);
  });
});
