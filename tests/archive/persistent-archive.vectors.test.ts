import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE, STORE_FILE } from '../../src/archive/archive-directory.js';
import { STORE_FORMAT_VERSION } from '../../src/storage/sqlite-store.js';
import { PersistentArchive, type PersistentArchiveOptions } from '../../src/archive/persistent-archive.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function newDirectory(): Promise<string> {
  const directory = await temporaryDirectory();
  cleanups.unshift(directory.remove);
  return directory.path;
}

async function open(directory: string, options: PersistentArchiveOptions = {}) {
  const archive = await PersistentArchive.open(directory, { autoSave: false, ...options });
  cleanups.push(() => archive.close());
  return archive;
}

/** Articles on three axes, one without vectors, one with a paragraph without one. */
const ARTICLES = [
  {
    id: 'oil',
    paragraphs: ['ارتفعت أسعار النفط', 'وزاد الإنتاج'],
    vectors: [
      [1, 0, 0],
      [0.8, 0.6, 0],
    ],
  },
  { id: 'gold', paragraphs: ['تراجع الذهب', 'بلا متجه'], vectors: [[0, 1, 0], null] },
  { id: 'plain', paragraphs: ['نص بلا متجهات'] },
];

/** What a reader sees of the vectors: nearest paragraphs of three queries, and one article's vectors. */
function vectorView(archive: PersistentArchive) {
  const nearest = (vector: number[]) =>
    archive.search('', { vector, collapse: false }).hits.map((hit) => [`${hit.id}#${hit.para}`, hit.score]);
  return {
    nearest: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ].map(nearest),
    vectors: archive.get('oil', { vectors: true })?.vectors,
    dimensions: archive.vectorSettings.dimensions,
  };
}

describe('PersistentArchive: vectors are as durable as the text', () => {
  it('are searched the same after reopening from the snapshot, from the store after it, and rebuilt', async () => {
    const directory = await newDirectory();
    const archive = await open(directory);
    await archive.put(ARTICLES.slice(0, 2));
    await archive.save();
    // After the snapshot: found again from the store on reopening.
    await archive.put(ARTICLES[2]);
    await archive.put({ id: 'sport', paragraphs: ['فاز الفريق'], vectors: [[0, 0.1, 1]] });
    const before = vectorView(archive);
    expect(before.nearest[2]![0]).toEqual(['sport#0', expect.closeTo(0.995, 3)]);
    await archive.close();

    const reopened = await open(directory);
    expect(reopened.opened).toMatchObject({ from: 'snapshot', reindexed: 2 });
    expect(vectorView(reopened)).toEqual(before);
    await reopened.close();

    await rm(join(directory, SNAPSHOT_FILE));
    const rebuilt = await open(directory);
    expect(rebuilt.opened.from).toBe('store');
    expect(vectorView(rebuilt)).toEqual(before);
  });

  it('replacing an article without vectors takes its vectors away, in the store too', async () => {
    const directory = await newDirectory();
    const archive = await open(directory);
    await archive.put(ARTICLES);
    await archive.put({ id: 'oil', paragraphs: ['نص جديد بلا متجه'] });
    expect(archive.get('oil', { vectors: true })?.vectors).toBeUndefined();
    expect(archive.search('', { vector: [1, 0, 0] }).hits.map((hit) => hit.id)).toEqual(['gold']);
    await archive.remove('gold');
    await archive.close();
    const reopened = await open(directory);
    expect(reopened.get('gold', { vectors: true })).toBeUndefined();
    expect(reopened.search('', { vector: [1, 0, 0] }).hits).toEqual([]);
    // The dimension stays the archive's.
    await expect(reopened.put({ id: 'x', paragraphs: ['نص'], vectors: [[1, 2]] })).rejects.toThrow(
      /has 2 dimensions; this archive's have 3/u,
    );
  });

  it('keeps the similarity its first vector was stored with, and refuses to be opened for another', async () => {
    const directory = await newDirectory();
    const archive = await open(directory, { vectorSimilarity: 'dot' });
    await archive.put({ id: 'long', paragraphs: ['نص'], vectors: [[3, 0]] });
    expect(archive.search('', { vector: [1, 0] }).hits[0]!.score).toBe(3);
    await archive.close();
    await expect(open(directory, { vectorSimilarity: 'cosine' })).rejects.toThrow(
      /compared by dot similarity, fixed by its first vector; it cannot be opened for cosine/u,
    );
    const reopened = await open(directory);
    expect(reopened.vectorSettings).toEqual({ dimensions: 2, similarity: 'dot' });
    expect(reopened.search('', { vector: [1, 0] }).hits[0]!.score).toBe(3);
  });

  it('lets the similarity change until the first vector is stored', async () => {
    const directory = await newDirectory();
    await (await open(directory, { vectorSimilarity: 'dot' })).close();
    const archive = await open(directory, { vectorSimilarity: 'cosine' });
    await archive.put({ id: 'long', paragraphs: ['نص'], vectors: [[3, 0]] });
    expect(archive.search('', { vector: [1, 0] }).hits[0]!.score).toBe(1);
  });

  it('a store of format 3 (no vectors table) is upgraded when opened to write, its text kept', async () => {
    const directory = await newDirectory();
    const archive = await open(directory);
    await archive.put(ARTICLES[2]);
    await archive.close();
    const db = new Database(join(directory, STORE_FILE));
    db.exec("DROP TABLE article_vectors; UPDATE meta SET value = '3' WHERE key = 'formatVersion'");
    db.close();
    const reader = await open(directory, { readonly: true });
    expect(reader.get('plain')?.paragraphs).toEqual(ARTICLES[2]!.paragraphs);
    await reader.close();
    const writer = await open(directory);
    await writer.put(ARTICLES[0]);
    expect(writer.search('', { vector: [1, 0, 0] }).hits[0]!.id).toBe('oil');
    await writer.close();
    const upgraded = new Database(join(directory, STORE_FILE), { readonly: true });
    expect(upgraded.prepare("SELECT value FROM meta WHERE key = 'formatVersion'").get()).toEqual({
      value: String(STORE_FORMAT_VERSION),
    });
    upgraded.close();
  });

  it('search replicas answer vector, hybrid and related searches as the archive does', async () => {
    const directory = await newDirectory();
    const archive = await open(directory);
    await archive.put(ARTICLES);
    const expected = [
      archive.search('', { vector: [0.5, 0.5, 0] }),
      archive.search('أسعار', { vector: [0, 1, 0] }),
    ].map(({ total, hits }) => ({ total, hits }));
    const related = archive.related('oil', 0);
    const replicas = await archive.startSearchReplicas({ count: 1 });
    cleanups.push(() => replicas.close());
    const answered = await Promise.all([
      replicas.search('', { vector: [0.5, 0.5, 0] }),
      replicas.search('أسعار', { vector: [0, 1, 0] }),
    ]);
    expect(answered.map(({ total, hits }) => ({ total, hits }))).toEqual(expected);
    expect({ ...(await replicas.related('oil', 0)), tookMs: 0 }).toEqual({ ...related, tookMs: 0 });
    // A write is searched by vector on the replica once it resolves.
    await archive.put({ id: 'sport', paragraphs: ['فاز الفريق'], vectors: [[0, 0, 1]] });
    expect((await replicas.search('', { vector: [0, 0, 1], k: 1 })).hits[0]!.id).toBe('sport');
  });
});
