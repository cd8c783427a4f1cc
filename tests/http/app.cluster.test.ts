import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterNode } from '../../src/archive/cluster-node.js';
import { Archive } from '../../src/archive/archive.js';
import { ShardSearch } from '../../src/archive/shard-search.js';
import { buildApp } from '../../src/http/app.js';
import { PostgresStore } from '../../src/storage/postgres-store.js';
import { POSTGRES_MISSING, type PostgresServer, startPostgres } from '../helpers/postgres.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

if (POSTGRES_MISSING) console.warn(POSTGRES_MISSING);

const TOKEN = 'cluster-token';
const headers = { authorization: `Bearer ${TOKEN}` };

describe('reads after a write, on a node that has not applied it', () => {
  it('answer 503 BEHIND with Retry-After, naming the position, once the bounded wait is over', async () => {
    const archive = new Archive();
    const app = await buildApp({
      archive,
      cluster: {
        status: () => ({ position: '100', lagMs: 2_500, shards: 'all' }),
        waitFor: async () => false,
      },
    });
    const response = await app.inject({ method: 'GET', url: '/search?q=النفط&after=150' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json().error.code).toBe('BEHIND');
    expect(response.json().error.message).toMatch(/position 150.*at 100/u);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok', position: '100', lagMs: 2_500 });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^arshif_node_lag_seconds 2\.5$/mu);
    await app.close();
  });

  it.each(['abc', '-1', '1'.repeat(21), '1.5'])('refuse after=%j with a 400', async (after) => {
    const app = await buildApp({ archive: new Archive() });
    const response = await app.inject({
      method: 'GET',
      url: `/search?q=النفط&after=${encodeURIComponent(after)}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/after/u);
    await app.close();
  });
});

describe.skipIf(POSTGRES_MISSING !== undefined)('two nodes of one store, over HTTP', () => {
  let server: PostgresServer;
  let store: PostgresStore;
  const nodes: ClusterNode[] = [];
  const directories: { remove: () => Promise<void> }[] = [];
  beforeAll(async () => {
    server = await startPostgres();
    store = await PostgresStore.connect(await server.createDatabase());
    for (let at = 0; at < 2; at += 1) {
      const directory = await temporaryDirectory();
      directories.push(directory);
      nodes.push(await ClusterNode.open(directory.path, { store, autoSave: false }));
    }
  });
  afterAll(async () => {
    for (const node of nodes) await node.close();
    for (const directory of directories) await directory.remove();
    await store?.close();
    server?.stop();
  });

  const appOf = (node: ClusterNode) =>
    buildApp({ archive: node.archive, writer: node, cluster: node, token: TOKEN });

  it('a write answers with its position; a search on the other node after it finds the write', async () => {
    const [first, second] = [await appOf(nodes[0]!), await appOf(nodes[1]!)];
    const written = await first.inject({
      method: 'POST',
      url: '/articles',
      headers,
      payload: { id: 'w1', title: 'عاجل', paragraphs: ['ارتفعت أسعار النفط اليوم'] },
    });
    expect(written.statusCode).toBe(200);
    const { position } = written.json() as { position: string };
    expect(position).toMatch(/^\d+$/u);
    const found = await second.inject({
      method: 'GET',
      url: `/search?q=${encodeURIComponent('اسعار النفط')}&after=${position}`,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json().hits.map((hit: { id: string }) => hit.id)).toEqual(['w1']);
    const article = await second.inject({ method: 'GET', url: `/articles/w1?after=${position}` });
    expect(article.json().title).toBe('عاجل');

    const removed = await second.inject({ method: 'DELETE', url: '/articles/w1', headers });
    expect(removed.json()).toMatchObject({
      id: 'w1',
      deleted: true,
      position: expect.stringMatching(/^\d+$/u),
    });
    const gone = await first.inject({
      method: 'POST',
      url: '/search',
      payload: { q: 'النفط', after: removed.json().position },
    });
    expect(gone.json().total).toBe(0);
    const health = await first.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok', lagMs: 0 });
    const cluster = await second.inject({ method: 'GET', url: '/cluster' });
    expect(cluster.json().node).toBe(nodes[1]!.id);
    expect(cluster.json().nodes.map(({ id, live }: { id: string; live: boolean }) => [id, live])).toEqual(
      nodes.map((node) => [node.id, true]).sort(),
    );
    // Both hold every shard: none is short.
    expect(cluster.json().replication).toEqual({ unheld: '', singlyHeld: '' });
    expect(BigInt(health.json().position)).toBeGreaterThanOrEqual(BigInt(removed.json().position));
    await first.close();
    await second.close();
  });
});

describe.skipIf(POSTGRES_MISSING !== undefined)('a node whose store goes down', () => {
  it('answers writes 503 IO_ERROR and reads from what it holds, then catches up once the store is back', async () => {
    const server = await startPostgres();
    const store = await PostgresStore.connect(await server.createDatabase());
    const directory = await temporaryDirectory();
    const node = await ClusterNode.open(directory.path, { store, autoSave: false, pollMs: 50 });
    const app = await buildApp({ archive: node.archive, writer: node, cluster: node, token: TOKEN });
    try {
      const write = (id: string) =>
        app.inject({
          method: 'POST',
          url: '/articles',
          headers,
          payload: { id, paragraphs: ['ارتفعت أسعار النفط'] },
        });
      expect((await write('before')).statusCode).toBe(200);
      server.crash();
      const refused = await write('during');
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error.code).toBe('IO_ERROR');
      const read = await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('النفط')}` });
      expect(read.statusCode).toBe(200);
      server.start();
      const accepted = await write('after');
      expect(accepted.statusCode).toBe(200);
      const found = await app.inject({
        method: 'GET',
        url: `/search?q=${encodeURIComponent('النفط')}&collapse=false&after=${accepted.json().position}`,
      });
      expect(
        found
          .json()
          .hits.map((hit: { id: string }) => hit.id)
          .sort(),
      ).toEqual(['after', 'before']);
    } finally {
      await app.close();
      await node.close();
      await store.close();
      await directory.remove();
      server.stop();
    }
  });
});

describe('a node’s part of clustered searches, over HTTP', () => {
  it('answers the /_shard routes, and refuses a body that is not such a request with a 400 naming why', async () => {
    const archive = new Archive();
    archive.put({ id: 'a', title: 'عنوان', paragraphs: ['ارتفعت أسعار النفط اليوم'] });
    const app = await buildApp({
      archive,
      cluster: {
        status: () => ({ position: '1', lagMs: 0, shards: 'all' }),
        waitFor: async () => true,
        shardSearch: new ShardSearch('node-a', archive),
      },
    });
    const statistics = await app.inject({
      method: 'POST',
      url: '/_shard/statistics',
      payload: { request: { terms: [['النفط', 0]] } },
    });
    expect(statistics.statusCode).toBe(200);
    expect(statistics.json()).toMatchObject({ documentCount: 1, terms: [1] });
    const paragraph = await app.inject({
      method: 'POST',
      url: '/_shard/paragraph',
      payload: { articleId: 'a', para: 0 },
    });
    expect(paragraph.json()).toMatchObject({ found: true, paragraphs: 1 });
    for (const [url, payload, reason] of [
      ['/_shard/search', { query: 5, count: 10 }, /not a search request/u],
      ['/_shard/search', { count: 1e9 }, /count must be an integer from 0 to 20000, got 1000000000/u],
      ['/_shard/nearest', { vector: [1], k: -1 }, /k must be an integer from 0 to 1000/u],
      ['/_shard/statistics', { request: { terms: 'النفط' } }, /not a statistics request/u],
      ['/_shard/fetch', { hits: 'a' }, /not a fetch request/u],
    ] as const) {
      const refused = await app.inject({ method: 'POST', url, payload });
      expect(refused.statusCode, url).toBe(400);
      expect(refused.json().error.code).toBe('BAD_PARAMETER');
      expect(refused.json().error.message).toMatch(reason);
    }
    const notJson = await app.inject({
      method: 'POST',
      url: '/_shard/search',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(notJson.statusCode).toBe(400);
    await app.close();
  });
});
