/**
 * The engine at archive scale, side by side with Lucene: build time, query latency, memory, cold start.
 *
 *   npm run bench -- [--dataset DIR] [--rounds 3] [--json] [--minisearch]
 *
 * - Build: the articles, already in memory, indexed in process (both cores), median of `rounds`.
 * - Queries: the dataset's `queries.jsonl`, or the 1,000 synthetic pasted-phrase queries that
 *   ../shared/peers makes for a corpus without them (made here with its script when absent), top 100
 *   each as `eval` asks; and two or three words of every title (every 60th article), top 10 as `/search`
 *   answers by default. One warm-up pass, then `rounds` timed passes: medians of p50 and p99.
 * - Memory: resident set and heap after the build and a forced GC (run with --expose-gc for the GC).
 * - Cold start: the archive saved to a directory, then opened in a fresh process, median of `rounds`.
 * - Lucene: the figures of ../shared/peers/results/<dataset>/lucene.json when present (run
 *   `../shared/peers/run.sh DIR lucene` just before, so both come from the same machine state).
 * - `--minisearch`: also MiniSearch with its defaults on the same paragraphs (slow: minutes on ANT).
 * - `--repeat N`: the corpus N times under new ids (ANT × 8 is 2.1 million paragraphs).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import MiniSearch from 'minisearch';
import { quantile } from '../src/evaluation/metrics.js';
import { readQueries } from '../src/evaluation/evaluate.js';
import { Archive } from '../src/archive/archive.js';
import type { Article } from '../src/article/article.js';
import { PersistentArchive } from '../src/archive/persistent-archive.js';
import { readArticleLines } from '../src/article/read-articles.js';
import { parseQuery } from '../src/search/engine.js';
import { SearchEngine } from '../src/search/engine.js';
import { titleQueries } from './lib/title-queries.js';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: '../shared/data/ant-corpus-v2.1-multisource' },
    rounds: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
    minisearch: { type: 'boolean', default: false },
    // The corpus this many times over, under new ids: an archive larger than the data at hand.
    repeat: { type: 'string', default: '1' },
    // Internal: open this archive directory once and print how it went as JSON.
    'open-once': { type: 'string' },
  },
});

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

if (values['open-once'] !== undefined) {
  const started = performance.now();
  const archive = await PersistentArchive.open(values['open-once'], { readonly: true });
  const ms = performance.now() - started;
  archive.search('الحكومة');
  gc();
  process.stdout.write(
    `${JSON.stringify({ ms, from: archive.opened.from, rssMb: process.memoryUsage().rss / 1e6 })}\n`,
  );
  process.exit(0);
}

const dataset = resolve(values.dataset);
const rounds = Number(values.rounds);
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;
const log = (line: string) => process.stderr.write(`${line}\n`);

const articleFile = ['articles.jsonl', 'articles.jsonl.gz']
  .map((name) => join(dataset, name))
  .find((file) => existsSync(file));
if (articleFile === undefined) throw new Error(`no articles.jsonl(.gz) in ${dataset}`);
const articles: Article[] = [];
for await (const line of readArticleLines(articleFile)) if (line.ok) articles.push(line.article);
const originals = articles.length;
for (let copy = 1; copy < Number(values.repeat); copy += 1) {
  for (const article of articles.slice(0, originals))
    articles.push({ ...article, id: `${article.id}~${copy}` });
}
const paragraphCount = articles.reduce((sum, article) => sum + article.paragraphs.length, 0);
log(`${basename(dataset)}: ${articles.length} articles, ${paragraphCount} paragraphs`);

/** The dataset's queries, or the peers' synthetic ones (made with their script when absent). */
async function pastedQueries(): Promise<string[]> {
  const own = join(dataset, 'queries.jsonl');
  if (existsSync(own)) return (await readQueries(own)).map((query) => query.query);
  const peers = resolve('../shared/peers');
  const synthetic = join(peers, '.work', basename(dataset), 'synthetic-queries.jsonl');
  if (!existsSync(synthetic)) {
    const made = join(mkdtempSync(join(tmpdir(), 'arshif-bench-')), 'synthetic-queries.jsonl');
    execFileSync(process.execPath, [join(peers, 'lib', 'synth-queries.mjs'), dataset, made, '1000']);
    return (await readQueries(made)).map((query) => query.query);
  }
  return (await readQueries(synthetic)).map((query) => query.query);
}
const querySets = {
  pasted: { queries: await pastedQueries(), limit: 100 },
  titles: {
    queries: titleQueries(
      articles.map((article) => article.title),
      60,
    ),
    limit: 10,
  },
};

// Build, `rounds` times; the last archive is kept for the queries.
const buildMs: number[] = [];
let archive = new Archive();
for (let round = 0; round < rounds; round += 1) {
  archive = new Archive();
  gc();
  const started = performance.now();
  await archive.putAll(articles);
  buildMs.push(performance.now() - started);
  log(`build ${round + 1}: ${(buildMs.at(-1)! / 1000).toFixed(2)} s`);
}
gc();
const memory = process.memoryUsage();
interface Latency {
  queries: number;
  p50Ms: number;
  p99Ms: number;
}
type QuerySet = keyof typeof querySets;

/** p50 and p99 of each query set: one warm-up pass, then `rounds` timed passes, medians. */
function latency(search: (query: string, limit: number) => unknown): Record<QuerySet, Latency> {
  const measure = ({ queries, limit }: { queries: string[]; limit: number }): Latency => {
    for (const query of queries) search(query, limit);
    const p50: number[] = [];
    const p99: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const ms = queries.map((query) => {
        const started = performance.now();
        search(query, limit);
        return performance.now() - started;
      });
      p50.push(quantile(ms, 0.5));
      p99.push(quantile(ms, 0.99));
    }
    return { queries: queries.length, p50Ms: median(p50), p99Ms: median(p99) };
  };
  return { pasted: measure(querySets.pasted), titles: measure(querySets.titles) };
}
// Ranked paragraphs with scores, as Lucene's runner answers; then whole hits with highlights and snippets.
const engine = new SearchEngine();
for (const segment of archive.engine.segments.compactSegments) engine.segments.addSegment(segment);
const rankedLatency = latency((query, limit) =>
  engine.searcher.search(parseQuery(query.slice(0, 1000)), { count: limit }),
);
log(`ranked: ${JSON.stringify(rankedLatency)}`);
const hitsLatency = latency((query, limit) => archive.search(query.slice(0, 1000), { limit }));
log(`hits: ${JSON.stringify(hitsLatency)}`);

// Cold start: save once, open in fresh processes.
const directory = mkdtempSync(join(tmpdir(), 'arshif-bench-archive-'));
const persistent = await PersistentArchive.open(directory, { autoSave: false });
await persistent.putAll(articles);
await persistent.save();
await persistent.close();
const starts = Array.from({ length: rounds }, () => {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'bench/engine.ts', '--open-once', directory],
    { encoding: 'utf8' },
  );
  return JSON.parse(output) as { ms: number; rssMb: number };
});
const onDisk = execFileSync('du', ['-sb', directory], { encoding: 'utf8' }).split('\t')[0];
rmSync(directory, { recursive: true, force: true });

const paragraphs = archive.stats().paragraphs;
const arshif = {
  buildMs: median(buildMs),
  paragraphsPerS: Math.round(paragraphs / (median(buildMs) / 1000)),
  ranked: rankedLatency,
  hits: hitsLatency,
  rssMb: memory.rss / 1e6,
  heapMb: (memory.heapUsed + memory.external + memory.arrayBuffers) / 1e6,
  rssMbPerMillionParagraphs: (memory.rss / 1e6) * (1e6 / paragraphs),
  coldStartMs: median(starts.map((start) => start.ms)),
  coldStartRssMb: median(starts.map((start) => start.rssMb)),
  archiveBytes: Number(onDisk),
};

let minisearch: Record<string, unknown> | undefined;
if (values.minisearch) {
  archive = new Archive();
  gc();
  const index = new MiniSearch({ fields: ['text'], searchOptions: { combineWith: 'OR' } });
  const started = performance.now();
  let id = 0;
  for (const article of articles) for (const text of article.paragraphs) index.add({ id: id++, text });
  const ms = performance.now() - started;
  gc();
  minisearch = {
    buildMs: ms,
    latency: latency((query, limit) => index.search(query).slice(0, limit)),
    rssMb: process.memoryUsage().rss / 1e6,
  };
}

const luceneFile = resolve('../shared/peers/results', basename(dataset), 'lucene.json');
const lucene = existsSync(luceneFile)
  ? (JSON.parse(readFileSync(luceneFile, 'utf8')) as {
      build_ms: number;
      latency: { p50_ms: number; p99_ms: number };
      memory: { process_peak_rss_mb: number };
      finished_at: string;
    })
  : undefined;

const result = {
  dataset: basename(dataset),
  paragraphs,
  arshif,
  minisearch,
  lucene: lucene && {
    buildMs: lucene.build_ms,
    pastedP50Ms: lucene.latency.p50_ms,
    pastedP99Ms: lucene.latency.p99_ms,
    peakRssMb: lucene.memory.process_peak_rss_mb,
    measuredAt: lucene.finished_at,
  },
};
if (values.json) {
  console.log(JSON.stringify(result));
} else {
  const fixed = (value: number | undefined, digits = 1) =>
    value === undefined ? '–' : value.toFixed(digits);
  const ratio = (ours: number, theirs: number | undefined) =>
    theirs === undefined ? '' : ` (×${(ours / theirs).toFixed(2)})`;
  const pair = ({ p50Ms, p99Ms }: Latency) => `${fixed(p50Ms, 2)} / ${fixed(p99Ms, 2)} ms`;
  const rows = [
    [
      'build (in process, both cores)',
      `${fixed(arshif.buildMs / 1000, 2)} s, ${arshif.paragraphsPerS} paragraphs/s${ratio(arshif.buildMs, lucene?.build_ms)}`,
      lucene ? `${fixed(lucene.build_ms / 1000, 2)} s` : '–',
    ],
    [
      `${arshif.ranked.pasted.queries} pasted phrases, top 100 ranked: p50 / p99`,
      `${pair(arshif.ranked.pasted)}${ratio(arshif.ranked.pasted.p50Ms, lucene?.latency.p50_ms)}`,
      lucene ? `${fixed(lucene.latency.p50_ms, 2)} / ${fixed(lucene.latency.p99_ms, 2)} ms` : '–',
    ],
    ['the same, 100 whole hits (highlights, snippets)', pair(arshif.hits.pasted), '–'],
    [`${arshif.ranked.titles.queries} title queries, top 10 ranked`, pair(arshif.ranked.titles), '–'],
    ['the same, 10 whole hits', pair(arshif.hits.titles), '–'],
    [
      'resident memory after build (GC)',
      `${fixed(arshif.rssMb, 0)} MB, ${fixed(arshif.rssMbPerMillionParagraphs, 0)} MB per million paragraphs`,
      lucene ? `${fixed(lucene.memory.process_peak_rss_mb, 0)} MB peak` : '–',
    ],
    [
      'cold start from disk',
      `${fixed(arshif.coldStartMs, 0)} ms, ${fixed(arshif.coldStartRssMb, 0)} MB`,
      '–',
    ],
    ['archive on disk (store + segments)', `${fixed(arshif.archiveBytes / 1e6, 0)} MB`, '–'],
  ];
  if (minisearch) {
    rows.push([
      'MiniSearch defaults: build; pasted p50/p99',
      `${fixed((minisearch.buildMs as number) / 1000, 1)} s; ${JSON.stringify(minisearch.pasted)}`,
      '',
    ]);
  }
  console.log(`${result.dataset}, ${paragraphs} paragraphs (medians of ${rounds})\n`);
  console.log('| | Arshif | Lucene 8.8 |\n|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}
