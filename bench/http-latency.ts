/**
 * Search latency over HTTP, as a ratio to `/health` measured in the same run (machines are noisy).
 *
 *   npm run bench:http-latency -- [--input FILE] [--index DIR] [--duration 10] [--connections 8] [--rounds 3]
 *
 * Starts `arshif serve --input FILE` (default corpus/), or `serve --index DIR` when an archive directory
 * is given (queries still come from FILE's titles), in a child process, builds queries from the
 * articles' titles (two or three words each, as people type them), then alternates autocannon runs
 * against `/health` and `/search` and prints the median p50/p99 of each and their ratio.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { readArticleLines } from '../src/article/read-articles.js';
import { startServeChild } from './lib/serve-child.js';
import { titleQueries } from './lib/title-queries.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: 'corpus/articles.jsonl' },
    index: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    queries: { type: 'string', default: '500' },
  },
});

/** About `count` queries from the titles of an article file. */
async function queriesOf(file: string, count: number): Promise<string[]> {
  const titles: string[] = [];
  for await (const line of readArticleLines(file))
    if (line.ok && line.article.title) titles.push(line.article.title);
  return titleQueries(titles, Math.max(1, Math.floor(titles.length / count))).slice(0, count);
}

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

const queries = await queriesOf(values.input!, Number(values.queries));
const { base, child } = await startServeChild(
  values.index === undefined ? ['--input', values.input!] : ['--index', values.index],
);

async function run(paths: string[]): Promise<{ p50: number; p99: number; rps: number }> {
  let next = 0;
  const result = await autocannon({
    url: base,
    connections: Number(values.connections),
    duration: Number(values.duration),
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average };
}

const searchPaths = queries.map((query) => `/search?${new URLSearchParams({ q: query, limit: '10' })}`);
const health: Awaited<ReturnType<typeof run>>[] = [];
const search: Awaited<ReturnType<typeof run>>[] = [];
try {
  for (let round = 0; round < Number(values.rounds); round += 1) {
    health.push(await run(['/health']));
    search.push(await run(searchPaths));
  }
} finally {
  child.kill('SIGTERM');
}
const row = (name: string, runs: typeof health) =>
  `| ${name} | ${median(runs.map((r) => r.p50))} | ${median(runs.map((r) => r.p99))} | ${Math.round(median(runs.map((r) => r.rps)))} |`;
console.log(
  `\n${queries.length} queries, ${values.connections} connections, ${values.rounds} rounds of ${values.duration} s, medians`,
);
console.log('| route | p50 ms | p99 ms | req/s |\n|---|---|---|---|');
console.log(row('/health', health));
console.log(row('/search', search));
const ratio = (pick: (r: (typeof health)[number]) => number) =>
  (median(search.map(pick)) / Math.max(1, median(health.map(pick)))).toFixed(1);
console.log(`search/health ratio: p50 ×${ratio((r) => r.p50)}, p99 ×${ratio((r) => r.p99)}`);
