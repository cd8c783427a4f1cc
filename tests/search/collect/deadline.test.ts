import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CORPUS } from '../../../src/cli/open-archive.js';
import type { Article } from '../../../src/article/article.js';
import { readArticleLines } from '../../../src/article/read-articles.js';
import { parseQuery } from '../../../src/search/query.js';
import { Deadline } from '../../../src/search/collect/deadline.js';
import { type EngineResult, SearchEngine } from '../../../src/search/engine.js';

/** A deadline that passes at its `asks`-th question (0: at once): every point a scorer may stop at, in turn. */
function afterAsks(asks: number): Deadline {
  let asked = 0;
  return new Deadline(asks, () => asked++);
}

const key = (hit: { articleId: string; para: number }) => `${hit.articleId}#${hit.para}`;

/** An engine over several compact segments and a live one. */
function engineOf(articles: readonly Article[], scoring: 'exhaustive' | 'max-score'): SearchEngine {
  const engine = new SearchEngine({ scoring, liveLimit: 40 });
  for (const article of articles) engine.segments.addArticle(article);
  return engine;
}

describe('a search cut short by its deadline', () => {
  const articles: Article[] = [];
  beforeAll(async () => {
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
  });

  it.each(['exhaustive', 'max-score'] as const)(
    '%s: ranks the best of what it found, never more than the whole search finds',
    (scoring) => {
      const engine = engineOf(articles, scoring);
      expect(engine.segments.compactSegments.length).toBeGreaterThanOrEqual(3);
      let cutShort = 0;
      // The last: more words than match flags hold (they are counted another way).
      const manyWords = articles
        .flatMap((article) => article.paragraphs[0]!.split(' '))
        .slice(0, 60)
        .join(' ');
      for (const query of [
        'أسعار النفط',
        'الحكومة الاقتصاد والاستثمار',
        '+الحكومة المغرب',
        'في من على',
        manyWords,
      ]) {
        const parsed = parseQuery(query, engine.analysis);
        const whole = engine.searcher.search(parsed, { count: 100 });
        expect(whole.timedOut).toBeUndefined();
        expect(engine.searcher.search(parsed, { count: 100, deadline: Deadline.after(60_000) })).toEqual(
          whole,
        );
        const wholeScores = new Map(whole.hits.map((hit) => [key(hit), hit.score]));
        const every = engine.searcher.search(parsed, { count: Number.POSITIVE_INFINITY });
        const matches = new Set(every.hits.map(key));
        for (let asks = 0; asks < 80; asks += 1) {
          const cut: EngineResult = engine.searcher.search(parsed, { count: 100, deadline: afterAsks(asks) });
          if (cut.timedOut === undefined) {
            expect(cut).toEqual(whole);
            continue;
          }
          cutShort += 1;
          expect(cut.partial).toBe(true);
          expect(cut.totalExact).toBe(false);
          expect(cut.total).toBeLessThanOrEqual(every.total);
          if (asks === 0) expect(cut.hits).toEqual([]);
          for (const hit of cut.hits) {
            expect(matches.has(key(hit))).toBe(true);
            // Fewer postings summed, fewer words matched: never above the whole search's score.
            const full = wholeScores.get(key(hit));
            if (full !== undefined) expect(hit.score).toBeLessThanOrEqual(full + 1e-9);
          }
          const scores = cut.hits.map((hit) => hit.score);
          expect(scores).toEqual([...scores].sort((a, b) => b - a));
        }
        // A search cut short leaves nothing behind for the next one.
        expect(engine.searcher.search(parsed, { count: 100 })).toEqual(whole);
      }
      expect(cutShort).toBeGreaterThan(20);
    },
  );

  it('stops collecting a common word’s thousands of matches, and the next search is whole', () => {
    const engine = new SearchEngine();
    const many: Article[] = Array.from({ length: 30 }, (_, article) => ({
      id: `a${article}`,
      title: 'نشرة',
      paragraphs: Array.from({ length: 100 }, (_, para) => `خبر عاجل رقم ${article * 100 + para} من المراسل`),
    }));
    engine.segments.addArticles(many);
    const parsed = parseQuery('"خبر عاجل"', engine.analysis);
    const whole = engine.searcher.search(parsed, { count: Number.POSITIVE_INFINITY });
    expect(whole.total).toBe(3000);
    // Asked before the segment, before each of its lists, then every 1,024 documents collected.
    const asks = [...Array(12).keys()];
    const totals = asks.map(
      (ask) =>
        engine.searcher.search(parsed, { count: Number.POSITIVE_INFINITY, deadline: afterAsks(ask) }).total,
    );
    expect(totals.some((total) => total > 0 && total < 3000)).toBe(true);
    expect(engine.searcher.search(parsed, { count: Number.POSITIVE_INFINITY })).toEqual(whole);
  });
});
