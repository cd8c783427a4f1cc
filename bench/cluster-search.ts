/**
 * Search through a sharded cluster against one node holding the same archive: three `serve --store`
 * processes holding a third of the shards each, and a fourth holding all of them, on loopback.
 *
 *   npm run bench:cluster-search -- --store postgres://… [--load] [--input FILE] [--queries FILE]
 *     [--count 1000] [--rounds 3] [--profile DIR]
 *
 * - `--load`: first empties the store and loads `--input` into it (as `index --store` does).
 * - `--queries`: JSON Lines with a `query` field (`npm run tool:known-item-queries` makes them).
 * - Each query goes to the single node and to the cluster (through its first node) in turn, one at a
 *   time: `GET /search` as the service answers by default (10 hits, copies collapsed, highlights).
 *   Client-side latency after a round that warms both up; p50 and p99 per round, and their medians over
 *   the rounds; and how many
 *   answers differ (ids and scores of the hits: there should be none).
 * - Every process answers searches in its main thread (`ARSHIF_SEARCH_THREADS=0`): four processes share
 *   two cores, so neither side has threads the other lacks.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadArticleFiles, storeSink } from '../src/archive/load-articles.js';
import { quantile } from '../src/evaluation/metrics.js';
import { startServeChild } from './lib/serve-child.js';
import { PostgresStore } from '../src/storage/postgres-store.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    input: { type: 'string', default: '../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz' },
    queries: { type: 'string', default: '.tmp/known-item.jsonl' },
    count: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '3' },
    load: { type: 'boolean', default: false },
    /** Write a CPU profile of each cluster node (Node's `--cpu-prof`) into this folder. */
    profile: { type: 'string' },
  },
});
if (values.store === undefined) {
  process.stderr.write(
    'usage: npm run bench:cluster-search -- --store postgres://… [--load] [--queries FILE]\n',
  );
  process.exit(2);
}
const url = values.store;
const log = (line: string) => process.stderr.write(`${line}\n`);

if (values.load) {
  // Connected first: a new database gets its tables.
  const store = await PostgresStore.connect(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('TRUNCATE arshif_articles, arshif_changes, arshif_nodes');
  await client.end();
  await loadArticleFiles(await storeSink(store), [values.input]);
  log(`loaded the store: ${await store.count()} articles`);
  await store.close();
}

const queries = (await readFile(values.queries, 'utf8'))
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => (JSON.parse(line) as { query: string }).query)
  .slice(0, Number(values.count));

/** A `serve --store` process of these shards, ready once its health answers. */
function startNode(directory: string, shards: string, profile?: string) {
  return startServeChild(
    ['--store', url, '--index', directory, '--shards', shards],
    { ARSHIF_LOG_LEVEL: 'silent', ARSHIF_SEARCH_THREADS: '0' },
    {
      nodeArgs: profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profile],
      log: (line) => log(`node of shards ${shards}: ${line}`),
    },
  );
}

const scratch = await mkdtemp(join(tmpdir(), 'arshif-cluster-search-'));
const children: ChildProcess[] = [];
try {
  // One at a time: bootstraps compete for two cores otherwise.
  const cluster: { base: string; child: ChildProcess }[] = [];
  for (const [at, shards] of ['0-85', '86-170', '171-255'].entries()) {
    const node = await startNode(join(scratch, `shard-node-${at}`), shards, values.profile);
    children.push(node.child);
    cluster.push(node);
  }
  const single = await startNode(join(scratch, 'single'), 'all');
  children.push(single.child);
  // Every node learns of the others at its next heartbeat.
  await new Promise((resolve) => setTimeout(resolve, 15_000));

  const search = async (base: string, query: string) => {
    const started = performance.now();
    const response = await fetch(`${base}/search?q=${encodeURIComponent(query)}`);
    const body = (await response.json()) as {
      hits?: { id: string; para: number; score: number }[];
      partial?: true;
      timedOut?: true;
    };
    if (!response.ok) throw new Error(`${base}: ${response.status} ${JSON.stringify(body).slice(0, 200)}`);
    return {
      ms: performance.now() - started,
      timedOut: body.timedOut === true,
      hits: (body.hits ?? []).map((hit) => `${hit.id}#${hit.para} ${hit.score.toFixed(9)}`).join(','),
    };
  };
  // A round to warm up both, not counted: the first searches compile and load what later ones reuse.
  for (const query of queries) {
    await search(single.base, query);
    await search(cluster[0]!.base, query);
  }
  /** CPU time a process has used so far, in ms (Linux: `/proc/PID/stat`, user and system). */
  const cpuMs = async (child: ChildProcess) => {
    const fields = (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  };
  const cpuOf = async () => ({
    single: await cpuMs(single.child),
    cluster: (await Promise.all(cluster.map((node) => cpuMs(node.child)))).reduce((a, b) => a + b, 0),
  });
  // What the processes spend idle (following the store's log, heartbeats), a second at a time.
  const idleBefore = await cpuOf();
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const idleAfter = await cpuOf();
  log(
    `idle CPU a second: single ${((idleAfter.single - idleBefore.single) / 5).toFixed(1)} ms, cluster ${((idleAfter.cluster - idleBefore.cluster) / 5).toFixed(1)} ms`,
  );
  const rounds: {
    single: [number, number];
    cluster: [number, number];
    differ: number;
    timedOut: number;
    cpu: { single: number; cluster: number };
  }[] = [];
  for (let round = 0; round < Number(values.rounds); round += 1) {
    const times = { single: [] as number[], cluster: [] as number[] };
    const cpuBefore = await cpuOf();
    const perNodeBefore = await Promise.all(cluster.map((node) => cpuMs(node.child)));
    log(`CPU per node so far: ${perNodeBefore.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} s`);
    let differ = 0;
    let timedOut = 0;
    for (const [at, query] of queries.entries()) {
      // Alternate which goes first, so neither always finds the store's pages warm.
      const order = at % 2 === 0 ? (['single', 'cluster'] as const) : (['cluster', 'single'] as const);
      const answers: Record<string, string> = {};
      for (const side of order) {
        const {
          ms,
          hits,
          timedOut: cut,
        } = await search(side === 'single' ? single.base : cluster[0]!.base, query);
        // A search cut short by the service's time limit is not compared.
        if (cut) timedOut += 1;
        times[side].push(ms);
        answers[side] = cut ? 'timed out' : hits;
      }
      const compared = !Object.values(answers).includes('timed out');
      if (compared && answers.single !== answers.cluster) differ += 1;
    }
    const figures = (list: number[]): [number, number] => {
      const sorted = [...list].sort((a, b) => a - b);
      return [quantile(sorted, 0.5), quantile(sorted, 0.99)];
    };
    const cpuAfter = await cpuOf();
    const perNode = await Promise.all(cluster.map((node) => cpuMs(node.child)));
    log(`CPU per node so far: ${perNode.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} s`);
    // The processes' CPU time a query costs: on two cores, four processes wait for each other's.
    const cpu = {
      single: (cpuAfter.single - cpuBefore.single) / queries.length,
      cluster: (cpuAfter.cluster - cpuBefore.cluster) / queries.length,
    };
    rounds.push({ single: figures(times.single), cluster: figures(times.cluster), differ, timedOut, cpu });
    const last = rounds.at(-1)!;
    log(
      `round ${round + 1}: single p50/p99 ${last.single.map((ms) => ms.toFixed(2)).join(' / ')} ms; cluster ${last.cluster.map((ms) => ms.toFixed(2)).join(' / ')} ms; CPU a query ${cpu.single.toFixed(2)} / ${cpu.cluster.toFixed(2)} ms; answers differing ${differ} of ${queries.length}; timed out ${timedOut}`,
    );
  }
  const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  const p99Single = median(rounds.map((round) => round.single[1]));
  const p99Cluster = median(rounds.map((round) => round.cluster[1]));
  console.log(
    JSON.stringify({
      queries: queries.length,
      rounds: rounds.length,
      singleP50Ms: median(rounds.map((round) => round.single[0])),
      singleP99Ms: p99Single,
      clusterP50Ms: median(rounds.map((round) => round.cluster[0])),
      clusterP99Ms: p99Cluster,
      p99Ratio: p99Cluster / p99Single,
      singleCpuMsPerQuery: median(rounds.map((round) => round.cpu.single)),
      clusterCpuMsPerQuery: median(rounds.map((round) => round.cpu.cluster)),
      answersDiffering: rounds.map((round) => round.differ),
      timedOut: rounds.map((round) => round.timedOut),
    }),
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await rm(scratch, { recursive: true, force: true });
}
