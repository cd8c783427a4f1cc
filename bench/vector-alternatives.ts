import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { quantile } from '../src/evaluation/metrics.js';
import { seededRandom } from '../src/evaluation/typos.js';
import { readArticleLines } from '../src/article/read-articles.js';
import { dot, norm } from '../src/search/vectors/vector-math.js';

/**
 * The approximate indexes the embedding issue names, on the same vectors and queries as
 * `bench/vector-search.ts`: hnswlib-node (HNSW, in C++) and sqlite-vec (brute force inside SQLite, float
 * and int8), recall@10 against exact search and latency, which is how Arshif's own 4-bit scan was
 * chosen. They are not dependencies of the project: install them in a directory of their own and name
 * its `node_modules` with `--modules`:
 *
 *   mkdir -p /tmp/alternatives && cd /tmp/alternatives && npm init -y >/dev/null &&
 *     npm pkg set 'allowScripts.hnswlib-node=true' 'allowScripts.better-sqlite3=true' &&
 *     npm install hnswlib-node@3.0.0 sqlite-vec@0.1.9 better-sqlite3@12.11.1
 *   npm run bench:vector-alternatives -- .tmp/ant-vectors/articles.jsonl.gz \
 *     --queries .tmp/ant-vectors/known-item-queries.jsonl --modules /tmp/alternatives/node_modules
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    queries: { type: 'string' },
    modules: { type: 'string' },
    paragraphs: { type: 'string', default: '200' },
    seed: { type: 'string', default: '3' },
    m: { type: 'string', default: '16' },
    'ef-construction': { type: 'string', default: '100' },
  },
});
const [file] = positionals;
if (file === undefined || values.modules === undefined) {
  console.error(
    'usage: npm run bench:vector-alternatives -- ARTICLES-WITH-VECTORS --modules DIR/node_modules [--queries FILE]',
  );
  process.exit(2);
}
const load = createRequire(join(values.modules, 'noop.js'));
const K = 10;

const unit = (vector: ArrayLike<number>) => {
  const values = Float32Array.from(vector);
  const length = norm(values);
  return values.map((x) => x / length);
};
// Every vector, made unit length (every engine below then ranks by cosine).
const rows: Float32Array[] = [];
const articles: (Float32Array | null)[][] = [];
for await (const line of readArticleLines(file)) {
  if (!line.ok) continue;
  articles.push(line.article.vectors ?? line.article.paragraphs.map(() => null));
  for (const vector of line.article.vectors ?? []) if (vector) rows.push(unit(vector));
}
const dimensions = rows[0]!.length;
const queries: { name: string; vectors: Float32Array[] }[] = [];
if (values.queries !== undefined) {
  const lines = (await readFile(values.queries, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  const vectors = lines
    .map((line) => (JSON.parse(line) as { vector: number[] | null }).vector)
    .filter((vector): vector is number[] => vector !== null)
    .map(unit);
  queries.push({ name: `query vectors (${vectors.length})`, vectors });
}
// Drawn as bench/vector-search.ts draws them, so that the same seed gives the same paragraphs.
const random = seededRandom(Number(values.seed));
const sampled: Float32Array[] = [];
while (sampled.length < Number(values.paragraphs)) {
  const vectors = articles[Math.floor(random() * articles.length)]!;
  const vector = vectors[Math.floor(random() * vectors.length)];
  if (vector) sampled.push(unit(vector));
}
queries.push({ name: `paragraph vectors (${sampled.length})`, vectors: sampled });
console.log(`${rows.length} vectors of ${dimensions} dimensions`);

/** The exact k nearest rows of a query. */
function exact(query: Float32Array): Set<number> {
  const scored = rows.map((row, at) => [dot(row, 0, query, 0, dimensions), at] as const);
  return new Set(
    scored
      .sort((a, b) => b[0] - a[0])
      .slice(0, K)
      .map(([, at]) => at),
  );
}
const truths = queries.map(({ vectors }) => vectors.map(exact));

function measure(engine: string, search: (query: Float32Array) => number[]): void {
  queries.forEach(({ name, vectors }, set) => {
    const times: number[] = [];
    let found = 0;
    vectors.forEach((query, at) => {
      const started = performance.now();
      const ids = search(query);
      times.push(performance.now() - started);
      found += ids.filter((id) => truths[set]![at]!.has(id)).length;
    });
    console.log(
      `| ${name} | ${engine} | ${(found / (vectors.length * K)).toFixed(4)} | ${quantile(times, 0.5).toFixed(2)} | ${quantile(times, 0.99).toFixed(2)} |`,
    );
  });
}

console.log('| query set | index | recall@10 vs exact | p50 ms | p99 ms |');
console.log('| --- | --- | --- | --- | --- |');

// hnswlib-node: HNSW in C++, one thread (its addPoint takes plain arrays).
const { HierarchicalNSW } = load('hnswlib-node') as {
  HierarchicalNSW: new (
    space: string,
    dimensions: number,
  ) => {
    initIndex(max: number, m: number, efConstruction: number, seed: number): void;
    addPoint(point: number[], label: number): void;
    setEf(ef: number): void;
    searchKnn(query: number[], k: number): { neighbors: number[] };
  };
};
const m = Number(values.m);
const efConstruction = Number(values['ef-construction']);
const hnsw = new HierarchicalNSW('ip', dimensions);
hnsw.initIndex(rows.length, m, efConstruction, 100);
let started = performance.now();
rows.forEach((row, at) => hnsw.addPoint(Array.from(row), at));
const hnswBuild = (performance.now() - started) / 1000;
for (const ef of [100, 400, 1600]) {
  hnsw.setEf(ef);
  measure(
    `hnswlib-node M ${m}, efConstruction ${efConstruction}, ef ${ef}`,
    (query) => hnsw.searchKnn(Array.from(query), K).neighbors,
  );
}

// sqlite-vec: brute force in SQLite's vec0 virtual table.
const Database = load('better-sqlite3') as new (file: string) => {
  exec(sql: string): void;
  prepare(sql: string): { run(...args: unknown[]): void; all(...args: unknown[]): { rowid: number }[] };
  transaction(body: () => void): () => void;
};
const sqliteVec = load('sqlite-vec') as { load(db: unknown): void };
const sqliteBuild: string[] = [];
for (const [kind, column, convert] of [
  ['float', `float[${dimensions}]`, '?'],
  ['int8', `int8[${dimensions}]`, "vec_quantize_int8(?, 'unit')"],
] as const) {
  const db = new Database(':memory:');
  sqliteVec.load(db);
  db.exec(`CREATE VIRTUAL TABLE v USING vec0(e ${column} distance_metric=cosine)`);
  const insert = db.prepare(`INSERT INTO v (rowid, e) VALUES (?, ${convert})`);
  started = performance.now();
  db.transaction(() => rows.forEach((row, at) => insert.run(BigInt(at), Buffer.from(row.buffer))))();
  sqliteBuild.push(`${kind} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const knn = db.prepare(`SELECT rowid FROM v WHERE e MATCH ${convert} AND k = ${K}`);
  measure(`sqlite-vec ${kind} (brute force)`, (query) =>
    knn.all(Buffer.from(query.buffer)).map((row) => Number(row.rowid)),
  );
}
console.log();
console.log(
  `build: hnswlib-node ${hnswBuild.toFixed(1)} s (one thread); sqlite-vec ${sqliteBuild.join(', ')}`,
);
