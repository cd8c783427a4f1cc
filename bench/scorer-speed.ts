/**
 * Ranked top-k latency of the block-max MaxScore scorer against exhaustive scoring on an archive
 * directory, in the same run, engine only (as `npm run bench` ranks: parsed query in, scored
 * paragraphs out), plus a check that both rank identically.
 *
 *   npm run bench:scorer-speed -- --index DIR [--queries FILE] [--limit 100] [--rounds 3] [--every 100]
 *
 * Queries are those of `--queries` (JSON Lines with a `query`, e.g. the peers' pasted phrases), or two
 * or three words of every Nth article title, as people type them. One warm-up pass, then each round
 * runs all queries with one scorer then the other; prints per-round p50/p99, the medians and their ratio.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { quantile } from '../src/evaluation/metrics.js';
import { titleQueries } from './lib/title-queries.js';
import { PersistentArchive } from '../src/archive/persistent-archive.js';
import { parseQuery, SearchEngine } from '../src/search/engine.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    queries: { type: 'string' },
    limit: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '3' },
    every: { type: 'string', default: '100' },
  },
});
if (values.index === undefined) {
  console.error(
    'usage: npm run bench:scorer-speed -- --index DIR [--queries FILE] [--limit 100] [--rounds 3] [--every 100]',
  );
  process.exit(2);
}

const archive = await PersistentArchive.open(values.index, { readonly: true });
const queries =
  values.queries === undefined
    ? titleQueries(
        [...archive.archive.all()].map((article) => article.title),
        Number(values.every),
      )
    : readFileSync(values.queries, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => (JSON.parse(line) as { query: string }).query);
const limit = Number(values.limit);
const engines = {
  MaxScore: new SearchEngine({ scoring: 'max-score' }),
  exhaustive: new SearchEngine({ scoring: 'exhaustive' }),
};
for (const engine of Object.values(engines)) {
  for (const segment of archive.archive.engine.segments.compactSegments) engine.segments.addSegment(segment);
}
const rank = (engine: SearchEngine, query: string) =>
  engine.searcher.search(parseQuery(query.slice(0, 1000)), { count: limit });

let differences = 0;
for (const query of queries) {
  const [a, b] = Object.values(engines).map((engine) =>
    JSON.stringify(rank(engine, query).hits.map((hit) => [hit.articleId, hit.para, hit.score])),
  );
  if (a !== b) differences += 1;
}
console.log(`${queries.length} queries, top ${limit}; rankings differ on ${differences}`);

const rows = new Map<string, { p50: number[]; p99: number[] }>();
for (let round = 1; round <= Number(values.rounds); round += 1) {
  for (const [name, engine] of Object.entries(engines)) {
    const ms = queries.map((query) => {
      const started = performance.now();
      rank(engine, query);
      return performance.now() - started;
    });
    const row = rows.get(name) ?? { p50: [], p99: [] };
    row.p50.push(quantile(ms, 0.5));
    row.p99.push(quantile(ms, 0.99));
    rows.set(name, row);
    console.log(
      `round ${round} ${name}: p50 ${quantile(ms, 0.5).toFixed(2)} ms, p99 ${quantile(ms, 0.99).toFixed(2)} ms`,
    );
  }
}
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const [fast, reference] = [...rows.values()].map((row) => ({ p50: median(row.p50), p99: median(row.p99) }));
console.log(
  `median p50/p99: MaxScore ${fast!.p50.toFixed(2)}/${fast!.p99.toFixed(2)} ms, exhaustive ${reference!.p50.toFixed(2)}/${reference!.p99.toFixed(2)} ms: MaxScore ×${(fast!.p50 / reference!.p50).toFixed(2)} the time at p50, ×${(fast!.p99 / reference!.p99).toFixed(2)} at p99`,
);
await archive.close();
