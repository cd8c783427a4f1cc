import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import type { SearchResponse } from '../../src/archive/archive-search.js';
import { ClusterNode } from '../../src/archive/cluster-node.js';
import { shardOf, ShardSet } from '../../src/archive/shards.js';
import type { Article } from '../../src/article/article.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';
import { buildApp } from '../../src/http/app.js';
import { PostgresStore } from '../../src/storage/postgres-store.js';
import { POSTGRES_MISSING, type PostgresServer, startPostgres } from '../helpers/postgres.js';
import { freePort } from '../helpers/serve-process.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

if (POSTGRES_MISSING) console.warn(POSTGRES_MISSING);

const TOKEN = 'shards-token';
const QUERIES = [
  'الانتخابات',
  'أسعار النفط',
  '"وزارة الداخلية"',
  'الانتخبات الجماعيه',
  'كرة القدم',
  'قوات سوريا الديمقراطية',
];

/** Hits in order with their copies, scores to 1e-9. */
function ranked(response: SearchResponse): string[] {
  return response.hits.map(
    (hit) =>
      `${hit.id}#${hit.para}${(hit.copies ?? []).map((copy) => ` ${copy.id}#${copy.para}`).join('')} ${hit.score.toFixed(9)}`,
  );
}

/** A node of the cluster with its HTTP service listening on loopback, as `serve --store` runs one. */
interface RunningNode {
  node: ClusterNode;
  app: FastifyInstance;
  stop(): Promise<void>;
}

describe.skipIf(POSTGRES_MISSING !== undefined)('nodes holding some shards each, over HTTP', () => {
  let server: PostgresServer;
  let store: PostgresStore;
  const articles: Article[] = [];
  const reference = new Archive();
  const running: RunningNode[] = [];

  async function startNode(shards: string): Promise<RunningNode> {
    const directory = await temporaryDirectory();
    const port = await freePort();
    const node = await ClusterNode.open(directory.path, {
      store,
      autoSave: false,
      pollMs: 50,
      url: `http://127.0.0.1:${port}`,
      shards: ShardSet.parse(shards),
    });
    const app = await buildApp({ archive: node.reader(), writer: node, cluster: node, token: TOKEN });
    await app.listen({ port, host: '127.0.0.1' });
    let stopped = false;
    const runningNode: RunningNode = {
      node,
      app,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await app.close();
        await node.close();
        await directory.remove();
      },
    };
    running.push(runningNode);
    return runningNode;
  }

  beforeAll(async () => {
    server = await startPostgres();
    store = await PostgresStore.connect(await server.createDatabase());
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    // An acronym defined in three articles, two of them in shards the node of 0-127 does not hold.
    for (const id of ['acr-1', 'acr-2', 'acr-5']) {
      articles.push({
        id,
        title: 'ميدان',
        paragraphs: [
          `أعلنت قوات سوريا الديمقراطية (قسد) سيطرتها على البلدة ${id}`,
          'وقالت قسد في بيان إن المعارك انتهت',
        ],
      });
    }
    reference.putMany(articles);
  });
  afterAll(async () => {
    for (const node of running) await node.stop();
    await store?.close();
    server?.stop();
  });

  it('each node indexes only its shards; any node answers as one archive; a shard held twice survives a node; a shard held by none is partial', async () => {
    const low = await startNode('0-127');
    const high = await startNode('128-255');
    const all = await startNode('all');
    const { position } = await low.node.write(articles);
    for (const { node } of [low, high, all]) expect(await node.waitFor(position!, 10_000)).toBe(true);
    // The store's heartbeats tell every node of the others.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const lowCount = articles.filter((article) => shardOf(article.id) < 128).length;
    expect(low.node.archive.stats().articles).toBe(lowCount);
    expect(high.node.archive.stats().articles).toBe(articles.length - lowCount);
    expect(lowCount).toBeGreaterThan(0);
    expect(lowCount).toBeLessThan(articles.length);

    // Every node learned the acronym from all three, whichever it holds.
    const learned = (node: ClusterNode) =>
      node.archive.archive.synonymGroups().filter((group) => group.source === 'learned');
    expect(learned(low.node)).toEqual(
      reference.synonymGroups().filter((group) => group.source === 'learned'),
    );
    expect(learned(low.node)).toHaveLength(1);
    expect(learned(high.node)).toEqual(learned(low.node));
    for (const query of QUERIES) {
      const expected = reference.search(query, { limit: 50, facets: ['source'] });
      for (const { node } of [low, high, all]) {
        const answer = await node.search(query, { limit: 50, facets: ['source'] });
        expect(ranked(answer), query).toEqual(ranked(expected));
        expect(answer.total).toBe(expected.total);
        expect(answer.facets).toEqual(expected.facets);
        expect(answer.partial).toBe(expected.partial);
      }
    }

    // Over HTTP, with read-your-writes: a write through one node, searched on another after it.
    const written = await high.app.inject({
      method: 'POST',
      url: '/articles',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: { id: 'fresh-1', title: 'خبر جديد', paragraphs: ['اكتشاف حقل غاز جديد قبالة السواحل'] },
    });
    const after = written.json().position as string;
    const found = await low.app.inject({
      method: 'GET',
      url: `/search?q=${encodeURIComponent('حقل غاز')}&after=${after}`,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json().hits.map((hit: { id: string }) => hit.id)).toEqual(['fresh-1']);
    const article = await low.app.inject({ method: 'GET', url: `/articles/fresh-1?after=${after}` });
    expect(article.json().title).toBe('خبر جديد');
    const health = await low.app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({
      shards: '0-127',
      articles: lowCount + (shardOf('fresh-1') < 128 ? 1 : 0),
    });
    const metrics = await low.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^arshif_shard_requests_total\{kind="search",outcome="answered"\} [1-9]/mu);
    const malformed = await low.app.inject({ method: 'POST', url: '/_shard/search', payload: { query: 5 } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('BAD_PARAMETER');

    const replication = async () =>
      (await low.app.inject({ method: 'GET', url: '/cluster' })).json().replication;
    expect(await replication()).toEqual({ unheld: '', singlyHeld: '' });

    // The node holding 128-255 goes: the one holding all answers for them, in full.
    await high.stop();
    expect(await replication()).toEqual({ unheld: '', singlyHeld: '128-255' });
    reference.put({ id: 'fresh-1', title: 'خبر جديد', paragraphs: ['اكتشاف حقل غاز جديد قبالة السواحل'] });
    for (const query of QUERIES) {
      const answer = await low.node.search(query, { limit: 50 });
      expect(ranked(answer), query).toEqual(ranked(reference.search(query, { limit: 50 })));
      expect(answer.partial).toBeUndefined();
    }

    // Then the one holding all: shards 128-255 are held by no live node, and the answer says so.
    await all.stop();
    expect(await replication()).toEqual({ unheld: '128-255', singlyHeld: '' });
    const partial = await low.node.search('الانتخابات', { limit: 50 });
    expect(partial.partial).toBe(true);
    expect(partial.hits.every((hit) => shardOf(hit.id) < 128)).toBe(true);
    expect(partial.hits.length).toBeGreaterThan(0);
  });

  it('a shard set moves to a new node (bootstrapped, then taking over) while searches go on, every answer in full', async () => {
    const low = await startNode('0-127');
    const high = await startNode('128-255');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const expected = ranked(reference.search('الانتخابات', { limit: 50 }));
    const answers: SearchResponse[] = [];
    let searching = true;
    const searches = (async () => {
      while (searching) answers.push(await low.node.search('الانتخابات', { limit: 50 }));
    })();
    const moved = await startNode('128-255');
    // The others learn of it at their next heartbeat; then the node it replaces goes.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await high.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    searching = false;
    await searches;
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) {
      expect(answer.partial).toBeUndefined();
      expect(ranked(answer)).toEqual(expected);
    }
    expect(moved.node.archive.stats()).toEqual(high.node.archive.stats());
    await low.stop();
    await moved.stop();
  });

  it('a directory keeps the shards it was built with, and the acronyms the other shards define', async () => {
    const directory = await temporaryDirectory();
    const shards = ShardSet.parse('0-9');
    const learned = (node: ClusterNode) =>
      node.archive.archive.synonymGroups().filter((group) => group.source === 'learned');
    try {
      const node = await ClusterNode.open(directory.path, { store, autoSave: false, shards });
      // Bootstrapped from the store the first test filled: none of its articles defines the acronym.
      expect(node.archive.stats().articles).toBe(
        articles.filter((article) => shards.holds(article.id)).length,
      );
      expect(learned(node).map((group) => group.forms)).toEqual([['قسد', 'قوات سوريا الديمقراطية']]);
      await node.close();
      const reopened = await ClusterNode.open(directory.path, { store, autoSave: false, shards });
      expect(learned(reopened)).toEqual(learned(node));
      await reopened.close();
      await expect(
        ClusterNode.open(directory.path, { store, autoSave: false, shards: ShardSet.parse('0-19') }),
      ).rejects.toThrow(/holds shards 0-9, not 0-19: give a new directory/u);
    } finally {
      await directory.remove();
    }
  });
});
