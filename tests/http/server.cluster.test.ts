import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article/article.js';
import { PostgresStore } from '../../src/storage/postgres-store.js';
import { POSTGRES_MISSING, type PostgresServer, startPostgres } from '../helpers/postgres.js';
import { startServe } from '../helpers/serve-process.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

if (POSTGRES_MISSING) console.warn(POSTGRES_MISSING);

/** Writes about `perSecond` articles a second to the store until stopped: new ids, and new versions of old ones. */
function streamWrites(store: PostgresStore, perSecond: number) {
  let stopped = false;
  let last = '0';
  let written = 0;
  const running = (async () => {
    for (let n = 0; !stopped; n += 1) {
      const id = n % 4 === 3 ? `item-${n - 3}` : `item-${n}`;
      const { position } = await store.write([
        parseArticle({ id, version: String(n), title: `نسخة ${n}`, paragraphs: [`خبر رقم zq${n} عن النفط`] }),
      ]);
      last = position;
      written += 1;
      await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await running;
      return { last, written };
    },
  };
}

describe.skipIf(POSTGRES_MISSING !== undefined)('a search node killed while writes stream', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  it('restarts, catches up, and holds exactly the store: nothing missing, nothing doubled, every version the last', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.connect(url);
    const directory = await temporaryDirectory();
    try {
      const args = ['--store', url, '--index', directory.path];
      const env = { ARSHIF_SEARCH_THREADS: '1' };
      let node = await startServe(args, env);
      const writes = streamWrites(store, 100);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await node.kill();
      await new Promise((resolve) => setTimeout(resolve, 500));
      node = await startServe(args, env);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { last, written } = await writes.stop();
      expect(written).toBeGreaterThan(100);
      try {
        const health = await fetch(
          `${node.base}/search?q=${encodeURIComponent('النفط')}&after=${last}&limit=1`,
        );
        expect(health.status).toBe(200);
        const stored = new Map<string, string | undefined>();
        for await (const page of store.snapshot())
          for (const article of page.articles) stored.set(article.id, article.version);
        const status = (await (await fetch(`${node.base}/health`)).json()) as {
          articles: number;
          position: string;
        };
        expect(status.articles).toBe(stored.size);
        expect(BigInt(status.position)).toBeGreaterThanOrEqual(BigInt(last));
        for (const [id, version] of stored) {
          const article = (await (await fetch(`${node.base}/articles/${id}`)).json()) as { version?: string };
          expect(article.version, id).toBe(version);
          const found = (await (await fetch(`${node.base}/search?q=zq${version}&collapse=false`)).json()) as {
            total: number;
            hits: { id: string }[];
          };
          // Its own version's word finds it first, once: other markers may follow as prefix matches.
          expect(found.hits[0]?.id, `zq${version}`).toBe(id);
          expect(
            found.hits.filter((hit) => hit.id === id),
            `zq${version}`,
          ).toHaveLength(1);
        }
      } finally {
        await node.kill();
      }
    } finally {
      await store.close();
      await directory.remove();
    }
  });
});
