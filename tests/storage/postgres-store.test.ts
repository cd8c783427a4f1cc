import pg from 'pg';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article/article.js';
import {
  comparePositions,
  LOG_START,
  type LogCursor,
  PostgresStore,
  redactedUrl,
  type StoreChange,
} from '../../src/storage/postgres-store.js';
import { POSTGRES_MISSING, type PostgresServer, startPostgres } from '../helpers/postgres.js';

if (POSTGRES_MISSING) console.warn(POSTGRES_MISSING);

const article = (id: string, extra: Record<string, unknown> = {}) =>
  parseArticle({ id, title: 'عنوان', paragraphs: ['ارتفعت أسعار النفط'], ...extra });

/** Every change after `cursor`, read batch by batch as a follower reads them. */
async function follow(store: PostgresStore, cursor: LogCursor = LOG_START, limit = 1_000) {
  const changes: StoreChange[] = [];
  let batch;
  do {
    batch = await store.changesSince(cursor, limit);
    changes.push(...batch.changes);
    if (batch.changes.length > 0) cursor = batch.changes.at(-1)!;
  } while (batch.more);
  return { changes, cursor, horizon: batch.horizon };
}

describe.skipIf(POSTGRES_MISSING !== undefined)('PostgresStore', () => {
  let server: PostgresServer;
  let url: string;
  let store: PostgresStore;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());
  beforeEach(async () => {
    url = await server.createDatabase();
    store = await PostgresStore.connect(url);
  });
  afterEach(async () => {
    await store.close();
  });

  it('stores, replaces and removes articles, vectors included, each write with a later position', async () => {
    const first = await store.write([article('a', { paragraphs: ['أ', 'ب'], vectors: [[1, 0.5], null] })]);
    const second = await store.write([article('a', { title: 'جديد' }), article('b')]);
    expect(comparePositions(second.position, first.position)).toBeGreaterThan(0);
    expect((await store.article('a'))?.title).toBe('جديد');
    expect(await store.count()).toBe(2);
    await store.write([article('v', { paragraphs: ['أ', 'ب'], vectors: [null, [0.25, -2]] })]);
    const vectors = (await store.article('v'))?.vectors;
    expect(vectors?.map((vector) => (vector === null ? null : Array.from(vector)))).toEqual([
      null,
      [0.25, -2],
    ]);
    const removed = await store.remove('b');
    expect(removed.removed).toBe(true);
    expect(comparePositions(removed.position, second.position)).toBeGreaterThan(0);
    expect(await store.article('b')).toBeUndefined();
    expect((await store.remove('b')).removed).toBe(false);
  });

  it("fixes the vectors' dimension with the first stored, and refuses another in the same write, storing nothing", async () => {
    await store.write([article('v', { vectors: [[1, 0, 0]] })]);
    expect(await store.vectorSettings()).toEqual({ dimensions: 3 });
    await expect(store.write([article('ok'), article('w', { vectors: [[1, 0]] })])).rejects.toMatchObject({
      code: 'INVALID_ARTICLE',
      message: expect.stringMatching(/"w".*2 dimensions.*3/u),
    });
    expect(await store.article('ok')).toBeUndefined();
  });

  it('records how vectors are compared, and refuses another once set', async () => {
    await store.setVectorSimilarity('dot');
    await store.setVectorSimilarity('dot');
    expect((await store.vectorSettings()).similarity).toBe('dot');
    await expect(store.setVectorSimilarity('cosine')).rejects.toMatchObject({
      code: 'BAD_PARAMETER',
      message: expect.stringMatching(/compared by dot similarity/u),
    });
  });

  it('ignores an older version of a stored article, in the same transaction as the rest', async () => {
    await store.write([article('w', { version: '3', title: 'v3' })]);
    const outcome = await store.write([article('w', { version: '2', title: 'v2' }), article('x')]);
    expect(outcome.ignored).toEqual([{ id: 'w', version: '2', storedVersion: '3' }]);
    expect(outcome.stored.map(({ id }) => id)).toEqual(['x']);
    expect((await store.article('w'))?.title).toBe('v3');
  });

  it('logs every change in the order written, and a follower reading in small batches misses none', async () => {
    await store.write([article('a'), article('b')]);
    await store.remove('a');
    await store.write([article('a', { title: 'عاد' })]);
    const { changes } = await follow(store, LOG_START, 1);
    expect(changes.map(({ id, article: stored }) => `${id}:${stored?.title ?? 'removed'}`)).toEqual([
      'a:عنوان',
      'b:عنوان',
      'a:removed',
      'a:عاد',
    ]);
  });

  it('never lets a follower pass a transaction still open, however many commit after it', async () => {
    const held = new pg.Client({ connectionString: url });
    await held.connect();
    try {
      await store.write([article('before')]);
      const start = await follow(store);
      // A transaction that took its id (and a sequence number) first, and commits last.
      await held.query('BEGIN');
      await held.query(`INSERT INTO arshif_changes (id, doc, position) VALUES ('held', $1, 0)`, [
        JSON.stringify({ id: 'held', title: '', paragraphs: ['نص'] }),
      ]);
      for (let at = 0; at < 5; at += 1) await store.write([article(`later-${at}`)]);
      const meanwhile = await follow(store, start.cursor);
      expect(meanwhile.changes).toEqual([]);
      await held.query('COMMIT');
      const after = await follow(store, start.cursor);
      expect(after.changes.map(({ id }) => id)).toEqual([
        'held',
        'later-0',
        'later-1',
        'later-2',
        'later-3',
        'later-4',
      ]);
    } finally {
      await held.end();
    }
  });

  it('gives a snapshot as of one moment, whose horizon the log is followed from', async () => {
    await store.write([article('a'), article('b'), article('c')]);
    const pages = [];
    for await (const page of store.snapshot(2)) pages.push(page);
    expect(pages.flatMap((page) => page.articles.map(({ id }) => id))).toEqual(['a', 'b', 'c']);
    const { horizon } = pages[0]!;
    await store.write([article('d')]);
    const cursor = { xid: String(BigInt(horizon) - 1n), seq: String(2n ** 63n - 1n) };
    expect((await follow(store, cursor)).changes.map(({ id }) => id)).toEqual(['d']);
  });

  it('upgrades the tables of version 1 (no positions), numbering the writes already logged in order', async () => {
    const old = await server.createDatabase();
    const client = new pg.Client({ connectionString: old });
    await client.connect();
    try {
      // The tables as version 1 made them, with two writes logged (the second of two articles).
      await client.query(`
        CREATE TABLE arshif_schema (version integer NOT NULL); INSERT INTO arshif_schema VALUES (1);
        CREATE TABLE arshif_meta (key text PRIMARY KEY, value text NOT NULL);
        INSERT INTO arshif_meta VALUES ('storeId', 'old-store');
        CREATE TABLE arshif_articles (id text PRIMARY KEY, version text, doc text NOT NULL, dimensions integer,
          present bytea, vectors bytea, position xid8 NOT NULL);
        CREATE TABLE arshif_changes (seq bigserial PRIMARY KEY, xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
          id text NOT NULL, doc text, dimensions integer, present bytea, vectors bytea,
          committed_at timestamptz NOT NULL DEFAULT clock_timestamp());`);
      for (const ids of [['a'], ['b', 'c']]) {
        await client.query('BEGIN');
        for (const id of ids) {
          const doc = JSON.stringify({ id, title: '', paragraphs: ['نص'] });
          await client.query(
            'INSERT INTO arshif_articles (id, doc, position) VALUES ($1, $2, pg_current_xact_id())',
            [id, doc],
          );
          await client.query('INSERT INTO arshif_changes (id, doc) VALUES ($1, $2)', [id, doc]);
        }
        await client.query('COMMIT');
      }
    } finally {
      await client.end();
    }
    const upgraded = await PostgresStore.connect(old);
    try {
      expect(upgraded.storeId).toBe('old-store');
      expect((await follow(upgraded)).changes.map(({ id, position }) => `${id}@${position}`)).toEqual([
        'a@1',
        'b@2',
        'c@2',
      ]);
      expect((await upgraded.write([article('d')])).position).toBe('3');
    } finally {
      await upgraded.close();
    }
  });

  it('creates its tables once: a second connection, or a second node, finds them made', async () => {
    const again = await PostgresStore.connect(url);
    expect(again.storeId).toBe(store.storeId);
    await again.close();
  });

  it('wakes a listener when a write commits', async () => {
    let woken = 0;
    const stop = await store.listen(() => {
      woken += 1;
    });
    await store.write([article('a')]);
    await expect.poll(() => woken).toBeGreaterThan(0);
    await stop();
  });

  it('names a database without its password, and fails clearly when it cannot connect', async () => {
    expect(redactedUrl('postgres://user:secret@db.example:5432/news')).toBe(
      'postgres://user:***@db.example:5432/news',
    );
    await expect(
      PostgresStore.connect(`postgres://arshif@127.0.0.1:${server.port}/no_such_database`),
    ).rejects.toThrow(/store postgres:\/\/arshif@127\.0\.0\.1:\d+\/no_such_database: .*does not exist/u);
  });
});
