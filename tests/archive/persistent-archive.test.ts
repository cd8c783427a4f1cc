import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArshifError } from '../../src/errors.js';
import { STORE_FILE } from '../../src/archive/archive-directory.js';
import type { Article } from '../../src/article/article.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import type { StoreWriter } from '../../src/storage/store-writer.js';
import { ARTICLES, archivesClosedAfterEach, readSnapshotOf, view } from './persistent-archive-fixture.js';

const { open, savedArchive, newDirectory } = archivesClosedAfterEach();

describe('PersistentArchive: writes survive closing and reopening', () => {
  it('a new directory opens empty, and what is put is found after reopening, from the snapshot', async () => {
    const directory = await newDirectory();
    const first = await open(directory);
    expect(first.archive.stats()).toEqual({ articles: 0, paragraphs: 0 });
    expect(await first.archive.put(ARTICLES)).toHaveLength(3);
    const before = view(first.archive);
    await first.archive.save();
    await first.archive.close();

    const second = await open(directory);
    expect(second.archive.opened).toMatchObject({ from: 'snapshot', reindexed: 0 });
    expect(second.logged).toEqual([]);
    expect(view(second.archive)).toEqual(before);
    expect(second.archive.get('oil')).toEqual(ARTICLES[0]);
  });

  it('replaces and deletes made after the snapshot are applied on reopening, only they re-indexed', async () => {
    const directory = await newDirectory();
    const first = await open(directory);
    await first.archive.put(ARTICLES);
    await first.archive.save();
    await first.archive.put({
      id: 'flood',
      title: 'تحديث',
      paragraphs: ['انحسرت المياه وعاد السكان إلى منازلهم.'],
    });
    expect(await first.archive.remove('gold')).toBe(true);
    await first.archive.put({ id: 'late', paragraphs: ['ارتفعت أسعار القمح.'] });
    const before = view(first.archive);
    await first.archive.close();

    const second = await open(directory);
    expect(second.archive.opened).toMatchObject({ from: 'snapshot', reindexed: 2 });
    expect(view(second.archive)).toEqual(before);
    expect(second.archive.search('السيول').total).toBe(0);
    expect(second.archive.search('الذهب').total).toBe(0);
    expect(second.archive.get('gold')).toBeUndefined();
    expect(second.archive.search('منازلهم').hits.map((hit) => hit.id)).toEqual(['flood']);
  });

  it('filters and date sorting answer the same on an archive reopened from facts and segments', async () => {
    const directory = await newDirectory();
    const first = await open(directory);
    const articles: Article[] = [
      ...ARTICLES,
      {
        id: 'late',
        published: '2024-03-01T08:00:00Z',
        source: 'وكالة الانباء',
        section: 'اقتصاد',
        title: 'القمح',
        paragraphs: ['ارتفعت أسعار القمح.'],
      },
      {
        id: 'early',
        published: '2023-12-31',
        source: 'صحيفة',
        section: 'اقتصاد',
        title: 'السكر',
        paragraphs: ['ارتفعت أسعار السكر.'],
      },
    ];
    await first.archive.put(articles);
    const searches = [
      {},
      { source: 'وكالة الأنباء' },
      { section: 'اقتصاد', sort: 'date' },
      { from: '2024-01-01', to: '2024-02-01' },
      { from: '2024-03-01' },
    ] as const;
    const answers = (archive: PersistentArchive) =>
      searches.map((options) =>
        archive.search('أسعار', options).hits.map((hit) => [hit.id, hit.para, hit.text]),
      );
    const before = answers(first.archive);
    expect(before[1]!.map(([id]) => id).sort()).toEqual(['late', 'oil']);
    expect(before[2]!.map(([id]) => id)).toEqual(['late', 'early']);
    await first.archive.save();
    await first.archive.close();

    const second = await open(directory);
    expect(second.archive.opened).toMatchObject({ from: 'snapshot', reindexed: 0 });
    expect(answers(second.archive)).toEqual(before);
    expect(second.archive.get('late')).toEqual(articles[3]);
  });

  it('a hit and get show an article as it is now, replaced after it was read', async () => {
    const directory = await savedArchive();
    const { archive } = await open(directory);
    expect(archive.search('الذهب').hits[0]?.text).toBe('تراجعت أسعار الذهب اليوم.');
    await archive.put({ id: 'gold', title: 'المعادن', paragraphs: ['ارتفع الذهب بعد هبوط.'] });
    expect(archive.search('الذهب').hits.map((hit) => hit.text)).toEqual(['ارتفع الذهب بعد هبوط.']);
    expect(archive.get('gold')?.paragraphs).toEqual(['ارتفع الذهب بعد هبوط.']);
    await archive.remove('gold');
    expect(archive.get('gold')).toBeUndefined();
  });

  it('without any snapshot the index is rebuilt from the store, then saved', async () => {
    const directory = await newDirectory();
    const first = await open(directory);
    await first.archive.put(ARTICLES);
    const before = view(first.archive);
    await first.archive.close();

    const second = await open(directory);
    expect(second.archive.opened).toMatchObject({ from: 'store', reindexed: 3 });
    expect(second.logged).toEqual([]);
    expect(view(second.archive)).toEqual(before);
    const { header } = await readSnapshotOf(directory);
    expect(header).toMatchObject({ position: 3, paragraphs: 5 });
  });

  it('a rejected array stores nothing and names the bad article and field', async () => {
    const directory = await newDirectory();
    const { archive } = await open(directory);
    await archive.put(ARTICLES[1]);
    const error = await archive
      .put([ARTICLES[0], { id: 'bad', published: '2024-13-01', paragraphs: ['نص'] }])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ArshifError);
    expect((error as ArshifError).code).toBe('INVALID_ARTICLE');
    expect((error as ArshifError).message).toMatch(/^article 2 of 2 \(id "bad"\): field "published"/u);
    expect(archive.stats()).toEqual({ articles: 1, paragraphs: 1 });
    await archive.close();
    const reopened = await open(directory);
    expect(reopened.archive.get('oil')).toBeUndefined();
    expect(reopened.archive.stats()).toEqual({ articles: 1, paragraphs: 1 });
  });

  it('a bulk batch, analysed while the store writes it, is not indexed when the store fails it', async () => {
    const { archive } = await open(await newDirectory());
    // 1,200 paragraphs: a batch built into segments of its own, not through the live segment.
    const bulk = Array.from({ length: 120 }, (_, n) => ({
      id: `quake-${n}`,
      title: 'زلزال',
      paragraphs: Array.from({ length: 10 }, (_, para) => `ضرب زلزال المنطقة ${n} ${para}`),
    }));
    const writer = (archive as unknown as { writer: StoreWriter }).writer;
    const write = writer.write;
    writer.write = () => Promise.reject(new ArshifError('IO_ERROR', 'the disk is full'));
    await expect(archive.putAll(bulk)).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(archive.stats()).toEqual({ articles: 0, paragraphs: 0 });
    expect(archive.search('زلزال').total).toBe(0);
    writer.write = write;
    await archive.putAll(bulk);
    expect(archive.stats()).toEqual({ articles: 120, paragraphs: 1_200 });
    expect(archive.search('زلزال', { limit: 5 }).total).toBeGreaterThanOrEqual(120);
  });

  it('refuses writes once closed', async () => {
    const { archive } = await open(await newDirectory());
    await archive.close();
    await expect(archive.put(ARTICLES[0])).rejects.toThrow(/closed/u);
  });

  it('a directory whose store is not an Arshif store is refused with BAD_INDEX, not overwritten', async () => {
    const directory = await newDirectory();
    await writeFile(join(directory, STORE_FILE), 'this is not a database, but someone’s notes'.repeat(200));
    await expect(PersistentArchive.open(directory)).rejects.toMatchObject({ code: 'BAD_INDEX' });
    expect(await readFile(join(directory, STORE_FILE), 'utf8')).toMatch(/^this is not a database/u);
  });

  it('with create: false, a directory without an archive is NOT_FOUND', async () => {
    await expect(
      PersistentArchive.open(join(await newDirectory(), 'typo'), { create: false }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
