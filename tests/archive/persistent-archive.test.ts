import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ANALYZER_VERSION } from '../../src/analysis/analyze.js';
import { ArshifError } from '../../src/errors.js';
import { SEGMENTS_DIRECTORY, SNAPSHOT_FILE, STORE_FILE } from '../../src/archive/archive-directory.js';
import { STORE_FORMAT_VERSION } from '../../src/storage/sqlite-store.js';
import { LOCK_FILE } from '../../src/platform/directory-lock.js';
import type { Article } from '../../src/article/article.js';
import { PersistentArchive, type PersistentArchiveOptions } from '../../src/archive/persistent-archive.js';
import { readManifest, SNAPSHOT_FORMAT_VERSION } from '../../src/storage/commit-point.js';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { MERGE_FACTOR } from '../../src/search/search-engine.js';
import { temporaryDirectory } from '../temp-archive.js';

const ARTICLES: readonly Article[] = [
  {
    id: 'oil',
    title: 'أسواق الطاقة',
    published: '2024-01-15',
    source: 'وكالة الأنباء',
    paragraphs: ['ارتفعت أسعارُ النفط في الأسواق العالمية.', 'وتوقع محللون استمرار الارتفاع.'],
  },
  { id: 'gold', title: 'المعادن', paragraphs: ['تراجعت أسعار الذهب اليوم.'] },
  {
    id: 'flood',
    title: 'فيضانات',
    paragraphs: ['اجتاحت السيول القرى الجنوبية.', '', 'وأعلنت السلطات الطوارئ.'],
  },
];

/** What a reader sees of an archive: every article and the ids a few searches return. */
function view(archive: PersistentArchive) {
  const ids = (query: string) =>
    archive.search(query, { limit: 100 }).hits.map((hit) => `${hit.id}#${hit.para}`);
  return {
    stats: archive.stats(),
    articles: [...archive.archive.all()].sort((a, b) => a.id.localeCompare(b.id)),
    searches: ['أسعار', 'النفط', 'السيول', 'الطوارئ', 'منازلهم', 'الذهب'].map((query) => [query, ids(query)]),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Opens an archive in `directory` (closed after the test), recording what it logs. */
async function open(directory: string, options: PersistentArchiveOptions = {}) {
  const logged: string[] = [];
  const archive = await PersistentArchive.open(directory, {
    autoSave: false,
    log: (line) => logged.push(line),
    ...options,
  });
  cleanups.push(() => archive.close());
  return { archive, logged };
}

/** A directory holding ARTICLES, saved and closed. */
async function savedArchive(): Promise<string> {
  const directory = await newDirectory();
  const { archive } = await open(directory);
  await archive.put(ARTICLES);
  await archive.save();
  await archive.close();
  return directory;
}

async function newDirectory(): Promise<string> {
  const directory = await temporaryDirectory();
  cleanups.unshift(directory.remove);
  return directory.path;
}

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

async function readSnapshotOf(directory: string) {
  const text = await readFile(join(directory, SNAPSHOT_FILE), 'utf8');
  const { storeId } = JSON.parse(text.split('\n')[0]!) as { storeId: string };
  const header = await readManifest(join(directory, SNAPSHOT_FILE), {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    analysis: { stem: true, stopWords: true },
    storeId,
  });
  return { header };
}

/** Edits a manifest's JSON line, keeping its checksum line as it was. */
function editHeader(edit: (header: Record<string, unknown>) => void): (manifest: Buffer) => Buffer {
  return (manifest) => {
    const newline = manifest.indexOf(0x0a);
    const header = JSON.parse(manifest.subarray(0, newline).toString()) as Record<string, unknown>;
    edit(header);
    return Buffer.concat([Buffer.from(JSON.stringify(header)), manifest.subarray(newline)]);
  };
}

/** Edits a manifest and writes a matching checksum: only checks beyond the checksum can tell. */
function resealed(edit: (manifest: Buffer) => Buffer): (manifest: Buffer) => Buffer {
  return (manifest) => {
    const edited = edit(manifest);
    const line = edited.subarray(0, edited.indexOf(0x0a) + 1);
    return Buffer.concat([line, Buffer.from(`crc32 ${crc32(line).toString(16).padStart(8, '0')}\n`)]);
  };
}

/** Replaces the first occurrence of a text's UTF-8 bytes by another of the same length. */
function replaceBytes(from: string, to: string): (bytes: Buffer) => Buffer {
  return (bytes) => {
    const at = bytes.indexOf(Buffer.from(from));
    expect(at).toBeGreaterThan(0);
    const copy = Buffer.from(bytes);
    Buffer.from(to).copy(copy, at);
    return copy;
  };
}

/** The one segment file of a directory that was saved once. */
async function segmentFile(directory: string): Promise<string> {
  const names = await readdir(join(directory, SEGMENTS_DIRECTORY));
  expect(names).toHaveLength(1);
  return join(directory, SEGMENTS_DIRECTORY, names[0]!);
}

describe('PersistentArchive: a bad snapshot is rebuilt from the store, never served', () => {
  it.each<[string, 'manifest' | 'segment', (bytes: Buffer) => Buffer | undefined, RegExp]>([
    ['manifest truncated to half', 'manifest', (b) => b.subarray(0, b.length / 2), /truncated/u],
    ['manifest missing its last byte', 'manifest', (b) => b.subarray(0, -1), /truncated/u],
    [
      'manifest missing a byte in the middle',
      'manifest',
      (b) => Buffer.concat([b.subarray(0, b.indexOf('segments') + 3), b.subarray(b.indexOf('segments') + 4)]),
      /corrupt/u,
    ],
    ['manifest emptied', 'manifest', () => Buffer.alloc(0), /truncated/u],
    ['manifest with a byte flipped', 'manifest', (b) => flipByte(b), /corrupt/u],
    ['not a manifest at all', 'manifest', () => Buffer.from([0xff, 0x00, 0x13, 0x37, 0x0a]), /truncated/u],
    [
      'from an older analyzer',
      'manifest',
      editHeader((h) => (h.analyzerVersion = ANALYZER_VERSION - 1)),
      /analyzer/u,
    ],
    ['of another format version', 'manifest', editHeader((h) => (h.formatVersion = 1)), /format/u],
    [
      'built without stemming',
      'manifest',
      editHeader((h) => (h.analysis = { stem: false, stopWords: true })),
      /analysis/u,
    ],
    ['of another archive', 'manifest', editHeader((h) => (h.storeId = 'someone-else')), /another archive/u],
    [
      'claiming a position the store has not reached (checksum recomputed)',
      'manifest',
      resealed(editHeader((h) => (h.position = 999))),
      /position 999/u,
    ],
    [
      'whose manifest miscounts its paragraphs (checksum recomputed)',
      'manifest',
      resealed(editHeader((h) => (h.paragraphs = 4))),
      /counts 4 paragraphs/u,
    ],
    [
      'naming a segment file that is not there (checksum recomputed)',
      'manifest',
      resealed(replaceBytes('.seg', '.sex')),
      /cannot read segment/u,
    ],
    ['with its segment truncated', 'segment', (b) => b.subarray(0, b.length - 100), /truncated/u],
    [
      'with one indexed word changed in its segment',
      'segment',
      replaceBytes('السيول', 'السيوف'),
      /checksum/u,
    ],
    ['with a byte of its segment flipped', 'segment', (b) => flipByte(b), /checksum/u],
    ['with its segment file deleted', 'segment', () => undefined, /cannot read segment/u],
  ])('a snapshot %s is detected, logged in one line and rebuilt', async (_name, target, damage, reason) => {
    const directory = await newDirectory();
    const first = await open(directory);
    await first.archive.put(ARTICLES);
    await first.archive.save();
    const before = view(first.archive);
    await first.archive.close();
    const file = target === 'manifest' ? join(directory, SNAPSHOT_FILE) : await segmentFile(directory);
    const damaged = damage(await readFile(file));
    if (damaged === undefined) await rm(file);
    else await writeFile(file, damaged);

    const second = await open(directory);
    expect(second.archive.opened.from).toBe('store');
    expect(second.logged).toHaveLength(1);
    expect(second.logged[0]).toMatch(reason);
    expect(second.logged[0]).toMatch(/rebuilding the index from the store$/u);
    expect(second.logged[0]).not.toMatch(/\n/u);
    expect(view(second.archive)).toEqual(before);
    await second.archive.close();

    const third = await open(directory);
    expect(third.archive.opened.from).toBe('snapshot');
    expect(third.logged).toEqual([]);
    expect(view(third.archive)).toEqual(before);
  });

  it('a store edited behind the snapshot (same position, other paragraphs) is detected and rebuilt', async () => {
    const directory = await savedArchive();
    const db = new Database(join(directory, STORE_FILE));
    db.prepare('UPDATE articles SET doc = ? WHERE id = ?').run(
      JSON.stringify({ id: 'gold', title: 'المعادن', paragraphs: ['الذهب.', 'الفضة.'] }),
      'gold',
    );
    db.close();

    const second = await open(directory);
    expect(second.archive.opened.from).toBe('store');
    expect(second.logged).toEqual([expect.stringMatching(/does not match the store/u)]);
    expect(second.archive.search('الفضة').hits.map((hit) => `${hit.id}#${hit.para}`)).toEqual(['gold#1']);
  });
});

/** Flips one byte in the middle. */
function flipByte(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  const middle = Math.floor(copy.length / 2);
  copy[middle] = copy[middle]! ^ 0x20;
  return copy;
}

describe('PersistentArchive: one writer per directory', () => {
  it('a second writer is refused while the first is open, and admitted once it closes', async () => {
    const directory = await newDirectory();
    const first = await open(directory);
    await expect(PersistentArchive.open(directory)).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringMatching(/already open for writing/u),
    });
    await first.archive.put(ARTICLES[0]);
    await first.archive.close();
    const second = await open(directory);
    expect(second.archive.get('oil')).toEqual(ARTICLES[0]);
  });

  it('a lock held by another live process is refused with its pid; one of a dead process is taken over', async () => {
    const directory = await newDirectory();
    await (await open(directory)).archive.close();
    await writeFile(join(directory, LOCK_FILE), `${process.ppid}\n`);
    await expect(PersistentArchive.open(directory)).rejects.toThrow(
      `open for writing by process ${process.ppid}`,
    );

    const exited = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
    await writeFile(join(directory, LOCK_FILE), `${exited.pid}\n`);
    const { archive } = await open(directory);
    await archive.put(ARTICLES[1]);
    expect(archive.stats().articles).toBe(1);
  });

  it('a lock naming this very pid, left by an earlier process (a restarted container), is taken over', async () => {
    const directory = await newDirectory();
    await (await open(directory)).archive.close();
    await writeFile(join(directory, LOCK_FILE), `${process.pid}\n`);
    const { archive } = await open(directory);
    await archive.put(ARTICLES[1]);
    expect(archive.get('gold')).toEqual(ARTICLES[1]);
  });

  it('a read-only archive opens beside the writer, sees what was written before, and refuses writes', async () => {
    const directory = await newDirectory();
    const writer = await open(directory);
    await writer.archive.put(ARTICLES);
    const reader = await open(directory, { readonly: true });
    expect(view(reader.archive)).toEqual(view(writer.archive));
    await expect(reader.archive.put(ARTICLES[0])).rejects.toMatchObject({ code: 'WRITES_DISABLED' });
    await expect(reader.archive.save()).rejects.toMatchObject({ code: 'WRITES_DISABLED' });
    await reader.archive.close();
    await writer.archive.put({ id: 'after', paragraphs: ['نص لاحق'] });
  });
});

describe('PersistentArchive: the store format', () => {
  it('a store of format 1 (no article facts) opens read-only as it is, and is upgraded when opened to write', async () => {
    const directory = await savedArchive();
    const db = new Database(join(directory, STORE_FILE));
    db.exec(
      "DROP TRIGGER article_edited; DROP TABLE article_facts; UPDATE meta SET value = '1' WHERE key = 'formatVersion'",
    );
    db.close();
    const filtered = (archive: PersistentArchive) =>
      archive.search('أسعار', { source: 'وكالة الانباء' }).hits.map((hit) => hit.id);

    const reader = await open(directory, { readonly: true });
    expect(reader.archive.opened.from).toBe('snapshot');
    expect(filtered(reader.archive)).toEqual(['oil']);
    await reader.archive.close();

    const writer = await open(directory);
    expect(writer.archive.opened.from).toBe('snapshot');
    expect(filtered(writer.archive)).toEqual(['oil']);
    await writer.archive.close();
    const upgraded = new Database(join(directory, STORE_FILE), { readonly: true });
    expect(upgraded.prepare("SELECT value FROM meta WHERE key = 'formatVersion'").get()).toEqual({
      value: String(STORE_FORMAT_VERSION),
    });
    expect(upgraded.prepare('SELECT id, day, paragraphs FROM article_facts ORDER BY position').all()).toEqual(
      [
        { id: 'oil', day: '2024-01-15', paragraphs: 2 },
        { id: 'gold', day: null, paragraphs: 1 },
        { id: 'flood', day: null, paragraphs: 2 },
      ],
    );
    upgraded.close();
  });

  it('acronyms learned from the articles are kept with them, and a store of format 2 learns them when upgraded', async () => {
    const definitions = [1, 2, 3].map((n) => ({
      id: `defines-${n}`,
      paragraphs: [`أعلنت هيئة تحرير الشام (هتش) في بيانها رقم ${n} وقف القتال.`],
    }));
    const learned = (archive: PersistentArchive) =>
      archive.archive.synonymGroups().filter((group) => group.source === 'learned');
    const expected = [{ forms: ['هتش', 'هيئة تحرير الشام'], source: 'learned', evidence: 3 }];
    const directory = await newDirectory();
    const first = await open(directory);
    await first.archive.put(definitions);
    await first.archive.save();
    expect(learned(first.archive)).toEqual(expected);
    await first.archive.close();
    const reopened = await open(directory, { readonly: true });
    expect(learned(reopened.archive)).toEqual(expected);
    await reopened.archive.close();

    const db = new Database(join(directory, STORE_FILE));
    db.exec(
      "ALTER TABLE article_facts DROP COLUMN acronyms; UPDATE meta SET value = '2' WHERE key = 'formatVersion'",
    );
    db.close();
    const upgraded = await open(directory);
    expect(learned(upgraded.archive)).toEqual(expected);
    await upgraded.archive.close();
  });

  it('a read-only archive whose articles another process replaces meanwhile skips the paragraphs gone', async () => {
    const directory = await newDirectory();
    const writer = await open(directory);
    await writer.archive.put(ARTICLES);
    const reader = await open(directory, { readonly: true });
    await writer.archive.put({ id: 'oil', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط.'] });
    const hits = reader.archive.search('الارتفاع').hits;
    expect(hits).toEqual([]);
    expect(reader.archive.search('أسعار').hits.map((hit) => hit.text)).toContain('ارتفعت أسعار النفط.');
  });
});

describe('PersistentArchive: background snapshots', () => {
  it('refreshes the snapshot in a worker thread after enough writes', async () => {
    const directory = await newDirectory();
    const saved = new Promise<string>((resolve) => {
      void open(directory, {
        autoSave: { changes: 3, delayMs: 60_000 },
        log: (line) => {
          if (line.startsWith('snapshot saved')) resolve(line);
        },
      }).then(async ({ archive }) => {
        await archive.put(ARTICLES[0]);
        await archive.put(ARTICLES[1]);
        await archive.put(ARTICLES[2]);
        expect(archive.search('أسعار').total).toBe(2);
      });
    });
    expect(await saved).toMatch(/^snapshot saved: 5 paragraphs up to store position 3 /u);
    const { header } = await readSnapshotOf(directory);
    expect(header).toMatchObject({ position: 3, paragraphs: 5 });
  });

  it('refresh() writes the snapshot in a worker: searches answer while it runs, calls join one refresh', async () => {
    const directory = await newDirectory();
    const { archive } = await open(directory);
    await archive.put(ARTICLES);
    let settled = false;
    const first = archive.refresh();
    void first.then(() => (settled = true));
    expect(archive.refresh()).toBe(first);
    expect(archive.search('السيول').hits.map((hit) => hit.id)).toEqual(['flood']);
    expect(settled).toBe(false);
    expect(await first).toMatchObject({ position: 3, paragraphs: 5 });
    expect((await readSnapshotOf(directory)).header.position).toBe(3);
  });

  it('a burst of writes that seals in this thread while a worker seals loses nothing and fails nothing', async () => {
    const directory = await newDirectory();
    const { archive, logged } = await open(directory, { liveLimit: 3 });
    await archive.put(ARTICLES[0]);
    const refreshing = archive.refresh();
    // Three more paragraphs reach the live limit: sealed in this thread, the worker's segment comes too late.
    await archive.put([ARTICLES[1], ARTICLES[2]]);
    expect(await refreshing).toMatchObject({ position: 1 });
    expect(logged.filter((line) => line.includes('failed'))).toEqual([]);
    const before = view(archive);
    await archive.save();
    await archive.close();
    const reopened = await open(directory);
    expect(reopened.archive.opened).toMatchObject({ from: 'snapshot', reindexed: 0 });
    expect(view(reopened.archive)).toEqual(before);
  });

  it('merges small segments in a worker as refreshes come, keeping every paragraph and the files in step', async () => {
    const directory = await newDirectory();
    const articles: Article[] = [];
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    const { archive, logged } = await open(directory, { liveLimit: 2 });
    // Sealed in this thread every two paragraphs: dozens of small segments.
    for (const article of articles) await archive.put(article);
    await archive.remove(articles[4]!.id);
    const segmentsBefore = archive.archive.compactSegments().length;
    expect(segmentsBefore).toBeGreaterThanOrEqual(3 * MERGE_FACTOR);
    const before = view(archive);
    // Each refresh merges one group of segments of a size tier.
    for (let refresh = 0; refresh < 4; refresh += 1) await archive.refresh();
    expect(archive.archive.compactSegments().length).toBeLessThanOrEqual(
      segmentsBefore - 3 * (MERGE_FACTOR - 1),
    );
    expect(view(archive)).toEqual(before);
    expect(logged.filter((line) => line.includes('failed'))).toEqual([]);
    const { header } = await readSnapshotOf(directory);
    expect((await readdir(join(directory, SEGMENTS_DIRECTORY))).length).toBe(header.segments.length);
    await archive.close();
    const reopened = await open(directory);
    expect(reopened.archive.opened.from).toBe('snapshot');
    expect(view(reopened.archive)).toEqual(before);
  });

  it('refreshes after the delay when fewer writes came', async () => {
    const directory = await newDirectory();
    const logged: string[] = [];
    const { archive } = await open(directory, {
      autoSave: { changes: 1000, delayMs: 20 },
      log: (line) => logged.push(line),
    });
    await archive.put(ARTICLES[1]);
    for (let waited = 0; logged.length === 0 && waited < 20_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(logged).toEqual([expect.stringMatching(/^snapshot saved: 1 paragraphs up to store position 1/u)]);
  });
});
