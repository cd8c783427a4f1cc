/**
 * Searches as `serve` makes them, in process: an archive directory opened read-only (hits read back from its
 * store), a page of hits each, over a query file; no HTTP, so that two builds can be compared on the search
 * alone.
 *
 *   npm run bench:served-search -- --index DIR --queries FILE [--limit 10] [--passes 3]
 *
 * - `--queries`: an evaluation set's `queries.jsonl` (its `query` fields), such as the known items
 *   `npm run tool:known-item-queries` writes;
 * - one warm-up pass, then `passes` timed ones: p50 / p90 / p99 of each query's median, and the mean.
 *   Alternate runs of the two builds compared: this machine's speed drifts between runs.
 */
import { parseArgs } from 'node:util';
import { PersistentArchive } from '../src/archive/persistent-archive.js';
import { readQueries } from '../src/evaluation/evaluate.js';
import { quantile } from '../src/evaluation/metrics.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    queries: { type: 'string' },
    limit: { type: 'string', default: '10' },
    passes: { type: 'string', default: '3' },
  },
});
if (values.index === undefined || values.queries === undefined) {
  console.error('usage: npm run bench:served-search -- --index DIR --queries FILE [--limit 10] [--passes 3]');
  process.exit(2);
}

const limit = Number(values.limit);
const passes = Number(values.passes);
const queries = (await readQueries(values.queries)).map(({ query }) => query);
const archive = await PersistentArchive.open(values.index, { readonly: true });
try {
  for (const query of queries) await archive.search(query, { limit });
  const times = queries.map(() => [] as number[]);
  let total = 0;
  for (let pass = 0; pass < passes; pass += 1) {
    for (const [at, query] of queries.entries()) {
      const started = performance.now();
      await archive.search(query, { limit });
      const took = performance.now() - started;
      times[at]!.push(took);
      total += took;
    }
  }
  const medians = times.map((each) => [...each].sort((a, b) => a - b)[Math.floor(each.length / 2)]!);
  const ms = (p: number) => quantile(medians, p).toFixed(2);
  console.log(
    `${queries.length} queries, ${limit} hits, ${passes} passes: p50 ${ms(0.5)} p90 ${ms(0.9)} p99 ${ms(0.99)} ms, mean ${(total / passes / queries.length).toFixed(2)} ms`,
  );
} finally {
  await archive.close();
}
