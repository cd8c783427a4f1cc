import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitWords } from '../../src/analysis/tokenize.js';
import { Archive, type SearchResponse } from '../../src/index/archive.js';
import type { Article } from '../../src/index/article.js';
import { readArticleLines } from '../../src/index/read-articles.js';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';

/** What must be identical whichever code scores: every hit, its score to the last bit, and the total. */
function outcome(response: SearchResponse) {
  return {
    total: response.total,
    relaxed: response.relaxed,
    hits: response.hits.map(({ id, para, score, highlights }) => ({ id, para, score, highlights })),
  };
}

describe('typed-array scoring gives exactly what MiniSearch scoring gives', () => {
  const fast = new Archive();
  const reference = new Archive({ scoring: 'minisearch' });
  let vocabulary: string[] = [];

  beforeAll(async () => {
    const articles: Article[] = [];
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    for (const archive of [fast, reference]) for (const article of articles) archive.put(article);
    // Replacements and removals. With MiniSearch's discard() and background vacuum, this sequence and the
    // searches below once ended in an unhandled rejection from the vacuum's tree walk (a crashed server).
    for (const archive of [fast, reference]) {
      for (const article of articles.slice(0, 6)) {
        archive.put({ ...article, paragraphs: [...article.paragraphs].reverse() });
      }
      for (const article of articles.slice(6, 9)) archive.remove(article.id);
    }
    vocabulary = [
      ...new Set(articles.flatMap((a) => a.paragraphs.flatMap((p) => splitWords(p).map((w) => w.text)))),
    ];
    expect(vocabulary.length).toBeGreaterThan(500);
  });

  it.each([
    'أسعار النفط',
    'الانتخابات البلدية في المغرب',
    '"البنك المركزي" -التضخم',
    '+الحكومة الاقتصاد',
    'الاستثمارات والتكنولوجيا المتقدمة',
    'بالمستشفيات',
    'zzz لا يوجد',
  ])('%s', (query) => {
    for (const options of [{}, { limit: 100 }, { sort: 'date' as const, limit: 50 }]) {
      expect(outcome(fast.search(query, options))).toEqual(outcome(reference.search(query, options)));
    }
  });

  it('for random queries of corpus words, with exclusions and requirements', () => {
    const word = fc.integer({ min: 0, max: 100_000 }).map((n) => vocabulary[n % vocabulary.length]!);
    const term = fc.tuple(fc.constantFrom('', '', '', '-', '+'), word).map(([sign, text]) => sign + text);
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 6 }), (terms) => {
        const query = terms.join(' ');
        expect(outcome(fast.search(query, { limit: 100 }))).toEqual(
          outcome(reference.search(query, { limit: 100 })),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('falls back to MiniSearch for queries with more distinct terms than the bit sets hold', () => {
    const query = vocabulary.slice(0, 40).join(' ');
    const response = fast.search(query, { limit: 100 });
    expect(response.total).toBeGreaterThan(0);
    expect(outcome(response)).toEqual(outcome(reference.search(query, { limit: 100 })));
  });
});

describe('only the best are sorted, and every page is still the slice of the full ranking', () => {
  it.each([
    'أسعار الاقتصاد الحكومة العربية',
    'العربية الدولية الحكومة الأسواق',
    'وزارة الصحة التعليم المياه',
  ])('%s', async (query) => {
    // A small re-ranking depth makes the partial sort kick in on the 150-paragraph sample corpus.
    const archive = new Archive({ ranking: { rerankDepth: 4 } });
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) archive.put(line.article);
    const full = archive.search(query, { limit: 100 });
    expect(full.total).toBeGreaterThan(20);
    const ids = (response: SearchResponse) =>
      response.hits.map((hit) => `${hit.id}#${hit.para}:${hit.score}`);
    for (let offset = 0; offset < Math.min(full.total, 30); offset += 3) {
      const page = archive.search(query, { limit: 3, offset });
      expect(page.total).toBe(full.total);
      expect(ids(page)).toEqual(ids(full).slice(offset, offset + 3));
    }
  });
});
