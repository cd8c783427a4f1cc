import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { parseArticle } from '../../src/article/article.js';
import { ClusterNode, NODE_POSITION_FILE } from '../../src/archive/cluster-node.js';
import { PostgresStore } from '../../src/storage/postgres-store.js';
import { POSTGRES_MISSING, type PostgresServer, startPostgres } from '../helpers/postgres.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

if (POSTGRES_MISSING) console.warn(POSTGRES_MISSING);

const WORDS = [
  'النفط',
  'أسعار',
  'الحكومة',
  'البنك',
  'المركزي',
  'الذهب',
  'ارتفعت',
  'انخفضت',
  'اليوم',
  'الأسواق',
];
const article = (id: string, paragraphs: string[], extra: Record<string, unknown> = {}) => ({
  id,
  title: 'عنوان',
  paragraphs,
  ...extra,
});

/** The answer's hits as comparable lines: place, and score to 1e-9. */
function ranked(response: { hits: { id: string; para: number; score: number }[] }): string[] {
  return response.hits.map(({ id, para, score }) => `${id}#${para} ${score.toFixed(9)}`);
}

describe.skipIf(POSTGRES_MISSING !== undefined)('ClusterNode', () => {
  let server: PostgresServer;
  let store: PostgresStore;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());
  let url: string;
  beforeEach(async () => {
    url = await server.createDatabase();
    store = await PostgresStore.connect(url);
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await store.close();
  });

  /** A node in a new directory, closed and removed after the test. */
  async function openNode(directory?: string) {
    const owned = directory === undefined ? await temporaryDirectory() : undefined;
    const node = await ClusterNode.open(directory ?? owned!.path, { store, autoSave: false, pollMs: 50 });
    cleanups.push(async () => {
      await node.close();
      await owned?.remove();
    });
    return node;
  }

  it('bootstraps from what the store holds, then follows writes made through another node', async () => {
    await store.write(
      [article('a', ['ارتفعت أسعار النفط اليوم']), article('b', ['قالت الحكومة'])].map((value) =>
        parseArticle(value),
      ),
    );
    const first = await openNode();
    expect(first.archive.stats()).toEqual({ articles: 2, paragraphs: 2 });
    const second = await openNode();
    const { position } = await first.write(article('c', ['انخفضت أسعار الذهب']));
    expect(position).toMatch(/^\d+$/u);
    expect(await second.waitFor(position!, 5_000)).toBe(true);
    expect(second.archive.search('الذهب').hits.map((hit) => hit.id)).toEqual(['c']);
    const removal = await second.removeArticle('a');
    expect(removal.removed).toBe(true);
    expect(await first.waitFor(removal.position!, 5_000)).toBe(true);
    expect(first.archive.get('a')).toBeUndefined();
    expect(first.status().lagMs).toBe(0);
  });

  it('restarts from its own index and replays only the tail of the log written while it was down', async () => {
    const directory = await temporaryDirectory();
    cleanups.push(directory.remove);
    const lines: string[] = [];
    let node = await ClusterNode.open(directory.path, {
      store,
      autoSave: false,
      log: (line) => lines.push(line),
    });
    await node.write([article('a', ['ارتفعت أسعار النفط']), article('b', ['قالت الحكومة'])]);
    await node.waitFor((await node.write(article('c', ['البنك المركزي']))).position!, 5_000);
    await node.close();
    const { position } = await store.write([parseArticle(article('d', ['انخفضت أسعار الذهب']))]);
    await store.remove('a');
    node = await ClusterNode.open(directory.path, {
      store,
      autoSave: false,
      log: (line) => lines.push(line),
    });
    cleanups.push(() => node.close());
    expect(lines.filter((line) => line.startsWith('bootstrapped'))).toHaveLength(1);
    expect(await node.waitFor(position, 5_000)).toBe(true);
    expect([...node.archive.archive.all()].map(({ id }) => id).sort()).toEqual(['b', 'c', 'd']);
    const saved = JSON.parse(await readFile(join(directory.path, NODE_POSITION_FILE), 'utf8')) as {
      storeId: string;
    };
    expect(saved.storeId).toBe(store.storeId);
  });

  it('joins the store as a live member with a heartbeat, and is seen gone once closed or cut off', async () => {
    const first = await openNode();
    const second = await openNode();
    expect(first.id).not.toBe(second.id);
    await first.waitFor((await first.write(article('a', ['نص']))).position!, 5_000);
    await expect
      .poll(async () => (await first.members()).map(({ id, live, position }) => ({ id, live, position })), {
        timeout: 5_000,
      })
      .toEqual(
        [first.id, second.id].sort().map((id) => ({ id, live: true, position: first.status().position })),
      );
    await second.close();
    expect((await first.members()).find(({ id }) => id === second.id)?.live).toBe(false);
    // A node cut off from the store (its connection ended, as when its process is killed) is not live.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = (
           SELECT lock_key::oid FROM arshif_nodes WHERE id = $1)`,
        [first.id],
      );
    } finally {
      await admin.end();
    }
    expect((await first.members()).find(({ id }) => id === first.id)?.live).toBe(false);
  });

  it('compares vectors as the store says, whatever it is opened with after the first', async () => {
    const directories = [await temporaryDirectory(), await temporaryDirectory()];
    cleanups.push(async () => {
      for (const directory of directories) await directory.remove();
    });
    const first = await ClusterNode.open(directories[0]!.path, {
      store,
      autoSave: false,
      vectorSimilarity: 'dot',
    });
    cleanups.push(() => first.close());
    expect(first.archive.vectorSettings.similarity).toBe('dot');
    const second = await openNode();
    expect(second.archive.vectorSettings.similarity).toBe('dot');
    await expect(
      ClusterNode.open(directories[1]!.path, { store, autoSave: false, vectorSimilarity: 'cosine' }),
    ).rejects.toThrow(/compared by dot similarity/u);
  });

  it('refuses a directory that follows another store', async () => {
    const node = await openNode();
    const other = await PostgresStore.connect(await server.createDatabase());
    try {
      const { directory } = node.archive;
      await node.close();
      await expect(ClusterNode.open(directory, { store: other, autoSave: false })).rejects.toThrow(
        /follows another store/u,
      );
    } finally {
      await other.close();
    }
  });

  it('answers as one archive holding the same articles, after any writes, replacements and removals', async () => {
    const operation = fc.oneof(
      fc.record({
        put: fc.record({
          id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
          paragraphs: fc.array(
            fc
              .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 })
              .map((words) => words.join(' ')),
            {
              minLength: 1,
              maxLength: 3,
            },
          ),
        }),
      }),
      fc.record({ remove: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
    );
    const node = await openNode();
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 12 }), async (operations) => {
        const single = new Archive();
        for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await node.remove(id);
        let last = '0';
        for (const change of operations) {
          if ('put' in change) {
            single.put(article(change.put.id, change.put.paragraphs));
            last = (await node.write(article(change.put.id, change.put.paragraphs))).position!;
          } else {
            single.remove(change.remove);
            last = (await node.removeArticle(change.remove)).position!;
          }
        }
        expect(await node.waitFor(last, 5_000)).toBe(true);
        for (const query of ['أسعار النفط', 'الحكومة', 'البنك المركزي اليوم', 'الذهب']) {
          expect(ranked(node.archive.search(query, { limit: 100, collapse: false }))).toEqual(
            ranked(single.search(query, { limit: 100, collapse: false })),
          );
        }
      }),
      { numRuns: 15 },
    );
  });
});
