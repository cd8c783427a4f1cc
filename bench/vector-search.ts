import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { quantile } from '../src/evaluation/metrics.js';
import { seededRandom } from '../src/evaluation/typos.js';
import { Archive } from '../src/archive/archive.js';
import type { Article } from '../src/article/article.js';
import { readArticleLines } from '../src/article/read-articles.js';
import type { SearchOptions } from '../src/archive/search-options.js';
import { QuantizedVectors } from '../src/search/vectors/quantized-vectors.js';

/**
 * Vector search on an archive whose articles carry vectors (`bench/tools/make-vectors.ts` makes them): recall
 * of the approximate search against exact search, latency of both, of keyword and of hybrid search, and
 * the memory vectors take. Medians of `--rounds` timed passes; each pass goes through every query once.
 *
 *   npm run tool:make-vectors -- ../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz \
 *     --queries .tmp/known-item.jsonl --queries-out .tmp/ant-vectors/known-item-queries.jsonl \
 *     --out .tmp/ant-vectors/articles.jsonl.gz
 *   npm run bench:vector-search -- .tmp/ant-vectors/articles.jsonl.gz \
 *     --queries .tmp/ant-vectors/known-item-queries.jsonl
 *
 * Query sets: the queries' own vectors (`--queries`, lines with `"query"` and `"vector"`), and the
 * vectors of `--paragraphs` paragraphs drawn with `--seed` (what "related coverage" asks).
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    queries: { type: 'string' },
    paragraphs: { type: 'string', default: '500' },
    seed: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    k: { type: 'string', default: '10' },
  },
});
const [file] = positionals;
if (file === undefined) {
  console.error(
    'usage: npm run bench:vector-search -- ARTICLES-WITH-VECTORS [--queries FILE] [--paragraphs 500] [--rounds 3] [--k 10]',
  );
  process.exit(2);
}
const rounds = Number(values.rounds);
const k = Number(values.k);

const articles: Article[] = [];
for await (const line of readArticleLines(file)) if (line.ok) articles.push(line.article);
const archive = new Archive();
let started = performance.now();
await archive.putAll(articles);
const buildMs = performance.now() - started;
const { paragraphs } = archive.stats();
const segments = archive.engine.segments.compactSegments;
const rows = segments.reduce((sum, segment) => sum + (segment.vectors()?.rows ?? 0), 0);
const dimensions = archive.vectorSettings.dimensions ?? 0;
console.log(
  `${articles.length} articles, ${paragraphs} paragraphs, ${rows} vectors of ${dimensions} dimensions, ` +
    `${segments.length} segments: built in ${(buildMs / 1000).toFixed(1)} s`,
);

started = performance.now();
archive.engine.segments.prepareVectors();
const quantizeMs = performance.now() - started;

interface Query {
  text?: string;
  vector: number[];
}
const querySets: { name: string; queries: Query[] }[] = [];
if (values.queries !== undefined) {
  const lines = (await readFile(values.queries, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const queries = lines
    .map((line) => JSON.parse(line) as { query: string; vector: number[] | null })
    .filter((query) => query.vector !== null)
    .map((query) => ({ text: query.query, vector: query.vector! }));
  querySets.push({ name: `query vectors (${queries.length})`, queries });
}
const random = seededRandom(Number(values.seed));
const sampled: Query[] = [];
const wanted = Number(values.paragraphs);
while (sampled.length < wanted) {
  const article = articles[Math.floor(random() * articles.length)]!;
  const vector = article.vectors?.[Math.floor(random() * article.paragraphs.length)];
  if (vector) sampled.push({ vector: Array.from(vector) });
}
querySets.push({ name: `paragraph vectors (${sampled.length})`, queries: sampled });

/** Per query, its hits' keys and time, for one pass. */
function pass(queries: Query[], options: (query: Query) => [string, SearchOptions]) {
  return queries.map((query) => {
    const [text, searchOptions] = options(query);
    const at = performance.now();
    const { hits } = archive.search(text, searchOptions);
    return { ms: performance.now() - at, keys: hits.map((hit) => `${hit.id}#${hit.para}`) };
  });
}

/** p50 and p99 of each of `rounds` passes, and their medians. */
function timed(queries: Query[], options: (query: Query) => [string, SearchOptions]) {
  pass(queries.slice(0, 50), options); // warm-up
  const p50s: number[] = [];
  const p99s: number[] = [];
  let last: ReturnType<typeof pass> = [];
  for (let round = 0; round < rounds; round += 1) {
    last = pass(queries, options);
    const times = last.map((run) => run.ms);
    p50s.push(quantile(times, 0.5));
    p99s.push(quantile(times, 0.99));
  }
  return { p50: quantile(p50s, 0.5), p99: quantile(p99s, 0.5), runs: last };
}

const row = (cells: (string | number)[]) => console.log(`| ${cells.join(' | ')} |`);
const ms = (value: number) => value.toFixed(2);
console.log();
row(['query set', 'search', `recall@${k} vs exact`, 'p50 ms', 'p99 ms']);
row(['---', '---', '---', '---', '---']);
for (const { name, queries } of querySets) {
  const vectorOnly =
    (exact: boolean) =>
    (query: Query): [string, SearchOptions] => [
      '',
      { vector: query.vector, k, limit: k, collapse: false, exact },
    ];
  const exact = timed(queries, vectorOnly(true));
  const approximate = timed(queries, vectorOnly(false));
  let found = 0;
  let relevant = 0;
  approximate.runs.forEach((run, at) => {
    const truth = new Set(exact.runs[at]!.keys);
    relevant += truth.size;
    found += run.keys.filter((key) => truth.has(key)).length;
  });
  row([name, 'exact (float32, every vector)', '1', ms(exact.p50), ms(exact.p99)]);
  row([
    name,
    'int4 scan + float32 rescoring',
    (found / relevant).toFixed(4),
    ms(approximate.p50),
    ms(approximate.p99),
  ]);
  const texts = queries.filter((query) => query.text !== undefined);
  if (texts.length > 0) {
    const keyword = timed(texts, (query) => [query.text!, { limit: k }]);
    const hybrid = timed(texts, (query) => [query.text!, { vector: query.vector, limit: k }]);
    row([name, 'keyword (same texts)', '–', ms(keyword.p50), ms(keyword.p99)]);
    row([name, 'hybrid (text + vector, k 100)', '–', ms(hybrid.p50), ms(hybrid.p99)]);
  }
}

// In the segments, shared by every thread: the float vectors with each row's length and document, and
// the 4-bit codes with each row's scale. In each searching thread: a copy of the codes and scales.
const floatBytes = rows * dimensions * 4 + rows * 8;
const codeBytes = segments.reduce(
  (sum, segment) => sum + segment.data.vectorCodes.byteLength + segment.data.vectorScales.byteLength,
  0,
);
const threadBytes = segments.reduce((sum, segment) => {
  const vectors = segment.vectors();
  return vectors?.quantized === undefined
    ? sum
    : sum +
        QuantizedVectors.of(vectors.quantized.codes, vectors.quantized.scales, dimensions, vectors.norms)
          .bytes;
}, 0);
const perMillion = (bytes: number) => `${(((bytes / rows) * 1e6) / 2 ** 20).toFixed(0)} MiB`;
console.log();
console.log(`copying ${rows} vectors' codes into one search thread: ${quantizeMs.toFixed(0)} ms`);
console.log(
  `memory per million vectors of ${dimensions} dimensions: in the segments (shared by every thread) ` +
    `float32 ${perMillion(floatBytes)} + int4 ${perMillion(codeBytes)}; per searching thread int4 ${perMillion(threadBytes)}`,
);
