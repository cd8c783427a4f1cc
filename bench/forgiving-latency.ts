/**
 * What forgiving search costs a query, in process (no HTTP), on a whole article file: query p50/p99 with
 * typo tolerance and synonyms on (the default), with typos corrected from 5 letters
 * rather than 4 (the default before), with typo tolerance off, and with both off, on three
 * query sets — title words as people type them, known-item queries as written, and the same with one
 * typing error (`eval --typos`'s error model). Configurations take turns, round after round; the
 * figures are the medians of the rounds' quantiles.
 *
 *   npm run bench:forgiving-latency -- [--input FILE] [--queries .tmp/known-item.jsonl] [--rounds 3]
 */
import { parseArgs } from 'node:util';
import { readQueries } from '../src/evaluation/evaluate.js';
import { quantile } from '../src/evaluation/metrics.js';
import { misspell, seededRandom } from '../src/evaluation/typos.js';
import { Archive } from '../src/archive/archive.js';
import { loadArticleFiles } from '../src/archive/load-articles.js';
import { readArticleLines } from '../src/article/read-articles.js';
import type { SearchEngineOptions } from '../src/search/engine.js';
import { titleQueries } from './lib/title-queries.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: '../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz' },
    queries: { type: 'string', default: '.tmp/known-item.jsonl' },
    rounds: { type: 'string', default: '3' },
  },
});

const CONFIGURATIONS: [string, SearchEngineOptions][] = [
  ['typos and synonyms (default)', {}],
  ['typos from 5 letters', { ranking: { typoLengths: [5, 9] } }],
  ['no typos', { ranking: { typoWeight: 0 } }],
  ['no typos, no synonyms', { ranking: { typoWeight: 0, synonymWeight: 0 } }],
];

const titles: string[] = [];
for await (const line of readArticleLines(values.input!)) if (line.ok) titles.push(line.article.title);
const knownItems = (await readQueries(values.queries!)).map((query) => query.query);
const random = seededRandom(1);
const QUERY_SETS: [string, string[]][] = [
  ['titles', titleQueries(titles, 30)],
  ['known items', knownItems],
  ['known items, one typo', knownItems.map((query) => misspell(query, random)?.query ?? query)],
];

const archives: Archive[] = [];
for (const [name, options] of CONFIGURATIONS) {
  const archive = new Archive(options);
  const started = performance.now();
  await loadArticleFiles(archive, [values.input!]);
  console.error(`${name}: indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  archives.push(archive);
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const results = new Map<string, { p50: number[]; p99: number[] }>();
for (let round = 0; round < Number(values.rounds); round += 1) {
  for (const [set, queries] of QUERY_SETS) {
    CONFIGURATIONS.forEach(([name], index) => {
      const latencies = queries.map((query) => {
        const start = performance.now();
        archives[index]!.search(query, { limit: 10 });
        return performance.now() - start;
      });
      const key = `${set}|${name}`;
      const row = results.get(key) ?? { p50: [], p99: [] };
      row.p50.push(quantile(latencies, 0.5));
      row.p99.push(quantile(latencies, 0.99));
      results.set(key, row);
    });
  }
}
console.log('| queries | configuration | p50 ms | p99 ms |\n|---|---|---|---|');
for (const [key, { p50, p99 }] of results) {
  const [set, name] = key.split('|');
  console.log(`| ${set} | ${name} | ${median(p50).toFixed(2)} | ${median(p99).toFixed(2)} |`);
}
