/**
 * Cluster mode's figures: a node's bootstrap from the PostgreSQL store against `index --out` of the same
 * articles, a node's restart, and commit-to-searchable on every node while writes stream.
 *
 *   npm run bench:cluster -- --store postgres://arshif@127.0.0.1:5432/bench [--input FILE] [--nodes 3]
 *     [--writes-per-s 100] [--seconds 20] [--load]
 *
 * - `--load`: first empties the store's tables and loads `--input` into it (as `index --store` does).
 * - Bootstrap: a node opened on an empty directory, until it holds every article; beside it, the same
 *   articles indexed into an archive directory as `index --out` does, in the same run.
 * - Restart: that node closed and opened again (nothing to replay): the time to be ready.
 * - Commit-to-searchable: `--nodes` nodes in this process; writes at `--writes-per-s` to the store; for
 *   each write, the time from its commit until each node has applied it. Prints p50, p99 and max.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ClusterNode } from '../src/archive/cluster-node.js';
import { loadArticleFiles, storeSink } from '../src/archive/load-articles.js';
import { PersistentArchive } from '../src/archive/persistent-archive.js';
import { parseArticle } from '../src/article/article.js';
import { quantile } from '../src/evaluation/metrics.js';
import { PostgresStore } from '../src/storage/postgres-store.js';

const { values } = parseArgs({
  options: {
    store: { type: 'string' },
    input: { type: 'string', default: '../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz' },
    nodes: { type: 'string', default: '3' },
    'writes-per-s': { type: 'string', default: '100' },
    seconds: { type: 'string', default: '20' },
    load: { type: 'boolean', default: false },
  },
});
if (values.store === undefined) {
  process.stderr.write('usage: npm run bench:cluster -- --store postgres://… [--input FILE] [--load]\n');
  process.exit(2);
}
const url = values.store;
const log = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(2);

const store = await PostgresStore.connect(url);
if (values.load) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('TRUNCATE arshif_articles, arshif_changes');
  await client.end();
  const started = performance.now();
  await loadArticleFiles(await storeSink(store), [values.input]);
  log(`loaded the store: ${await store.count()} articles in ${seconds(performance.now() - started)} s`);
}

const scratch = await mkdtemp(join(tmpdir(), 'arshif-cluster-bench-'));
try {
  // index --out of the same articles, in this run.
  let started = performance.now();
  const single = await PersistentArchive.open(join(scratch, 'single'), { autoSave: false });
  await loadArticleFiles(single, [values.input]);
  await single.save();
  const indexMs = performance.now() - started;
  await single.close();
  log(`index --out: ${seconds(indexMs)} s`);

  started = performance.now();
  let node = await ClusterNode.open(join(scratch, 'node-0'), { store, autoSave: false });
  const bootstrapMs = performance.now() - started;
  log(
    `bootstrap: ${seconds(bootstrapMs)} s (${node.archive.stats().articles} articles), ${(bootstrapMs / indexMs).toFixed(2)}× index --out`,
  );
  await node.archive.save();
  await node.close();
  started = performance.now();
  node = await ClusterNode.open(join(scratch, 'node-0'), { store, autoSave: false });
  const restartMs = performance.now() - started;
  log(`restart: ${seconds(restartMs)} s`);

  const nodes = [node];
  for (let at = 1; at < Number(values.nodes); at += 1) {
    nodes.push(await ClusterNode.open(join(scratch, `node-${at}`), { store, autoSave: false }));
  }
  const delays: number[] = [];
  const pending: Promise<void>[] = [];
  const perSecond = Number(values['writes-per-s']);
  const end = performance.now() + Number(values.seconds) * 1000;
  for (let n = 0; performance.now() < end; n += 1) {
    const due = performance.now() + 1000 / perSecond;
    const article = parseArticle({
      id: `bench-${n}`,
      title: 'عاجل',
      paragraphs: [`خبر رقم ${n} عن أسعار النفط`],
    });
    const { position } = await store.write([article]);
    const committed = performance.now();
    for (const each of nodes) {
      pending.push(
        each.waitFor(position, 10_000).then((reached) => {
          delays.push(reached ? performance.now() - committed : Number.POSITIVE_INFINITY);
        }),
      );
    }
    const pause = due - performance.now();
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  }
  await Promise.all(pending);
  const ms = (value: number) => value.toFixed(1);
  log(
    `commit-to-searchable on ${nodes.length} nodes at ${perSecond} writes/s: ${delays.length} waits, p50 ${ms(quantile(delays, 0.5))} ms, p99 ${ms(quantile(delays, 0.99))} ms, max ${ms(Math.max(...delays))} ms`,
  );
  process.stdout.write(
    `${JSON.stringify({ indexMs, bootstrapMs, restartMs, commitToSearchable: { p50: quantile(delays, 0.5), p99: quantile(delays, 0.99), max: Math.max(...delays) } })}\n`,
  );
  for (const each of nodes) await each.close();
} finally {
  await store.close();
  await rm(scratch, { recursive: true, force: true });
}
