/**
 * Latency of acknowledged writes over HTTP, as a ratio to `GET /health` measured in the same run.
 *
 *   npm run bench:write-latency -- --index DIR [--articles FILE] [--writes 500] [--rounds 3]
 *
 * Copies the archive DIR (it is never changed), serves the copy with a token, then in each round sends
 * `--writes` single-article POSTs one after another (new articles from FILE, default the Jawhara FM
 * corpus, which the ANT archive does not hold), each followed by a GET /health, and a last pass of
 * replacements of the same articles. Prints per round p50/p99 of each and the medians over rounds.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { quantile } from '../src/evaluation/metrics.js';
import type { Article } from '../src/article/article.js';
import { readArticleLines } from '../src/article/read-articles.js';
import { startServeChild } from './lib/serve-child.js';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    articles: { type: 'string', default: '../shared/data/ant-corpus-v1.1-jawharafm/articles.jsonl.gz' },
    writes: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
  },
});
if (values.index === undefined) {
  console.error(
    'usage: npm run bench:write-latency -- --index DIR [--articles FILE] [--writes 500] [--rounds 3]',
  );
  process.exit(2);
}
const TOKEN = 'bench-token';
const writes = Number(values.writes);
const rounds = Number(values.rounds);

const articles: Article[] = [];
for await (const line of readArticleLines(values.articles!)) {
  if (line.ok) articles.push({ ...line.article, id: `bench-${line.article.id}` });
  if (articles.length >= writes * rounds) break;
}

const copy = mkdtempSync(join(tmpdir(), 'arshif-write-bench-'));
cpSync(values.index, copy, { recursive: true });
const { base, child } = await startServeChild(['--index', copy], { ARSHIF_TOKEN: TOKEN });

async function timed(request: () => Promise<Response>): Promise<number> {
  const start = performance.now();
  const response = await request();
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return performance.now() - start;
}
const post = (article: Article) => () =>
  fetch(`${base}/articles`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(article),
  });
const health = () => fetch(`${base}/health`);

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const summary = (ms: number[]) => ({ p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) });
const rows: Record<'add' | 'replace' | 'health', { p50: number; p99: number }[]> = {
  add: [],
  replace: [],
  health: [],
};
try {
  for (let round = 0; round < rounds; round += 1) {
    const batch = articles.slice(round * writes, (round + 1) * writes);
    const add: number[] = [];
    const replace: number[] = [];
    const reference: number[] = [];
    for (const article of batch) {
      add.push(await timed(post(article)));
      reference.push(await timed(health));
    }
    for (const article of batch) {
      replace.push(await timed(post({ ...article, title: `${article.title} (تحديث)` })));
      reference.push(await timed(health));
    }
    rows.add.push(summary(add));
    rows.replace.push(summary(replace));
    rows.health.push(summary(reference));
    const line = (name: string, { p50, p99 }: { p50: number; p99: number }) =>
      `${name} p50 ${p50.toFixed(2)} ms p99 ${p99.toFixed(2)} ms`;
    console.log(
      `round ${round + 1}: ${line('add', rows.add.at(-1)!)}; ${line('replace', rows.replace.at(-1)!)}; ${line('/health', rows.health.at(-1)!)}`,
    );
  }
  const medianOf = (list: { p50: number; p99: number }[]) => ({
    p50: median(list.map((row) => row.p50)),
    p99: median(list.map((row) => row.p99)),
  });
  const medians = { add: medianOf(rows.add), replace: medianOf(rows.replace), health: medianOf(rows.health) };
  for (const name of ['add', 'replace', 'health'] as const) {
    const { p50, p99 } = medians[name];
    console.log(
      `median ${name.padEnd(8)} p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms  (×${(p50 / medians.health.p50).toFixed(1)} /health p50)`,
    );
  }
} finally {
  child.kill('SIGTERM');
  rmSync(copy, { recursive: true, force: true });
}
