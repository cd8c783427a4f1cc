import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { removeVowelMarks } from '../../../src/analysis/diacritics.js';
import { splitWords } from '../../../src/analysis/tokenize.js';
import { SAMPLE_CORPUS } from '../../../src/cli/open-archive.js';
import { Archive } from '../../../src/archive/archive.js';
import { type SearchResponse } from '../../../src/archive/archive-search.js';
import type { Article } from '../../../src/article/article.js';
import { readArticleLines } from '../../../src/article/read-articles.js';

/** What must be identical whichever scorer runs: every hit, its score to the last bit, and the total. */
function outcome(response: SearchResponse) {
  return {
    total: response.total,
    relaxed: response.relaxed,
    hits: response.hits.map(({ id, para, score, highlights }) => ({ id, para, score, highlights })),
  };
}

/**
 * An archive spread over every kind of segment: compact segments (the live segment sealed every 40
 * paragraphs) and a live segment, with replacements and removals deleting documents of each.
 */
function spreadArchive(
  articles: readonly Article[],
  options: ConstructorParameters<typeof Archive>[0],
): Archive {
  const archive = new Archive({ ...options, liveLimit: 40 });
  for (const article of articles) archive.put(article);
  for (const article of [articles[2]!, articles[20]!, articles[30]!]) {
    archive.put({ ...article, paragraphs: [...article.paragraphs].reverse() });
  }
  for (const article of [articles[5]!, articles[17]!, articles[33]!]) archive.remove(article.id);
  return archive;
}

describe('MaxScore finds exactly what scoring every match finds', () => {
  let articles: Article[] = [];
  let vocabulary: string[] = [];
  // A small re-ranking depth, so the best hits are few and MaxScore has something to skip.
  const ranking = { rerankDepth: 3 };
  let exhaustive: Archive;
  let maxScore: Archive;

  beforeAll(async () => {
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    exhaustive = spreadArchive(articles, { scoring: 'exhaustive', ranking });
    maxScore = spreadArchive(articles, { scoring: 'max-score', ranking });
    vocabulary = [
      ...new Set(articles.flatMap((a) => a.paragraphs.flatMap((p) => splitWords(p).map((w) => w.text)))),
    ];
    expect(vocabulary.length).toBeGreaterThan(500);
    expect(exhaustive.engine.segments.compactSegments.length).toBeGreaterThanOrEqual(3);
    expect(
      exhaustive.engine.segments.compactSegments.some((segment) => segment.liveCount < segment.size),
    ).toBe(true);
    expect(exhaustive.stats().paragraphs).toBeGreaterThan(
      exhaustive.engine.segments.compactSegments.reduce((sum, segment) => sum + segment.liveCount, 0),
    );
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
    for (const options of [{}, { limit: 1 }, { limit: 100 }, { limit: 5, offset: 5 }]) {
      expect(outcome(maxScore.search(query, options))).toEqual(outcome(exhaustive.search(query, options)));
    }
  });

  it("for headline queries: a title's words, which weigh more on its lead paragraph", () => {
    let compared = 0;
    for (const article of articles.slice(0, 30)) {
      const words = splitWords(article.title).map((word) => word.text);
      if (words.length < 2) continue;
      for (const query of [words.slice(0, 3).join(' '), words.slice(1).join(' ')]) {
        for (const options of [{ limit: 1 }, { limit: 10 }]) {
          expect(outcome(maxScore.search(query, options)), query).toEqual(
            outcome(exhaustive.search(query, options)),
          );
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(80);
  });

  it('for random queries of corpus words, with exclusions, requirements and filters', () => {
    const word = fc.integer({ min: 0, max: 100_000 }).map((n) => vocabulary[n % vocabulary.length]!);
    const term = fc.tuple(fc.constantFrom('', '', '', '-', '+'), word).map(([sign, text]) => sign + text);
    const options = fc.constantFrom(
      { limit: 1 },
      { limit: 10 },
      { limit: 100 },
      { limit: 10, from: '2022-01-01' },
    );
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 6 }), options, (terms, searchOptions) => {
        const query = terms.join(' ');
        expect(outcome(maxScore.search(query, searchOptions))).toEqual(
          outcome(exhaustive.search(query, searchOptions)),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('for queries of more words than match flags hold', () => {
    const query = vocabulary.slice(0, 40).join(' ');
    const response = exhaustive.search(query, { limit: 100 });
    expect(response.total).toBeGreaterThan(0);
    expect(outcome(maxScore.search(query, { limit: 100 }))).toEqual(outcome(response));
  });

  it('counts matches exactly up to the limit, and past it stops at a lower bound', () => {
    const limit = 7;
    const counting = spreadArchive(articles, { scoring: 'max-score', ranking, exactTotalLimit: limit });
    let below = 0;
    let past = 0;
    for (const query of ['أسعار النفط', 'الحكومة', '+الحكومة الاقتصاد', 'المغرب -الانتخابات', 'zzz']) {
      const all = exhaustive.search(query, { limit: 10 });
      const counted = counting.search(query, { limit: 10 });
      expect(counted.hits).toEqual(all.hits);
      if (all.total <= limit) {
        below += 1;
        expect([counted.total, counted.totalExact]).toEqual([all.total, undefined]);
      } else {
        past += 1;
        expect(counted.totalExact).toBe(false);
        expect(counted.total).toBeGreaterThanOrEqual(limit);
        expect(counted.total).toBeLessThan(all.total);
      }
    }
    // Both sides of the limit were tried.
    expect(below).toBeGreaterThan(0);
    expect(past).toBeGreaterThan(0);
  });

  it('ranks as one archive holding the same articles in a single segment', () => {
    const single = new Archive({ ranking });
    const current = [...exhaustive.all()];
    single.putMany(current);
    for (const query of ['أسعار النفط', 'الحكومة الاقتصاد', 'المغرب']) {
      const scores = (archive: Archive) =>
        archive
          .search(query, { limit: 100 })
          .hits.map(({ id, para, score }) => `${id}#${para}:${score}`)
          .sort();
      expect(scores(single)).toEqual(scores(exhaustive));
    }
  });
});

describe('MaxScore over segments of many blocks and windows', () => {
  it('skips blocks and windows yet finds exactly what scoring every match finds', () => {
    // 12,000 paragraphs of words drawn with Zipfian frequencies: lists of thousands of postings (many
    // blocks of 128) over a segment of several windows, some of them long paragraphs.
    const vocabulary = Array.from(
      { length: 300 },
      (_, at) => `كلمة${String.fromCharCode(0x0628 + (at % 20))}${at}`,
    );
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const zipf = () => vocabulary[Math.floor(vocabulary.length * random() ** 3)]!;
    const paragraph = () =>
      Array.from({ length: 4 + Math.floor(random() * (random() < 0.1 ? 60 : 12)) }, zipf).join(' ');
    const articles: Article[] = Array.from({ length: 3_000 }, (_, at) => ({
      id: `z${at}`,
      title: Array.from({ length: 3 }, zipf).join(' '),
      source: 'test',
      paragraphs: Array.from({ length: 4 }, paragraph),
    }));
    const build = (scoring: 'max-score' | 'exhaustive') => {
      const archive = new Archive({ scoring, liveLimit: 20_000 });
      archive.putMany(articles);
      archive.seal();
      archive.remove('z17');
      return archive;
    };
    const [maxScore, exhaustive] = [build('max-score'), build('exhaustive')];
    expect(exhaustive.engine.segments.compactSegments[0]!.size).toBe(12_000);
    const word = fc.integer({ min: 0, max: 299 }).map((n) => vocabulary[n]!);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(1, 10, 100),
        (words, limit) => {
          const query = words.join(' ');
          const [fast, all] = [maxScore.search(query, { limit }), exhaustive.search(query, { limit })];
          expect(outcome(fast).hits).toEqual(outcome(all).hits);
          // Past 10,000 matches the count stops, at a lower bound.
          if (all.total <= 10_000) expect([fast.total, fast.totalExact]).toEqual([all.total, undefined]);
          else expect([fast.total, fast.totalExact]).toEqual([10_000, false]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('every page is the slice of the full ranking', () => {
  it.each([
    'أسعار الاقتصاد الحكومة العربية',
    'العربية الدولية الحكومة الأسواق',
    'وزارة الصحة التعليم المياه',
  ])('%s', async (query) => {
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

describe('sorted by date', () => {
  let articles: Article[] = [];
  let vocabulary: string[] = [];
  beforeAll(async () => {
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    // Some undated, and many on one day, so that both orders are tried.
    articles = articles.map((article, at) => {
      if (at % 7 === 0) return { ...article, published: undefined };
      return at % 3 === 0 ? { ...article, published: '2024-05-01' } : article;
    });
    vocabulary = [...new Set(articles.flatMap((a) => splitWords(a.paragraphs[0]!).map((w) => w.text)))];
  });

  it('is every match by day, newest first and undated last, a day by BM25 score — on every page', () => {
    const archive = spreadArchive(articles, {});
    // Relevance without proximity, whose re-ranking sorting by date does without.
    const reference = spreadArchive(articles, { ranking: { proximityWeight: 0 } });
    const day = (id: string) => archive.get(id)?.published?.slice(0, 10) ?? '';
    const word = fc.integer({ min: 0, max: 100_000 }).map((n) => vocabulary[n % vocabulary.length]!);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.nat(20), (words, offset) => {
        const query = words.join(' ');
        // Vowel marks reorder relevance (see preferMarks), never date order: the reference is without them.
        const all = reference.search(removeVowelMarks(query), { limit: 100 });
        fc.pre(all.total <= 100);
        const expected = all.hits
          .map((hit, at) => ({ hit, at }))
          .sort((a, b) =>
            day(a.hit.id) < day(b.hit.id) ? 1 : day(a.hit.id) > day(b.hit.id) ? -1 : a.at - b.at,
          )
          .map(({ hit }) => `${hit.id}#${hit.para}:${hit.score}`);
        const page = archive.search(query, { sort: 'date', limit: 10, offset });
        expect(page.total).toBe(all.total);
        expect(page.hits.map((hit) => `${hit.id}#${hit.para}:${hit.score}`)).toEqual(
          expected.slice(offset, offset + 10),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('facets', () => {
  let archive: Archive;
  let vocabulary: string[] = [];
  beforeAll(async () => {
    const articles: Article[] = [];
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    archive = spreadArchive(articles, {});
    vocabulary = [...new Set(articles.flatMap((a) => splitWords(a.paragraphs[1] ?? '').map((w) => w.text)))];
  });

  /** Counts of every match by hand, from a page holding them all. */
  const byHand = (
    hits: SearchResponse['hits'],
    value: (hit: SearchResponse['hits'][number]) => string | null,
  ) => {
    const counts = new Map<string, number>();
    for (const hit of hits) {
      const key = value(hit);
      if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts]
      .map(([key, count]) => ({ value: key, count }))
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  };

  it('count every match, not only the page, exactly, with filters too', () => {
    const word = fc.integer({ min: 0, max: 100_000 }).map((n) => vocabulary[n % vocabulary.length]!);
    const filters = fc.constantFrom(
      {},
      { from: '2021-01-01' },
      { section: 'اقتصاد' },
      { sort: 'date' as const },
    );
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 3 }), filters, (words, filter) => {
        const query = words.join(' ');
        const all = archive.search(query, { ...filter, limit: 100 });
        fc.pre(all.total <= 100);
        const page = archive.search(query, { ...filter, limit: 2, facets: ['source', 'section', 'year'] });
        expect(page.total).toBe(all.total);
        expect(page.facets).toEqual({
          source: byHand(all.hits, (hit) => hit.source),
          section: byHand(all.hits, (hit) => hit.section),
          year: byHand(all.hits, (hit) => hit.published?.slice(0, 4) ?? null),
        });
      }),
      { numRuns: 150 },
    );
  });

  it('are absent unless asked, and refuse an unknown facet by name', () => {
    expect(archive.search('الحكومة').facets).toBeUndefined();
    expect(() => archive.search('الحكومة', { facets: ['colour' as never] })).toThrow(
      /facets must be among source, section, year, got "colour"/u,
    );
  });
});
