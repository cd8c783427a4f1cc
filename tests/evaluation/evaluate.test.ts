import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArshifError } from '../../src/errors.js';
import { type EvalQuery, evaluate, readQueries } from '../../src/evaluation/evaluate.js';
import type { LoadProgress } from '../../src/archive/load-articles.js';

const DIR = mkdtempSync(join(tmpdir(), 'arshif-evaluate-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** Writes a file under the test's temporary directory and returns its path. */
function tmpFile(name: string, content: string): string {
  const path = join(DIR, name);
  writeFileSync(path, content);
  return path;
}

const jsonl = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).join('\n') + '\n';

/** Four paragraphs: `النفط` in both of oil's, `أسعار` in oil's first and gold's, `المنتخب` in match's. */
const ARTICLES = [
  {
    id: 'oil',
    title: 'أسواق الطاقة',
    paragraphs: ['ارتفعت أسعار النفط في الأسواق العالمية.', 'وقال محللون إن الطلب على النفط تراجع.'],
    vectors: [
      [1, 0, 0],
      [1, 0.1, 0],
    ],
  },
  { id: 'gold', title: 'المعادن', paragraphs: ['تراجعت أسعار الذهب اليوم.'], vectors: [[0, 1, 0]] },
  {
    id: 'match',
    title: 'فوز المنتخب',
    paragraphs: ['فاز المنتخب الوطني في المباراة النهائية.'],
    vectors: [[0, 0, 1]],
  },
];
const ARTICLE_FILE = tmpFile('articles.jsonl', jsonl(ARTICLES));

const query = (qid: string, text: string, ...relevant: [id: string, para: number][]): EvalQuery => ({
  qid,
  query: text,
  relevant: relevant.map(([id, para]) => ({ id, para })),
});

describe('readQueries', () => {
  const Q1 = { qid: 'q1', query: 'أسعار النفط', relevant: [{ id: 'oil', para: 0 }] };
  const Q2 = { qid: 'q2', query: 'المنتخب', relevant: [{ id: 'match', para: 0 }], vector: [0, 0, 1] };

  it.each([
    ['an empty file', '', []],
    ['one query per line', jsonl([Q1, Q2]), [Q1, Q2]],
    [
      'blank lines and a missing final newline skipped',
      `\n${JSON.stringify(Q1)}\n   \n${JSON.stringify(Q2)}`,
      [Q1, Q2],
    ],
    ['a query judged relevant nowhere', jsonl([{ ...Q1, relevant: [] }]), [{ ...Q1, relevant: [] }]],
    ['a null vector, left out', jsonl([{ ...Q1, vector: null }]), [Q1]],
  ])('reads %s', async (rule, text, expected) => {
    const file = tmpFile(`queries-${rule.replaceAll(' ', '-')}.jsonl`, text);
    expect(await readQueries(file)).toEqual(expected);
  });

  it.each([
    ['a line that is not JSON', '{"qid": "q2", "query": "الذهب"', 'not valid JSON'],
    [
      'a query that is not a string',
      '{"qid": "q2", "query": 7, "relevant": []}',
      'expected {"qid", "query", "relevant": [{"id", "para"}]}',
    ],
    [
      'no relevant paragraphs',
      '{"qid": "q2", "query": "الذهب"}',
      'expected {"qid", "query", "relevant": [{"id", "para"}]}',
    ],
    [
      'a judgement without a whole para',
      '{"qid": "q2", "query": "الذهب", "relevant": [{"id": "gold", "para": 0.5}]}',
      'expected {"qid", "query", "relevant": [{"id", "para"}]}',
    ],
    ['a line that is null', 'null', 'expected {"qid", "query", "relevant": [{"id", "para"}]}'],
    [
      'a vector holding a word',
      '{"qid": "q2", "query": "الذهب", "relevant": [], "vector": [0.5, "ذهب"]}',
      '"vector" must be an array of numbers',
    ],
  ])('refuses %s with BAD_PARAMETER naming the file and its line', async (_rule, bad, reason) => {
    // The bad line is the file's third: the blank line before it counts.
    const file = tmpFile('bad-queries.jsonl', `${JSON.stringify(Q1)}\n\n${bad}\n${JSON.stringify(Q2)}\n`);
    const error = await readQueries(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArshifError);
    expect(error).toMatchObject({ code: 'BAD_PARAMETER', message: `${file}:3: ${reason}` });
  });

  it('refuses a file it cannot read with IO_ERROR naming it', async () => {
    const file = join(DIR, 'no-such-queries.jsonl');
    const error = await readQueries(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArshifError);
    expect(error).toMatchObject({ code: 'IO_ERROR' });
    expect((error as Error).message).toMatch(new RegExp(`^${file}: .*ENOENT`, 'u'));
  });
});

describe('evaluate', () => {
  /**
   * Ranks worked out by hand:
   * - q1 `المنتخب`: only match's paragraph has it, the relevant one: rank 1.
   * - q2 `أسعار الذهب`: gold's paragraph has both words, oil's first only `أسعار`; the relevant one is
   *   oil's: rank 2.
   * - q3 `الذهب`: gold's paragraph first, relevant; match's, also judged relevant, is never found.
   */
  const QUERIES = [
    query('q1', 'المنتخب', ['match', 0]),
    query('q2', 'أسعار الذهب', ['oil', 0]),
    query('q3', 'الذهب', ['gold', 0], ['match', 0]),
  ];
  const NDCG = { q1: 1, q2: 1 / Math.log2(3), q3: 1 / (1 + 1 / Math.log2(3)) };

  it('measures MRR@10, nDCG@10 and recall, the mean over queries', async () => {
    const report = await evaluate([ARTICLE_FILE], QUERIES);
    expect(report.queries).toBe(3);
    expect(report.mrr10).toBeCloseTo((1 + 1 / 2 + 1) / 3, 10);
    expect(report.ndcg10).toBeCloseTo((NDCG.q1 + NDCG.q2 + NDCG.q3) / 3, 10);
    expect(report.recall1).toBeCloseTo((1 + 0 + 1 / 2) / 3, 10);
    expect(report.recall10).toBeCloseTo((1 + 1 + 1 / 2) / 3, 10);
    expect(report.recall100).toBeCloseTo((1 + 1 + 1 / 2) / 3, 10);
    expect(report.indexMs).toBeGreaterThanOrEqual(0);
    expect(report.queryP99Ms).toBeGreaterThanOrEqual(report.queryP50Ms);
    expect(report).not.toHaveProperty('typos');
    expect(report).not.toHaveProperty('unembedded');
  });

  it.each([
    ['no queries', [], { queries: 0, mrr10: 0, recall10: 0, queryP50Ms: 0, queryP99Ms: 0 }],
    ['a query found nowhere', [query('q', 'الفيضانات', ['oil', 0])], { queries: 1, mrr10: 0, recall100: 0 }],
    ['an empty query', [query('q', '', ['oil', 0])], { queries: 1, mrr10: 0, recall100: 0 }],
    [
      'every relevant paragraph first',
      [query('q1', 'المنتخب', ['match', 0]), query('q2', 'الذهب', ['gold', 0])],
      { queries: 2, mrr10: 1, ndcg10: 1, recall1: 1, recall10: 1 },
    ],
  ])('reports %s', async (_rule, queries, expected) => {
    expect(await evaluate([ARTICLE_FILE], queries)).toMatchObject(expected);
  });

  it('reports loading progress after every article line', async () => {
    const progress: LoadProgress[] = [];
    await evaluate([ARTICLE_FILE], [], {}, (step) => progress.push(step));
    expect(progress.map((step) => step.articles)).toEqual([1, 2, 3]);
    expect(progress.at(-1)).toMatchObject({ paragraphs: 4, rejected: [], skipped: 0 });
    expect(progress.at(-1)!.bytesRead).toBe(progress.at(-1)!.totalBytes);
  });

  it('with a typo seed, also runs the queries misspelled, counting those it could misspell', async () => {
    // `عندما` is a stop word: it has no word to misspell and runs as written.
    const queries = [query('q1', 'المنتخب', ['match', 0]), query('q2', 'عندما', ['gold', 0])];
    const report = await evaluate([ARTICLE_FILE], queries, {}, undefined, { typoSeed: 7 });
    expect(report.typos).toMatchObject({ queries: 2, misspelled: 1 });
    expect(report.typos!.mrr10).toBeLessThanOrEqual(0.5);
    const again = await evaluate([ARTICLE_FILE], queries, {}, undefined, { typoSeed: 7 });
    const { queryP50Ms: _p50, queryP99Ms: _p99, ...relevance } = report.typos!;
    expect(again.typos).toMatchObject(relevance);
  });

  it('ranks by vector: a query without one finds nothing and is counted as unembedded', async () => {
    const queries = [
      { ...query('q1', 'الطلب', ['match', 0]), vector: [0, 0.1, 1] },
      query('q2', 'الفيضانات', ['oil', 0]),
    ];
    // q1's words find oil's second paragraph only, its vector match's first; q2 has no vector.
    const byVector = await evaluate([ARTICLE_FILE], queries, {}, undefined, { ranking: 'vector' });
    expect(byVector).toMatchObject({ queries: 2, mrr10: 1 / 2, recall1: 1 / 2, unembedded: 1 });
    const byWords = await evaluate([ARTICLE_FILE], queries, {}, undefined, { ranking: 'words' });
    expect(byWords).toMatchObject({ queries: 2, mrr10: 0, recall100: 0 });
    expect(byWords).not.toHaveProperty('unembedded');
  });

  it('ranks a blend by words and vector, and a query without a vector by its words', async () => {
    const queries = [
      { ...query('q1', 'الطلب', ['match', 0]), vector: [0, 0.1, 1] },
      query('q2', 'المنتخب', ['match', 0]),
    ];
    const report = await evaluate([ARTICLE_FILE], queries, {}, undefined, {
      ranking: 'hybrid',
      semanticRatio: 1,
    });
    expect(report).toMatchObject({ queries: 2, recall10: 1, unembedded: 1 });
  });
});
