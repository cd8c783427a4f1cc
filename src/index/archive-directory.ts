import { join } from 'node:path';
import { ANALYZER_VERSION, DEFAULT_ANALYSIS_OPTIONS } from '../analysis/analyze.js';
import { Archive } from './archive.js';
import type { ArticleStore } from './article-store.js';
import type { ParagraphIndexOptions } from './paragraph-index.js';
import {
  readSnapshot,
  SNAPSHOT_FORMAT_VERSION,
  SnapshotError,
  type SnapshotHeader,
  writeSnapshot,
} from './snapshot.js';

/** The files of an archive directory. */
export const STORE_FILE = 'articles.sqlite';
export const SNAPSHOT_FILE = 'index.snapshot';

/** How an archive was loaded from its directory. */
export interface LoadedArchive {
  archive: Archive;
  /** Store position the in-memory archive is at. */
  position: number;
  /** Position of the snapshot it started from; `undefined` when it was rebuilt from the store. */
  snapshotPosition: number | undefined;
  /** Articles re-indexed because they changed after the snapshot (all of them on a rebuild). */
  reindexed: number;
}

/** What writing a snapshot did. */
export interface SaveReport {
  /** Store position the snapshot covers. */
  position: number;
  paragraphs: number;
  bytes: number;
  ms: number;
}

/** The header fields a snapshot must have for this program to use it. */
export function expectedSnapshot(options: ParagraphIndexOptions, storeId: string) {
  const analysis = { ...DEFAULT_ANALYSIS_OPTIONS, ...options.analysis };
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    analysis: { stem: analysis.stem, stopWords: analysis.stopWords },
    storeId,
  };
}

/**
 * Loads the archive of a directory: its snapshot brought up to date from the store, or, when the
 * snapshot is missing, outdated, truncated, corrupt or of another store, a rebuild from the store.
 *
 * - A snapshot is never served wrong: besides its checksum, its paragraph count must match the store's.
 * - `warn` gets one line saying why a snapshot was not used (nothing when there simply is none).
 */
export async function loadArchive(
  directory: string,
  store: ArticleStore,
  options: ParagraphIndexOptions,
  warn: (line: string) => void,
): Promise<LoadedArchive> {
  const file = join(directory, SNAPSHOT_FILE);
  try {
    const { header, index } = await readSnapshot(file, expectedSnapshot(options, store.storeId));
    const state = store.read(header.position);
    if (header.position > state.position) {
      throw new SnapshotError(
        'corrupt',
        `snapshot ${file} covers store position ${header.position}, but the store is at ${state.position}`,
      );
    }
    const archive = Archive.restore(index, state.articles, state.changedIds, options);
    const expected = countParagraphs(state.articles);
    if (archive.stats().paragraphs !== expected) {
      throw new SnapshotError(
        'corrupt',
        `snapshot ${file} does not match the store (${archive.stats().paragraphs} paragraphs indexed, ${expected} stored)`,
      );
    }
    return {
      archive,
      position: state.position,
      snapshotPosition: header.position,
      reindexed: state.changedIds.size,
    };
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    if (error.problem !== 'missing') warn(`${error.message}; rebuilding the index from the store`);
  }
  const state = store.read();
  const archive = new Archive(options);
  for (const article of state.articles) archive.put(article);
  return { archive, position: state.position, snapshotPosition: undefined, reindexed: state.articles.length };
}

/** Writes the snapshot of an archive that is at `position` in its store. */
export async function saveArchive(
  directory: string,
  archive: Archive,
  position: number,
  options: ParagraphIndexOptions,
  storeId: string,
): Promise<SaveReport> {
  const started = performance.now();
  const { paragraphs } = archive.stats();
  const header: SnapshotHeader = {
    ...expectedSnapshot(options, storeId),
    position,
    paragraphs,
    createdAt: new Date().toISOString(),
  };
  const bytes = await writeSnapshot(join(directory, SNAPSHOT_FILE), header, archive.snapshot());
  return { position, paragraphs, bytes, ms: Math.round(performance.now() - started) };
}

/** Paragraphs an archive of these articles indexes: blank ones are skipped. */
function countParagraphs(articles: Iterable<{ paragraphs: readonly string[] }>): number {
  let count = 0;
  for (const article of articles) for (const text of article.paragraphs) if (text.trim() !== '') count += 1;
  return count;
}
