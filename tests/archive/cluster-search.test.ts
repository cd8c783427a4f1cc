import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import type { SearchResponse } from '../../src/archive/archive-search.js';
import { ClusterSearch, type ShardRoute } from '../../src/archive/cluster-search.js';
import type { ShardClient } from '../../src/archive/shard-protocol.js';
import type { SearchOptions } from '../../src/archive/search-options.js';
import { ShardSearch } from '../../src/archive/shard-search.js';
import { shardOf, ShardSet } from '../../src/archive/shards.js';
import type { Article } from '../../src/article/article.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';
import { ArshifError } from '../../src/errors.js';

/** Three nodes holding a third of the shards each. */
const NODE_SHARDS = ['0-85', '86-170', '171-255'].map((text) => ShardSet.parse(text));

/** Queries as people type them: words, phrases, exclusions, requirements, typing errors, vowel marks. */
const QUERIES = [
  'الانتخابات',
  'أسعار النفط',
  'وزارة الصحة',
  '"وزارة الداخلية"',
  'الحكومة -النفط',
  '+المغرب الانتخابات',
  'الانتخبات الجماعيه',
  'كرة القدم المغربي',
  'المشاركه في الاقتراع',
  'عَلَم',
  'الدار البيضاء والرباط وطنجة',
  'مسؤول في الوزارة قال إن',
  '"جملة لا توجد أبدا"',
  'الاقتصاد',
];

const OPTIONS: SearchOptions[] = [
  { limit: 100 },
  { limit: 100, collapse: false },
  { limit: 5, offset: 3 },
  { limit: 100, sort: 'date' },
  { limit: 100, facets: ['source', 'section', 'year'] },
  { limit: 100, from: '2021-01-01', to: '2023-12-31' },
];

const VECTORS = [
  [1, 0, 0.5],
  [0, 1, 0.2],
];

/** A response as compared: hits in order with their copies, scores to 1e-9, what highlights mark. */
function comparable(response: Omit<SearchResponse, 'query'>): unknown {
  const { tookMs: _took, hits, ...rest } = response;
  const round = (score: number) => Math.round(score * 1e9) / 1e9;
  const entries = hits.map((hit) => ({
    score: round(hit.score),
    members: [`${hit.id}#${hit.para}`, ...(hit.copies ?? []).map((copy) => `${copy.id}#${copy.para}`)].join(
      ' ',
    ),
    text: hit.highlights.map(([start, end]) => hit.text.slice(start, end)).join('|'),
  }));
  return { ...rest, hits: entries };
}

describe('ClusterSearch: three nodes holding a third of the shards each answer as one archive', () => {
  const pool: Article[] = [];
  beforeAll(async () => {
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) pool.push(line.article);
    expect(pool.length).toBeGreaterThan(30);
    // Two articles in three carry vectors, their first paragraph none.
    pool.forEach((article, n) => {
      if (n % 3 === 2) return;
      article.vectors = article.paragraphs.map((_, para) =>
        para === 0 ? null : Float32Array.of(Math.cos(n + para), Math.sin(n * para), 0.3),
      );
    });
  });

  /** One archive holding every article, and a cluster of three nodes over the same articles. */
  function build(steps: readonly Step[]) {
    const whole = new Archive();
    const nodes = NODE_SHARDS.map(() => new Archive());
    const nodeOf = (id: string) => NODE_SHARDS.findIndex((set) => set.has(shardOf(id)));
    for (const step of steps) {
      const source = pool[step.article % pool.length]!;
      if (step.op === 'remove') {
        whole.remove(source.id);
        nodes[nodeOf(source.id)]!.remove(source.id);
        continue;
      }
      // A replacement: the same id with its paragraphs in another order, and a copy under another id.
      const article =
        step.op === 'replace'
          ? {
              ...source,
              paragraphs: [...source.paragraphs].reverse(),
              vectors: source.vectors?.slice().reverse(),
            }
          : step.op === 'copy'
            ? {
                ...source,
                id: `${source.id}-copy`,
                source: 'وكالة أخرى',
                paragraphs: source.paragraphs.map((text) => `${text} (وكالة)`),
              }
            : source;
      whole.put(article);
      nodes[nodeOf(article.id)]!.put(article);
    }
    const clients = nodes.map((archive, n) => new ShardSearch(`node-${n}`, archive));
    const route: ShardRoute = { clients, shards: NODE_SHARDS, missing: [] };
    const cluster = new ClusterSearch({
      local: nodes[0]!.answers,
      searcher: nodes[0]!.engine.searcher,
      route: async () => route,
      vectorDimensions: () => 3,
    });
    return { whole, nodes, cluster };
  }

  type Step = { op: 'put' | 'replace' | 'copy' | 'remove'; article: number };
  const step = fc.record({
    op: fc.constantFrom('put', 'put', 'put', 'replace', 'copy', 'remove') as fc.Arbitrary<Step['op']>,
    article: fc.nat({ max: 200 }),
  });

  it('the same hits, copies, highlights, totals, facets and suggestions, scores to 1e-9', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 5, maxLength: 60 }),
        fc.constantFrom(...QUERIES),
        fc.constantFrom(...OPTIONS),
        async (steps, query, options) => {
          const { whole, cluster } = build(steps);
          expect(comparable(await cluster.search(query, options))).toEqual(
            comparable(whole.search(query, options)),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('every article once: each query and option set compared over the whole sample corpus', async () => {
    const { whole, nodes, cluster } = build(pool.map((_, article) => ({ op: 'put', article })));
    // Each node holds some, none all: the cluster is really cut.
    for (const node of nodes) expect(node.stats().articles).toBeGreaterThan(0);
    expect(nodes.every((node) => node.stats().articles < pool.length)).toBe(true);
    for (const query of QUERIES) {
      for (const options of OPTIONS) {
        expect(
          comparable(await cluster.search(query, options)),
          `${query} ${JSON.stringify(options)}`,
        ).toEqual(comparable(whole.search(query, options)));
      }
    }
    const suggested = await cluster.search('الانتخبات');
    expect(suggested.suggestion).toBe(whole.search('الانتخبات').suggestion);
    expect(suggested.suggestion).toBeDefined();
  });

  it('corrects as one archive when the archive grew a hundredfold since the last search planned by its size', async () => {
    const { whole, nodes, cluster } = build([{ op: 'put', article: 0 }]);
    await cluster.search('الانتخابات');
    for (const article of pool.slice(1)) {
      whole.put(article);
      nodes[NODE_SHARDS.findIndex((set) => set.holds(article.id))]!.put(article);
    }
    for (const query of ['الانتخبات الجماعيه', 'المشاركه في الاقتراع', 'الاقتصاد']) {
      expect(comparable(await cluster.search(query)), query).toEqual(comparable(whole.search(query)));
    }
  });

  it('asks a node again for all the best when it holds more of them than its share', async () => {
    // Node 0 holds the seventy paragraphs that say it most; the others hold forty that say it once.
    const ids = (node: number, count: number) =>
      Array.from({ length: 4000 }, (_, n) => `wire-${n}`)
        .filter((id) => NODE_SHARDS[node]!.has(shardOf(id)))
        .slice(0, count);
    const articles: Article[] = [
      ...ids(0, 70).map((id, n) => ({
        id,
        title: '',
        paragraphs: [`ميناء طنجة ميناء طنجة يستقبل السفن ${'ميناء '.repeat(n % 5)}`],
      })),
      ...[...ids(1, 20), ...ids(2, 20)].map((id, n) => ({
        id,
        title: '',
        paragraphs: [
          `قالت الشركة إن ${n % 2 === 0 ? 'الميناء' : 'ميناء'} في طنجة قديم ${'جدا '.repeat(n % 7)}`,
        ],
      })),
    ];
    const whole = new Archive();
    const nodes = NODE_SHARDS.map(() => new Archive());
    for (const article of articles) {
      whole.put(article);
      nodes[NODE_SHARDS.findIndex((set) => set.has(shardOf(article.id)))]!.put(article);
    }
    const asked: string[] = [];
    const clients = nodes.map((archive, n) => new ShardSearch(`node-${n}`, archive));
    const cluster = new ClusterSearch({
      local: nodes[0]!.answers,
      searcher: nodes[0]!.engine.searcher,
      route: async () => ({ clients, shards: NODE_SHARDS, missing: [] }),
      vectorDimensions: () => undefined,
      observe: (kind, node) => asked.push(`${kind} ${node}`),
    });
    // Two words: the best 100 are re-ranked; each node sends 52 at first, node 0 holds 70 of the best 100.
    for (const options of [{ limit: 20 }, { limit: 10, offset: 40, collapse: false }] as SearchOptions[]) {
      asked.length = 0;
      expect(comparable(await cluster.search('ميناء طنجة', options))).toEqual(
        comparable(whole.search('ميناء طنجة', options)),
      );
    }
    expect(asked.filter((request) => request.startsWith('search')).sort()).toEqual([
      'search node-0',
      'search node-0',
      'search node-1',
      'search node-2',
    ]);
  });

  it('counts a neighbour holding the words once in a blend, whichever node holds it', async () => {
    const articles: Article[] = Array.from({ length: 150 }, (_, n) => ({
      id: `w${n}`,
      title: '',
      source: n % 2 === 0 ? 'وكالة' : 'صحيفة',
      paragraphs: [`النفط ${'كلمة '.repeat(n)}`],
      vectors: [Float32Array.of(n >= 140 ? 1 : 0, n >= 140 ? 0.01 * n : 1, 0)],
    }));
    articles.push({
      id: 'v1',
      title: '',
      source: 'وكالة',
      paragraphs: ['الأسواق'],
      vectors: [Float32Array.of(1, 0, 0)],
    });
    const whole = new Archive();
    const nodes = NODE_SHARDS.map(() => new Archive());
    for (const article of articles) {
      whole.put(article);
      nodes[NODE_SHARDS.findIndex((set) => set.has(shardOf(article.id)))]!.put(article);
    }
    const clients = nodes.map((archive, n) => new ShardSearch(`node-${n}`, archive));
    const cluster = new ClusterSearch({
      local: nodes[0]!.answers,
      searcher: nodes[0]!.engine.searcher,
      route: async () => ({ clients, shards: NODE_SHARDS, missing: [] }),
      vectorDimensions: () => 3,
    });
    const options: SearchOptions = { vector: [1, 0, 0], k: 8, semanticRatio: 0.5, facets: ['source'] };
    const expected = whole.search('النفط', options);
    // Eight neighbours: seven hold the word (counted already), one does not.
    expect(expected.total).toBe(151);
    expect(comparable(await cluster.search('النفط', options))).toEqual(comparable(expected));
  });

  it('vectors alone and blended with words, over the cluster as over one archive', async () => {
    const { whole, cluster } = build(pool.map((_, article) => ({ op: 'put', article })));
    for (const vector of VECTORS) {
      for (const options of [
        { vector, limit: 20 },
        { vector, limit: 20, facets: ['source' as const] },
        { vector, limit: 20, semanticRatio: 0.2, sort: 'date' as const },
        { vector, limit: 20, semanticRatio: 0, facets: ['source' as const] },
        { vector, limit: 20, semanticRatio: 1, facets: ['source' as const] },
      ]) {
        for (const query of options.semanticRatio === undefined
          ? ['', 'الانتخابات', 'أسعار النفط']
          : ['النفط']) {
          expect(
            comparable(await cluster.search(query, options)),
            `${query} ${JSON.stringify(options)}`,
          ).toEqual(comparable(whole.search(query, options)));
        }
      }
    }
  });

  it('related paragraphs, by vector and by telling words, over the cluster as over one archive', async () => {
    const { whole, cluster } = build(pool.map((_, article) => ({ op: 'put', article })));
    let compared = 0;
    for (const article of pool.slice(0, 12)) {
      for (const para of [0, 1]) {
        for (const options of [
          { limit: 10 },
          { limit: 5, offset: 2, collapse: false },
          { limit: 10, from: '2022-01-01' },
        ]) {
          const expected = whole.related(article.id, para, options);
          const answer = await cluster.related(article.id, para, options);
          // The answer's own fields (by, words, id) and everything a search compares.
          const { tookMs: _a, hits: _b, ...own } = answer;
          const { tookMs: _c, hits: _d, ...expectedOwn } = expected;
          expect(own, `${article.id} ${para}`).toEqual(expectedOwn);
          expect(comparable(answer), `${article.id} ${para}`).toEqual(comparable(expected));
          compared += 1;
        }
      }
    }
    expect(compared).toBe(72);
    await expect(cluster.related('no-such-article', 0)).rejects.toThrow(
      /no article with id "no-such-article"/u,
    );
    await expect(cluster.related(pool[0]!.id, 99)).rejects.toThrow(/para must be an integer from 0 to/u);
  });

  it('a node that fails at once is left out and the search asked of another holder, no rejection left unhandled', async () => {
    const { whole, nodes } = build(pool.map((_, article) => ({ op: 'put', article })));
    const holders = nodes.map((archive, n) => new ShardSearch(`node-${n}`, archive));
    const failing: ShardClient = {
      id: 'failing',
      statistics: () => Promise.reject(new Error('connection refused')),
      search: () => Promise.reject(new Error('connection refused')),
      nearest: () => Promise.reject(new Error('connection refused')),
      fetch: () => Promise.reject(new Error('connection refused')),
      paragraph: () => Promise.reject(new Error('connection refused')),
    };
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const cluster = new ClusterSearch({
        local: nodes[0]!.answers,
        searcher: nodes[0]!.engine.searcher,
        // The failing node holds what the second holds, and is asked first until it is left out.
        route: async (excluded) =>
          excluded.has('failing')
            ? { clients: holders, shards: NODE_SHARDS, missing: [] }
            : { clients: [holders[0]!, failing, holders[2]!], shards: NODE_SHARDS, missing: [] },
        vectorDimensions: () => 3,
      });
      expect(comparable(await cluster.search('الانتخابات'))).toEqual(comparable(whole.search('الانتخابات')));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('refuses what one archive refuses, with the same message', async () => {
    const { whole, cluster } = build(pool.map((_, article) => ({ op: 'put', article })));
    for (const options of [{ vector: [1, 2] }, { limit: 500 }, { from: 'yesterday' }] as SearchOptions[]) {
      const expected = (() => {
        try {
          whole.search('النفط', options);
        } catch (error) {
          return (error as Error).message;
        }
        throw new Error('expected a refusal');
      })();
      await expect(cluster.search('النفط', options)).rejects.toThrow(ArshifError);
      await expect(cluster.search('النفط', options)).rejects.toThrow(expected);
    }
  });
});
