/**
 * In-process search latency (no HTTP) for ranking configurations, on the first N articles of a file.
 *
 *   npm run bench:search-latency -- [--input FILE] [--articles 6000]
 *
 * Queries are two or three words of every 30th title, as people type them. Prints index time and
 * query p50/p99 per configuration; compare rows of one run only (machines are noisy).
 */
import { parseArgs } from 'node:util';
import { quantile } from '../src/evaluation/metrics.js';
import { Archive } from '../src/archive/archive.js';
import type { Article } from '../src/article/article.js';
import type { SearchEngineOptions } from '../src/search/engine.js';
import { readArticleLines } from '../src/article/read-articles.js';
import { titleQueries } from './lib/title-queries.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz' },
    articles: { type: 'string', default: '6000' },
  },
});

const CONFIGURATIONS: [string, SearchEngineOptions][] = [
  ['default', {}],
  ['no fuzzy', { ranking: { fuzzyWeight: 0 } }],
  ['no prefix, no fuzzy', { ranking: { fuzzyWeight: 0, prefixWeight: 0 } }],
];

const articles: Article[] = [];
for await (const line of readArticleLines(values.input!)) {
  if (line.ok) articles.push(line.article);
  if (articles.length >= Number(values.articles)) break;
}
const queries = titleQueries(
  articles.map((article) => article.title),
  30,
);

console.log('| configuration | paragraphs | index s | query p50 ms | query p99 ms |\n|---|---|---|---|---|');
for (const [name, options] of CONFIGURATIONS) {
  const archive = new Archive(options);
  const started = performance.now();
  for (const article of articles) archive.put(article);
  const indexSeconds = (performance.now() - started) / 1000;
  const latencies = queries.map((query) => {
    const start = performance.now();
    archive.search(query, { limit: 10 });
    return performance.now() - start;
  });
  console.log(
    `| ${name} | ${archive.stats().paragraphs} | ${indexSeconds.toFixed(1)} | ${quantile(latencies, 0.5).toFixed(1)} | ${quantile(latencies, 0.99).toFixed(1)} |`,
  );
}
