/** What the tests of `PersistentArchive` share: three articles, a reader's view, archives opened per test. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ANALYZER_VERSION } from '../../src/analysis/analyze.js';
import { SNAPSHOT_FILE } from '../../src/archive/archive-directory.js';
import type { Article } from '../../src/article/article.js';
import { PersistentArchive, type PersistentArchiveOptions } from '../../src/archive/persistent-archive.js';
import { readSnapshot, SNAPSHOT_FORMAT_VERSION } from '../../src/storage/snapshot.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

export const ARTICLES: readonly Article[] = [
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
export function view(archive: PersistentArchive) {
  const ids = (query: string) =>
    archive.search(query, { limit: 100 }).hits.map((hit) => `${hit.id}#${hit.para}`);
  return {
    stats: archive.stats(),
    articles: [...archive.archive.all()].sort((a, b) => a.id.localeCompare(b.id)),
    searches: ['أسعار', 'النفط', 'السيول', 'الطوارئ', 'منازلهم', 'الذهب'].map((query) => [query, ids(query)]),
  };
}

/**
 * For a test file: opens archives and makes directories that are closed and deleted after each test
 * (registered with `afterEach` where it is called).
 */
export function archivesClosedAfterEach() {
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

  return { open, savedArchive, newDirectory };
}

/** The header of a directory's snapshot manifest, checked as the archive checks it. */
export async function readSnapshotOf(directory: string) {
  const text = await readFile(join(directory, SNAPSHOT_FILE), 'utf8');
  const { storeId } = JSON.parse(text.split('\n')[0]!) as { storeId: string };
  const header = await readSnapshot(join(directory, SNAPSHOT_FILE), {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    analysis: { stem: true, stopWords: true },
    storeId,
  });
  return { header };
}
