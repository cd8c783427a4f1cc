/**
 * Relevance of each analysis and ranking lever, one row per configuration, on an evaluation set.
 *
 *   npm run bench:relevance-ablation -- [--articles FILE --queries FILE]
 *
 * Defaults to ../shared/data/xquad-ar. The first row is MiniSearch with its default settings over
 * the same paragraphs (text and title fields); the last row is Arshif's defaults, what `eval` runs.
 */
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { type EvalQuery, evaluate, readQueries } from '../src/evaluation/evaluate.js';
import { meanMetrics, type QueryMetrics, scoreRanking } from '../src/evaluation/metrics.js';
import { Archive } from '../src/archive/archive.js';
import { loadArticleFiles } from '../src/archive/load-articles.js';
import type { SearchEngineOptions } from '../src/search/engine.js';

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '../shared/data/xquad-ar/articles.jsonl' },
    queries: { type: 'string', default: '../shared/data/xquad-ar/queries.jsonl' },
  },
});
const articles = values.articles!;
const queries = await readQueries(values.queries!);

/** A lever at the smallest weight MiniSearch accepts: a boost of 0 means 1 there. */
const OFF = 1e-9;
const BARE = {
  proximityWeight: 0,
  prefixWeight: 0,
  fuzzyWeight: 0,
  coverageExponent: 1,
  alternativeBoost: OFF,
};

const CONFIGURATIONS: [string, SearchEngineOptions][] = [
  ['normalisation only', { analysis: { stem: false, stopWords: false }, ranking: BARE }],
  ['+ light stemming (exact form ranked higher)', { analysis: { stopWords: false }, ranking: BARE }],
  ['+ stop words (incl. question words)', { ranking: BARE }],
  ['+ alternative clitic readings', { ranking: { ...BARE, alternativeBoost: 0.6 } }],
  [
    '+ proximity re-ranking, coverage^0.5',
    { ranking: { ...BARE, alternativeBoost: 0.6, proximityWeight: 1, coverageExponent: 0.5 } },
  ],
  ['+ prefix and fuzzy stems (final)', {}],
];

async function miniSearchDefaults(qs: readonly EvalQuery[]): Promise<QueryMetrics> {
  const archive = new Archive();
  await loadArticleFiles(archive, [articles]);
  const miniSearch = new MiniSearch<{ id: string; text: string; title: string }>({
    fields: ['text', 'title'],
  });
  for (const article of archive.all()) {
    article.paragraphs.forEach((text, para) =>
      miniSearch.add({ id: `${para}:${article.id}`, text, title: article.title }),
    );
  }
  return meanMetrics(
    qs.map(({ query, relevant }) => {
      const ranking = miniSearch
        .search(query)
        .slice(0, 100)
        .map((result) => {
          const id = String(result.id);
          const colon = id.indexOf(':');
          return { id: id.slice(colon + 1), para: Number(id.slice(0, colon)) };
        });
      return scoreRanking(ranking, relevant);
    }),
  );
}

const format = (m: QueryMetrics) =>
  [m.mrr10, m.recall1, m.recall10, m.recall100].map((v) => v.toFixed(4)).join(' | ');
console.log(`${queries.length} queries over ${articles}\n`);
console.log('| configuration | MRR@10 | R@1 | R@10 | R@100 |');
console.log('|---|---|---|---|---|');
console.log(`| MiniSearch defaults | ${format(await miniSearchDefaults(queries))} |`);
for (const [name, options] of CONFIGURATIONS) {
  const report = await evaluate([articles], queries, options);
  console.log(`| ${name} | ${format(report)} |`);
}
