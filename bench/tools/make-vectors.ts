import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { analyzeForIndex } from '../../src/analysis/analyze.js';
import { readQueries } from '../../src/evaluation/evaluate.js';
import type { Article } from '../../src/article/article.js';
import { readArticleLines } from '../../src/article/read-articles.js';

/**
 * Stand-in embeddings with real neighbourhood structure, for measuring vector search where no model can
 * be downloaded: each paragraph's TF-IDF over our own analysis (stems; `1 + ln tf` times
 * `ln(1 + N / df)`), projected to N dimensions by a fixed random ±1 matrix (Achlioptas' projection,
 * which keeps distances: a term's row is drawn from a generator seeded by the term and `--seed`, so the
 * matrix is never stored), then made unit length. Paragraphs that share rare words are neighbours, as
 * they would be for a model; that is all they share with a semantic model, so figures measured with them
 * are reported, never tuned for.
 *
 * Writes the articles with `"vectors"` (one per paragraph; `null` for a paragraph without terms) and,
 * with `--queries`, the queries with `"vector"`, made with the same document frequencies.
 *
 *   npm run tool:make-vectors -- ../shared/data/xquad-ar/articles.jsonl --queries ../shared/data/xquad-ar/queries.jsonl \
 *     --out .tmp/xquad-vectors/articles.jsonl --queries-out .tmp/xquad-vectors/queries.jsonl
 *   npm run tool:make-vectors -- ../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz \
 *     --out .tmp/ant-vectors/articles.jsonl.gz --dims 384
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string' },
    queries: { type: 'string' },
    'queries-out': { type: 'string' },
    dims: { type: 'string', default: '384' },
    seed: { type: 'string', default: '1' },
    decimals: { type: 'string', default: '5' },
  },
});
const [file] = positionals;
if (
  file === undefined ||
  values.out === undefined ||
  (values.queries !== undefined) !== (values['queries-out'] !== undefined)
) {
  console.error(
    'usage: npm run tool:make-vectors -- ARTICLES --out FILE [--queries FILE --queries-out FILE] [--dims 384] [--seed 1] [--decimals 5]',
  );
  process.exit(2);
}
const dims = Number(values.dims);
const seed = Number(values.seed);
const scale = 10 ** Number(values.decimals);

/** Stem counts of a text, by our own analysis (what the index stems it to). */
function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { term } of analyzeForIndex(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** FNV-1a of a term, mixed with the seed: the seed of the term's row of the projection. */
function termSeed(term: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < term.length; i += 1) hash = Math.imul(hash ^ term.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Adds `weight` times the term's ±1 row of the projection to `into`: 32 signs per draw of xorshift32. */
function addRow(into: Float64Array, term: string, weight: number): void {
  let state = termSeed(term) || 1;
  for (let d = 0; d < dims; d += 32) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const bits = state >>> 0;
    for (let b = 0; b < 32 && d + b < dims; b += 1) into[d + b]! += (bits >>> b) & 1 ? weight : -weight;
  }
}

function embed(
  counts: ReadonlyMap<string, number>,
  documentFrequency: ReadonlyMap<string, number>,
  documents: number,
) {
  const vector = new Float64Array(dims);
  let any = false;
  for (const [term, tf] of counts) {
    const df = documentFrequency.get(term);
    if (df === undefined) continue; // a word no paragraph has tells nothing
    addRow(vector, term, (1 + Math.log(tf)) * Math.log(1 + documents / df));
    any = true;
  }
  if (!any) return null;
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  return Array.from(vector, (x) => Math.round((x / norm) * scale) / scale);
}

const started = performance.now();
const articles: Article[] = [];
const paragraphTerms: Map<string, number>[][] = [];
const documentFrequency = new Map<string, number>();
let paragraphs = 0;
for await (const line of readArticleLines(file)) {
  if (!line.ok) continue;
  articles.push(line.article);
  const terms = line.article.paragraphs.map(termCounts);
  paragraphTerms.push(terms);
  for (const counts of terms) {
    paragraphs += 1;
    for (const term of counts.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const output = createWriteStream(path);
  const sink = path.endsWith('.gz') ? createGzip({ level: 3 }) : undefined;
  sink?.pipe(output);
  const stream = sink ?? output;
  for (const line of lines) {
    if (!stream.write(`${line}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(output, 'close');
}

await writeLines(
  values.out,
  (function* () {
    for (const [at, article] of articles.entries()) {
      const vectors = paragraphTerms[at]!.map((counts) => embed(counts, documentFrequency, paragraphs));
      yield JSON.stringify({ ...article, vectors });
    }
  })(),
);
let queries = 0;
if (values.queries !== undefined) {
  const read = await readQueries(values.queries);
  queries = read.length;
  await writeLines(
    values['queries-out']!,
    read.map((query) =>
      JSON.stringify({ ...query, vector: embed(termCounts(query.query), documentFrequency, paragraphs) }),
    ),
  );
}
console.log(
  `${paragraphs} paragraphs of ${articles.length} articles${queries > 0 ? ` and ${queries} queries` : ''}: ` +
    `${dims} dimensions in ${((performance.now() - started) / 1000).toFixed(1)} s → ${values.out}`,
);
