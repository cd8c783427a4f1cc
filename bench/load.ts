/**
 * Mixed load against `serve`: what a newsroom's users and a hostile client send at once, while writes
 * stream in. A script that prints figures, not a test.
 *
 *   npm run bench:load -- --index DIR --input FILE [--duration 60] [--connections 50] [--writes-per-s 20]
 *
 * - Serves a copy of DIR (never changed) on loopback with a write token.
 * - One autocannon per kind of query, the connections shared among them, for `duration` seconds: common
 *   words, rare words (from titles), phrases, misspellings, filters, `sort=date`, and pathological ones
 *   (1,000 characters of common words, as words, required words or one phrase; hundreds of numbers).
 * - Meanwhile articles of FILE are posted under new ids at `writes-per-s`.
 * - Prints requests/s and p50/p99 by kind, every status other than 200, and then checks that every
 *   acknowledged write is there (`GET /articles/:id`).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Article } from '../src/article/article.js';
import { readArticleLines } from '../src/article/read-articles.js';
import { startServeChild } from './lib/serve-child.js';
import { titleQueries } from './lib/title-queries.js';
import { streamWrites } from './lib/write-stream.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    input: { type: 'string' },
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '50' },
    'writes-per-s': { type: 'string', default: '20' },
  },
});
if (values.index === undefined || values.input === undefined) {
  console.error('usage: npm run bench:load -- --index DIR --input FILE [options]');
  process.exit(2);
}
const duration = Number(values.duration);

const articles: Article[] = [];
for await (const line of readArticleLines(values.input)) if (line.ok) articles.push(line.article);
const titles = articles.map((article) => article.title).filter((title) => title !== '');
const rare = titleQueries(titles, Math.max(1, Math.floor(titles.length / 300)));
const wordCounts = new Map<string, number>();
for (const article of articles.slice(0, 3000)) {
  for (const word of article.paragraphs.join(' ').split(/\s+/u)) {
    if (word.length >= 3) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  }
}
const commonest = [...wordCounts].sort((a, b) => b[1] - a[1]).map(([word]) => word);
/** One letter of a word replaced by the next in the alphabet: what a hurried typist sends. */
const misspelt = (word: string) => {
  const at = Math.floor(word.length / 2);
  return word.slice(0, at) + String.fromCharCode(word.charCodeAt(at) + 1) + word.slice(at + 1);
};
const sources = [...new Set(articles.map((article) => article.source).filter((s) => s !== undefined))];
const upTo = (words: readonly string[], length: number) => {
  let text = '';
  for (const word of words) {
    if (text.length + word.length + 1 > length) break;
    text = text === '' ? word : `${text} ${word}`;
  }
  return text;
};

const KINDS: Record<string, { share: number; queries: Record<string, string>[] }> = {
  common: { share: 4, queries: commonest.slice(0, 50).map((q) => ({ q })) },
  rare: { share: 8, queries: rare.map((q) => ({ q })) },
  phrase: { share: 3, queries: rare.map((q) => ({ q: `"${q}"` })) },
  misspelt: { share: 3, queries: rare.map((q) => ({ q: q.split(' ').map(misspelt).join(' ') })) },
  filtered: {
    share: 3,
    queries: rare.map((q, at) => ({ q, source: sources[at % sources.length]!, from: '2017-01-01' })),
  },
  'sort=date': { share: 3, queries: rare.map((q) => ({ q, sort: 'date' })) },
  pathological: {
    share: 1,
    queries: [
      { q: upTo(commonest, 1000) },
      { q: upTo(commonest, 1000), sort: 'date' },
      // Required words and phrases are never dropped for being many: the time limit bounds them.
      {
        q: upTo(
          commonest.map((word) => `+${word}`),
          1000,
        ),
      },
      { q: `"${upTo(commonest, 998)}"`, sort: 'date' },
      {
        q: upTo(
          Array.from({ length: 400 }, (_, n) => String(n)),
          1000,
        ),
      },
    ],
  },
};

const directory = mkdtempSync(join(tmpdir(), 'arshif-load-'));
cpSync(values.index, directory, { recursive: true });
const token = 'load-token';
const server = await startServeChild(['--index', directory], { ARSHIF_TOKEN: token });
try {
  // Writes under new ids, kept to be checked afterwards.
  const writes = streamWrites(server.base, token, Number(values['writes-per-s']), articles, 'load-');

  const shares = Object.values(KINDS).reduce((sum, kind) => sum + kind.share, 0);
  const runs = await Promise.all(
    Object.entries(KINDS).map(async ([name, kind]) => {
      let next = 0;
      const paths = kind.queries.map((query) => `/search?${new URLSearchParams({ limit: '10', ...query })}`);
      const result = await autocannon({
        url: server.base,
        connections: Math.max(1, Math.round((Number(values.connections) * kind.share) / shares)),
        duration,
        requests: [
          { method: 'GET', setupRequest: (request) => ({ ...request, path: paths[next++ % paths.length]! }) },
        ],
      });
      return { name, result };
    }),
  );
  const { sent, acknowledged, failed: failedWrites } = await writes.stop();

  console.log(`\n${values.connections} connections for ${duration} s, ${values['writes-per-s']} writes/s`);
  console.log('| kind | requests/s | p50 ms | p99 ms | non-2xx | errors |\n|---|---:|---:|---:|---:|---:|');
  for (const { name, result } of runs) {
    console.log(
      `| ${name} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${result.non2xx} | ${result.errors + result.timeouts} |`,
    );
  }
  const total = runs.reduce((sum, { result }) => sum + result.requests.average, 0);
  console.log(`| all | ${total.toFixed(0)} | | | | |`);

  let missing = 0;
  for (const id of acknowledged) {
    const response = await fetch(`${server.base}/articles/${id}`);
    if (response.status !== 200) missing += 1;
  }
  console.log(
    `writes: ${acknowledged.length} acknowledged of ${sent} sent, ${failedWrites} failed; ${missing} acknowledged missing afterwards`,
  );
} finally {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  rmSync(directory, { recursive: true, force: true });
}
