import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';
import { Archive } from '../../src/archive/archive.js';
import { type SearchResponse } from '../../src/archive/archive-search.js';
import type { Article } from '../../src/article/article.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { MAX_WAITING_SEARCHES, SearchReplicas } from '../../src/archive/search-replicas.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

const QUERIES = ['أسعار النفط', 'الانتخابات', 'المغرب', 'كرة القدم', '"وزارة الصحة"', 'الحكومة -النفط'];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sampleArticles(): Promise<Article[]> {
  const articles: Article[] = [];
  for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
  return articles;
}

/** A persistent archive of the sample corpus with one search replica. */
async function replicated() {
  const directory = await temporaryDirectory();
  const archive = await PersistentArchive.open(directory.path, { autoSave: false });
  await archive.put(await sampleArticles());
  const replicas = await archive.startSearchReplicas({ count: 1 });
  cleanups.push(async () => {
    await replicas.close();
    await archive.close();
    await directory.remove();
  });
  return { archive, replicas };
}

const outcome = ({ total, hits }: SearchResponse) => ({
  total,
  hits: hits.map(({ id, para, score, text, snippet }) => [id, para, score, text, snippet]),
});

/** Every query at once, so that the replica answers some and the main thread the others. */
async function answers(reader: { search: SearchReplicas['search'] }) {
  return (await Promise.all(QUERIES.map((query) => reader.search(query, { limit: 20 })))).map(outcome);
}

describe('SearchReplicas: searches answered by worker threads', () => {
  it('answer exactly as the archive does, hits read from the store', async () => {
    const { archive, replicas } = await replicated();
    expect(replicas.size).toBe(1);
    const expected = QUERIES.map((query) => outcome(archive.search(query, { limit: 20 })));
    expect(expected.some(({ total }) => total > 0)).toBe(true);
    expect(await answers(replicas)).toEqual(expected);
  });

  it('see every write resolved before the search, through seals and removals', async () => {
    const { archive, replicas } = await replicated();
    // Three edits apart, so that no search finds another's article by a one-edit expansion.
    const word = (n: number) => `marker${String(n).padStart(2, '0').repeat(3)}`;
    for (let n = 0; n < 12; n += 1) {
      await archive.put({ id: `fresh-${n}`, title: 'جديد', paragraphs: [`${word(n)} في خبر جديد`] });
      // The first search of a quiet pool goes to the replica.
      expect((await replicas.search(word(n))).hits.map((hit) => hit.id)).toEqual([`fresh-${n}`]);
      if (n % 4 === 3) await archive.refresh();
    }
    // Sealed by the worker into shared memory: the replica shares the segment rather than copies it.
    expect(archive.archive.engine.segments.compactSegments.at(-1)!.data.postingDocs.buffer).toBeInstanceOf(
      SharedArrayBuffer,
    );
    expect(await archive.remove('fresh-3')).toBe(true);
    expect((await replicas.search(word(3))).total).toBe(0);
    expect(await answers(replicas)).toEqual(
      QUERIES.map((query) => outcome(archive.search(query, { limit: 20 }))),
    );
  });

  it('writes published one batch at a time are merged as they come, and all are there after reopening', async () => {
    const { archive, replicas } = await replicated();
    const before = archive.archive.engine.segments.compactSegments.length;
    const marker = (n: number) => `publ${String(n).padStart(2, '0').repeat(3)}`;
    // Two waves of concurrent writes, each a few published batches of a few articles.
    for (const wave of [0, 1]) {
      await Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          archive.put({ id: `pub-${wave}-${n}`, title: 'نشر', paragraphs: [`${marker(wave * 30 + n)} خبر`] }),
        ),
      );
    }
    for (const n of [0, 31, 59]) {
      const id = `pub-${Math.floor(n / 30)}-${n % 30}`;
      expect((await replicas.search(marker(n))).hits.map((hit) => hit.id)).toEqual([id]);
    }
    // The small segments the batches left are merged in the background, down to fewer than a tier's worth.
    await vi.waitFor(
      () => expect(archive.archive.engine.segments.compactSegments.length).toBeLessThan(before + 10),
      {
        timeout: 10_000,
      },
    );
    await archive.refresh();
    const { directory } = archive;
    const stats = archive.stats();
    await replicas.close();
    await archive.close();
    const reopened = await PersistentArchive.open(directory, { readonly: true });
    expect(reopened.stats()).toEqual(stats);
    expect(reopened.search(marker(45)).hits.map((hit) => hit.id)).toEqual(['pub-1-15']);
    await reopened.close();
  });

  it(`refuses a search past ${MAX_WAITING_SEARCHES} waiting with OVERLOADED, and serves again once they drain`, async () => {
    const { replicas } = await replicated();
    const waiting: Promise<unknown>[] = [];
    let refused: unknown;
    for (let n = 0; n <= MAX_WAITING_SEARCHES && refused === undefined; n += 1) {
      try {
        waiting.push(Promise.resolve(replicas.search('النفط')));
      } catch (error) {
        refused = error;
      }
    }
    expect(waiting).toHaveLength(MAX_WAITING_SEARCHES);
    expect(refused).toMatchObject({ name: 'ArshifError', code: 'OVERLOADED' });
    await Promise.all(waiting);
    expect((await replicas.search('النفط')).total).toBeGreaterThan(0);
  });

  it('a bad search option is the same ArshifError from a replica as from the archive', async () => {
    const { replicas } = await replicated();
    await expect(Promise.resolve(replicas.search('النفط', { limit: 500 }))).rejects.toMatchObject({
      name: 'ArshifError',
      code: 'BAD_PARAMETER',
    });
  });

  it('started without waiting, the main thread answers until a replica has loaded, writes included', async () => {
    const directory = await temporaryDirectory();
    const archive = await PersistentArchive.open(directory.path, { autoSave: false });
    await archive.put(await sampleArticles());
    const replicas = await archive.startSearchReplicas({ count: 1, awaitReady: false });
    cleanups.push(async () => {
      await replicas.close();
      await archive.close();
      await directory.remove();
    });
    const expected = QUERIES.map((query) => outcome(archive.search(query, { limit: 20 })));
    // Answered in this thread, at once: not a promise of a worker's answer.
    const early = replicas.search(QUERIES[0]!, { limit: 20 });
    expect(early).not.toBeInstanceOf(Promise);
    expect(outcome(early as SearchResponse)).toEqual(expected[0]);
    // A write made while the replica loads is in what it answers once ready.
    await archive.put({ id: 'while-loading', title: 'جديد', paragraphs: ['markerloading في خبر جديد'] });
    await replicas.searchable();
    await replicas.whenReady();
    expect(replicas.size).toBe(1);
    const late = replicas.search('markerloading');
    expect(late).toBeInstanceOf(Promise);
    expect((await late).hits.map((hit) => hit.id)).toEqual(['while-loading']);
    expect(await answers(replicas)).toEqual(
      QUERIES.map((query) => outcome(archive.search(query, { limit: 20 }))),
    );
  });

  it('an in-memory archive is replicated with its articles, and searches go on after close', async () => {
    const archive = new Archive();
    archive.putMany(await sampleArticles());
    const replicas = await SearchReplicas.start(archive, { count: 1 });
    const expected = QUERIES.map((query) => outcome(archive.search(query, { limit: 20 })));
    expect(await answers(replicas)).toEqual(expected);
    await replicas.close();
    expect(replicas.size).toBe(0);
    expect(await answers(replicas)).toEqual(expected);
  });
});
