import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CORPUS } from '../../../src/cli/open-archive.js';
import type { Article } from '../../../src/article/article.js';
import { readArticleLines } from '../../../src/article/read-articles.js';
import { parseQuery } from '../../../src/search/query.js';
import { Deadline } from '../../../src/search/collect/deadline.js';
import { type EngineHit, SearchEngine } from '../../../src/search/engine.js';

/** An engine over a compact segment per batch of articles, and a live one; one article removed. */
function engineOf(batches: readonly (readonly Article[])[], scoring: 'exhaustive' | 'max-score') {
  const engine = new SearchEngine({ scoring });
  for (const batch of batches.slice(0, -1)) engine.segments.addArticles(batch);
  for (const article of batches.at(-1)!) engine.segments.addArticle(article);
  engine.segments.removeArticle(batches[0]![1]!.id);
  return engine;
}

/** What both scorers must agree on: the paragraph, its score to the bit. */
const ranked = ({ articleId, para, score }: EngineHit) => ({ articleId, para, score });

describe('the exhaustive scorer, whose working arrays every search shares', () => {
  const articles: Article[] = [];
  beforeAll(async () => {
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
  });

  it('ranks engines of every size in turn, after searches cut short, as MaxScore ranks each', () => {
    // A small segment before a large one: the arrays must have room for the largest segment searched.
    const shapes = [
      [articles.slice(0, 3), articles.slice(3, 8), articles.slice(8, 10)],
      [articles.slice(0, 3), articles.slice(3, -4), articles.slice(-4)],
      [articles.slice(0, 20)],
    ];
    const engines = shapes.map((batches) => ({
      exhaustive: engineOf(batches, 'exhaustive'),
      maxScore: engineOf(batches, 'max-score'),
    }));
    const [first, second] = engines[1]!.exhaustive.segments.compactSegments;
    expect(first!.size * 5).toBeLessThan(second!.size);
    let cutShort = 0;
    let compared = 0;
    for (const query of ['أسعار النفط', 'الحكومة الاقتصاد والاستثمار', 'في من على', 'المغرب -النفط']) {
      for (const { exhaustive, maxScore } of [...engines, ...engines.reverse()]) {
        const parsed = parseQuery(query, exhaustive.analysis);
        // Cut short after a few lists or documents: it must leave nothing behind for the next search.
        let asked = 0;
        const cut = exhaustive.searcher.search(parsed, {
          count: 10,
          deadline: new Deadline(3, () => asked++),
        });
        if (cut.timedOut === true) cutShort += 1;
        for (const count of [3, 100]) {
          const got = exhaustive.searcher.search(parsed, { count });
          const expected = maxScore.searcher.search(parsed, { count });
          expect(got.hits.map(ranked)).toEqual(expected.hits.map(ranked));
          expect(got.total).toBe(expected.total);
          compared += got.hits.length;
        }
      }
    }
    expect(cutShort).toBeGreaterThan(5);
    expect(compared).toBeGreaterThan(100);
  });
});

describe('a search that throws midway', () => {
  it('leaves nothing behind for the searches after it', async () => {
    const articles: Article[] = [];
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    const engine = engineOf(
      [articles.slice(0, 10), articles.slice(10, -3), articles.slice(-3)],
      'exhaustive',
    );
    const parsed = parseQuery('الحكومة الاقتصاد والاستثمار', engine.analysis);
    const before = engine.searcher.search(parsed, { count: 100 }).hits.map(ranked);
    expect(before.length).toBeGreaterThan(5);
    let seen = 0;
    // A filter of the caller's that fails after a few documents, once every list is summed.
    const failing = () => {
      seen += 1;
      if (seen > 3) throw new Error('the caller failed');
      return true;
    };
    expect(() => engine.searcher.search(parsed, { count: 100, accept: failing })).toThrow(
      'the caller failed',
    );
    expect(engine.searcher.search(parsed, { count: 100 }).hits.map(ranked)).toEqual(before);
  });
});
