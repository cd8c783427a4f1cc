/**
 * In-process search latency of the MaxScore top-k scorer against exhaustive scoring on an archive
 * directory, in the same run, plus a check that both rank identically.
 *
 *   npm run bench:scorer-speed -- --index DIR [--rounds 3] [--every 100]
 *
 * Queries are two or three words of every Nth article title, as people type them. Each round runs all
 * queries on one archive then the other; prints per-round p50/p99, the medians and their ratio.
 */
import { parseArgs } from 'node:util';
import { quantile } from '../src/evaluation/metrics.js';
import { titleQueries } from './lib/title-queries.js';
import { PersistentArchive } from '../src/archive/persistent-archive.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    every: { type: 'string', default: '100' },
  },
});
if (values.index === undefined) {
  console.error('usage: npm run bench:scorer-speed -- --index DIR [--rounds 3] [--every 100]');
  process.exit(2);
}

const archives = {
  MaxScore: await PersistentArchive.open(values.index, { readonly: true, scoring: 'max-score' }),
  exhaustive: await PersistentArchive.open(values.index, { readonly: true, scoring: 'exhaustive' }),
};
const queries = titleQueries(
  [...archives.MaxScore.archive.all()].map((article) => article.title),
  Number(values.every),
);

let differences = 0;
for (const query of queries) {
  const [a, b] = Object.values(archives).map((archive) =>
    JSON.stringify(archive.search(query, { limit: 100 }).hits.map((hit) => [hit.id, hit.para, hit.score])),
  );
  if (a !== b) differences += 1;
}
console.log(`${queries.length} queries; rankings differ on ${differences}`);

const rows = new Map<string, { p50: number[]; p99: number[] }>();
for (let round = 1; round <= Number(values.rounds); round += 1) {
  for (const [name, archive] of Object.entries(archives)) {
    const ms = queries.map((query) => {
      const started = performance.now();
      archive.search(query);
      return performance.now() - started;
    });
    const row = rows.get(name) ?? { p50: [], p99: [] };
    row.p50.push(quantile(ms, 0.5));
    row.p99.push(quantile(ms, 0.99));
    rows.set(name, row);
    console.log(
      `round ${round} ${name}: p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms`,
    );
  }
}
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const [fast, reference] = [...rows.values()].map((row) => ({ p50: median(row.p50), p99: median(row.p99) }));
console.log(
  `median p50/p99: MaxScore ${fast!.p50.toFixed(1)}/${fast!.p99.toFixed(1)} ms, exhaustive ${reference!.p50.toFixed(1)}/${reference!.p99.toFixed(1)} ms: ×${(reference!.p50 / fast!.p50).toFixed(1)} faster at p50, ×${(reference!.p99 / fast!.p99).toFixed(1)} at p99`,
);
for (const archive of Object.values(archives)) await archive.close();
