/**
 * `/search` throughput over HTTP against what one core answers in process, on the same queries, and
 * search latency while writes stream in.
 *
 *   npm run bench:http-throughput -- --index DIR --input FILE [--duration 10] [--connections 8]
 *     [--rounds 3] [--writes-per-s 100] [--search-rate 100]
 *
 * - In process: the archive of DIR opened read-only here, the queries answered one after another (whole
 *   hits, limit 10), in queries per second.
 * - Over HTTP: `serve` on a copy of DIR, once with every search in the main thread
 *   (`ARSHIF_SEARCH_THREADS=0`) and once with the default search threads; autocannon with
 *   `connections` connections, rounds alternating between the two servers and the in-process run.
 * - Under writes: a third server, with the default search threads, while another client posts `writes-per-s` articles a second
 *   (articles of FILE under new ids, one per request), search p50/p99 against the same run without —
 *   searched as fast as the connections can ask (the CPU saturated, so any other work shows), and at
 *   `search-rate` searches a second (a service with room to spare, as it is run).
 * - Queries: two or three words of titles of FILE, as in `http-latency.ts`. Medians of the rounds.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Article } from '../src/article/article.js';
import { PersistentArchive } from '../src/archive/persistent-archive.js';
import { readArticleLines } from '../src/article/read-articles.js';
import { startServeChild } from './lib/serve-child.js';
import { titleQueries } from './lib/title-queries.js';
import { streamWrites } from './lib/write-stream.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    input: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    queries: { type: 'string', default: '500' },
    'writes-per-s': { type: 'string', default: '100' },
    'search-rate': { type: 'string', default: '100' },
  },
});
if (values.index === undefined || values.input === undefined) {
  console.error('usage: npm run bench:http-throughput -- --index DIR --input FILE [options]');
  process.exit(2);
}
const duration = Number(values.duration);
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

const articles: Article[] = [];
for await (const line of readArticleLines(values.input)) if (line.ok) articles.push(line.article);
const titles = articles.map((article) => article.title).filter((title) => title !== '');
const queries = titleQueries(titles, Math.max(1, Math.floor(titles.length / Number(values.queries)))).slice(
  0,
  Number(values.queries),
);

/** Queries per second one core answers in process, the queries asked one after another for `duration`. */
async function inProcess(): Promise<number> {
  const archive = await PersistentArchive.open(values.index!, { readonly: true });
  try {
    for (const query of queries) archive.search(query, { limit: 10 });
    let answered = 0;
    const started = performance.now();
    while (performance.now() - started < duration * 1000) {
      archive.search(queries[answered % queries.length]!, { limit: 10 });
      answered += 1;
    }
    return answered / ((performance.now() - started) / 1000);
  } finally {
    await archive.close();
  }
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
}

/** Searches as fast as `connections` clients can ask, or at `rate` a second. */
async function load(base: string, rate?: number): Promise<Run> {
  let next = 0;
  const paths = queries.map((query) => `/search?${new URLSearchParams({ q: query, limit: '10' })}`);
  const result = await autocannon({
    url: base,
    connections: Number(values.connections),
    ...(rate === undefined ? {} : { overallRate: rate }),
    duration,
    requests: [
      { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const token = 'bench-token';
const copies = [0, 1, 2].map(() => {
  const directory = mkdtempSync(join(tmpdir(), 'arshif-throughput-'));
  cpSync(values.index!, directory, { recursive: true });
  return directory;
});
const servers = {
  oneThread: await startServeChild(['--index', copies[0]!], { ARSHIF_SEARCH_THREADS: '0' }),
  replicas: await startServeChild(['--index', copies[1]!]),
  // Writes go to a server of their own: the seals and merges they cause must not weigh on the others.
  written: await startServeChild(['--index', copies[2]!], { ARSHIF_TOKEN: token }),
};
const runs = {
  inProcess: [] as number[],
  oneThread: [] as Run[],
  replicas: [] as Run[],
  writes: [] as Run[],
  atRate: [] as Run[],
  atRateWrites: [] as Run[],
};
const rate = Number(values['search-rate']);
const writeCounts: Awaited<ReturnType<ReturnType<typeof streamWrites>['stop']>>[] = [];
try {
  for (let round = 0; round < Number(values.rounds); round += 1) {
    runs.inProcess.push(await inProcess());
    runs.oneThread.push(await load(servers.oneThread.base));
    runs.replicas.push(await load(servers.replicas.base));
    runs.atRate.push(await load(servers.replicas.base, rate));
    let writes = streamWrites(
      servers.written.base,
      token,
      Number(values['writes-per-s']),
      articles,
      'bench-write-',
    );
    runs.writes.push(await load(servers.written.base));
    writeCounts.push(await writes.stop());
    writes = streamWrites(
      servers.written.base,
      token,
      Number(values['writes-per-s']),
      articles,
      'bench-write-',
    );
    runs.atRateWrites.push(await load(servers.written.base, rate));
    writeCounts.push(await writes.stop());
  }
} finally {
  for (const { child } of Object.values(servers)) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const directory of copies) rmSync(directory, { recursive: true, force: true });
}

const base = median(runs.inProcess);
const row = (name: string, list: Run[]) => {
  const rps = median(list.map((run) => run.rps));
  return `| ${name} | ${Math.round(rps)} | ×${(rps / base).toFixed(2)} | ${median(list.map((run) => run.p50))} | ${median(list.map((run) => run.p99))} |`;
};
console.log(
  `\n${queries.length} title queries, limit 10, ${values.connections} connections, ${values.rounds} rounds of ${duration} s, medians`,
);
console.log('| | queries/s | × in process | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|');
console.log(`| in process, one core | ${Math.round(base)} | ×1.00 | | |`);
console.log(row('HTTP, searches in the main thread', runs.oneThread));
console.log(row('HTTP, search threads (default)', runs.replicas));
console.log(row(`HTTP, search threads, ${values['writes-per-s']} writes/s`, runs.writes));
console.log(
  `writes: ${writeCounts.map(({ sent, acknowledged, failed }) => `${acknowledged.length}/${sent} acknowledged, ${failed} failed`).join('; ')}`,
);
console.log(row(`HTTP, search threads, ${rate} searches/s`, runs.atRate));
console.log(
  row(`HTTP, search threads, ${rate} searches/s, ${values['writes-per-s']} writes/s`, runs.atRateWrites),
);
const p99Ratio = (under: Run[], idle: Run[]) =>
  (median(under.map((r) => r.p99)) / median(idle.map((r) => r.p99))).toFixed(2);
console.log(
  `search p99 under writes ÷ without: ×${p99Ratio(runs.writes, runs.replicas)} as fast as asked, ×${p99Ratio(runs.atRateWrites, runs.atRate)} at ${rate} searches/s`,
);
