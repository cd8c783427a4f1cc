import { parseArgs } from 'node:util';
import { readQueries } from '../src/evaluation/evaluate.js';
import { meanMetrics, type RankedHit, scoreRanking } from '../src/evaluation/metrics.js';
import { Archive } from '../src/archive/archive.js';
import type { Hit } from '../src/archive/archive-search.js';
import { loadArticleFiles } from '../src/archive/load-articles.js';
import type { SearchOptions } from '../src/archive/search-options.js';

/**
 * Two ways of ranking words and a vector together, on an evaluation set whose articles and queries carry
 * vectors (`bench/tools/make-vectors.ts`): the convex blend of normalised scores `search` uses, and reciprocal
 * rank fusion (Cormack et al. 2009: `Σ weight / (60 + rank)` over the two rankings, weighted by the same
 * ratio), beside each ranking alone. One row per method and ratio: MRR@10, Recall@10, Recall@100.
 * Stand-in vectors are no semantic model: the figures say how the fusions behave, not which ratio to use.
 *
 *   npm run bench:hybrid-fusion -- --articles .tmp/xquad-vectors/articles.jsonl --queries .tmp/xquad-vectors/queries.jsonl
 */
const { values } = parseArgs({
  options: { articles: { type: 'string' }, queries: { type: 'string' } },
});
if (values.articles === undefined || values.queries === undefined) {
  console.error('usage: npm run bench:hybrid-fusion -- --articles FILE --queries FILE (both with vectors)');
  process.exit(2);
}
const DEPTH = 100;
const RRF_K = 60;
const archive = new Archive();
await loadArticleFiles(archive, [values.articles]);
const queries = await readQueries(values.queries);

const key = (hit: { id: string; para: number }) => `${hit.id}#${hit.para}`;
const ranked = (hits: readonly Hit[]): RankedHit[] =>
  hits.map(({ id, para, copies }) => ({ id, para, ...(copies ? { copies } : {}) }));
const search = (text: string, options: SearchOptions) =>
  archive.search(text, { limit: DEPTH, ...options }).hits;

/** Reciprocal rank fusion of two rankings, the second weighted by `ratio`, the first by `1 - ratio`. */
function fuse(words: readonly Hit[], vector: readonly Hit[], ratio: number): Hit[] {
  const fused = new Map<string, { hit: Hit; score: number }>();
  const add = (hits: readonly Hit[], weight: number) =>
    hits.forEach((hit, rank) => {
      const entry = fused.get(key(hit)) ?? { hit, score: 0 };
      entry.score += weight / (RRF_K + rank + 1);
      fused.set(key(hit), entry);
    });
  add(words, 1 - ratio);
  add(vector, ratio);
  return [...fused.values()].sort((a, b) => b.score - a.score).map(({ hit }) => hit);
}

const rows: [string, (query: (typeof queries)[number]) => Hit[]][] = [
  ['words alone', (query) => search(query.query, {})],
  ['vector alone', (query) => (query.vector ? search('', { vector: query.vector, k: DEPTH }) : [])],
];
for (const ratio of [0.25, 0.5, 0.75]) {
  rows.push([
    `blend of scores, ratio ${ratio}`,
    (query) =>
      query.vector
        ? search(query.query, { vector: query.vector, semanticRatio: ratio })
        : search(query.query, {}),
  ]);
  rows.push([
    `reciprocal rank fusion, ratio ${ratio}`,
    (query) =>
      fuse(
        search(query.query, {}),
        query.vector ? search('', { vector: query.vector, k: DEPTH }) : [],
        ratio,
      ),
  ]);
}
console.log(`${queries.length} queries, ${archive.stats().paragraphs} paragraphs`);
console.log('| ranking | MRR@10 | Recall@10 | Recall@100 |');
console.log('| --- | --- | --- | --- |');
for (const [name, rank] of rows) {
  const metrics = meanMetrics(queries.map((query) => scoreRanking(ranked(rank(query)), query.relevant)));
  console.log(
    `| ${name} | ${metrics.mrr10.toFixed(4)} | ${metrics.recall10.toFixed(4)} | ${metrics.recall100.toFixed(4)} |`,
  );
}
