/** The files of an archive directory: loading an archive from its snapshot and store, saving its segments and snapshot. */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ANALYZER_VERSION, DEFAULT_ANALYSIS_OPTIONS } from '../analysis/analyze.js';
import { CompactSegment } from '../search/segments.js';
import { Archive, type ArchiveEngineOptions } from './archive.js';
import { type ArticleStore, textReaders } from '../storage/article-store.js';
import {
  type Snapshot,
  readSnapshot,
  SNAPSHOT_FORMAT_VERSION,
  SnapshotError,
  writeSnapshot,
} from '../storage/snapshot.js';
import { readSegmentFile, writeSegmentFile } from '../storage/segment-file.js';

/** The files of an archive directory. */
export const STORE_FILE = 'articles.sqlite';
/** The snapshot file: which segment files make the index, and the store position it covers (see `storage/snapshot.ts`). */
export const SNAPSHOT_FILE = 'index.manifest';
export const SEGMENTS_DIRECTORY = 'segments';
/** The single-file snapshot of earlier versions, replaced by segments: removed when found. */
const LEGACY_SNAPSHOT_FILE = 'index.snapshot';

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
  /** Bytes of segment files written by this save (segments already on disk are not written again). */
  bytes: number;
  ms: number;
}

/** The file each compact segment was loaded from or saved to: a segment is written once. */
const segmentFiles = new WeakMap<CompactSegment, string>();

/** Records that a segment is already in a file of the archive directory. */
export function rememberSegmentFile(segment: CompactSegment, file: string): void {
  segmentFiles.set(segment, file);
}

/** A new segment file name, relative to the archive directory. */
export function newSegmentFile(): string {
  return `${SEGMENTS_DIRECTORY}/${Date.now().toString(36)}-${randomUUID().slice(0, 8)}.seg`;
}

/** The header fields a snapshot must have for this program to use it. */
export function expectedSnapshot(options: ArchiveEngineOptions, storeId: string) {
  const analysis = { ...DEFAULT_ANALYSIS_OPTIONS, ...options.analysis };
  return {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    analyzerVersion: ANALYZER_VERSION,
    analysis: { stem: analysis.stem, stopWords: analysis.stopWords },
    storeId,
  };
}

/**
 * Loads the archive of a directory: the segments its snapshot names brought up to date from the
 * store, or, when the snapshot or a segment is missing, outdated, truncated, corrupt or of another
 * store, a rebuild from the store.
 *
 * - A snapshot is never served wrong: besides the checksums, its paragraph count must match the store's.
 * - `warn` gets one line saying why a snapshot was not used (nothing when there simply is none).
 */
export async function loadArchive(
  directory: string,
  store: ArticleStore,
  options: ArchiveEngineOptions,
  warn: (line: string) => void,
): Promise<LoadedArchive> {
  const file = join(directory, SNAPSHOT_FILE);
  try {
    const snapshot = await readSnapshot(file, expectedSnapshot(options, store.storeId));
    const state = store.read(snapshot.position);
    if (snapshot.position > state.position) {
      throw new SnapshotError(
        'corrupt',
        `snapshot ${file} covers store position ${snapshot.position}, but the store is at ${state.position}`,
      );
    }
    const segments = await Promise.all(
      snapshot.segments.map(async ({ file: name, documents, deleted }) => {
        const data = await readSegmentFile(join(directory, name));
        if (data.docArticle.length !== documents) {
          throw new SnapshotError(
            'corrupt',
            `segment ${name} holds ${data.docArticle.length} paragraphs, not ${documents}`,
          );
        }
        const segment = new CompactSegment(data, deleted);
        rememberSegmentFile(segment, name);
        return segment;
      }),
    );
    const archive = Archive.restore(segments, state.facts, state.changed, {
      ...options,
      ...storeReaders(store),
    });
    const expected = state.facts.reduce((sum, facts) => sum + facts.paragraphs, 0);
    if (archive.stats().paragraphs !== expected) {
      throw new SnapshotError(
        'corrupt',
        `snapshot ${file} does not match the store (${archive.stats().paragraphs} paragraphs indexed, ${expected} stored)`,
      );
    }
    return {
      archive,
      position: state.position,
      snapshotPosition: snapshot.position,
      reindexed: state.changed.length,
    };
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    if (error.problem !== 'missing') warn(`${error.message}; rebuilding the index from the store`);
    else if ((await readdir(directory)).includes(LEGACY_SNAPSHOT_FILE)) {
      warn(
        `snapshot ${join(directory, LEGACY_SNAPSHOT_FILE)} is of an older format; rebuilding the index from the store`,
      );
    }
  }
  const state = store.read();
  const archive = new Archive({ ...options, ...storeReaders(store) });
  await archive.putAll(state.changed);
  return { archive, position: state.position, snapshotPosition: undefined, reindexed: state.changed.length };
}

/** How an archive reads what it does not keep in memory from its store: articles, vectors, their dimension. */
function storeReaders(store: ArticleStore) {
  const { dimensions } = store.vectorSettings();
  return {
    ...textReaders(store),
    readVectors: (id: string) => store.articleVectors(id),
    ...(dimensions === undefined ? {} : { vectorDimensions: dimensions }),
  };
}

/**
 * Saves the index of an archive that is at `position` in its store: seals its live segment, writes
 * every segment not yet in a file, then the snapshot file (the commit point) then removes the segment
 * files the previous snapshot named and this one does not.
 */
export async function saveArchive(
  directory: string,
  archive: Archive,
  position: number,
  options: ArchiveEngineOptions,
  storeId: string,
): Promise<SaveReport> {
  const started = performance.now();
  const segments = archive.sealedSegments();
  return commitSegments(directory, segments, position, options, storeId, started);
}

/** Writes the segments not yet in files and a snapshot naming them all (see {@link saveArchive}). */
export async function commitSegments(
  directory: string,
  segments: readonly CompactSegment[],
  position: number,
  options: ArchiveEngineOptions,
  storeId: string,
  started = performance.now(),
): Promise<SaveReport> {
  await mkdir(join(directory, SEGMENTS_DIRECTORY), { recursive: true });
  // All at once: each file's sync waits on the disk, and the others are written meanwhile.
  const sizes = await Promise.all(
    segments
      .filter((segment) => !segmentFiles.has(segment))
      .map(async (segment) => {
        const name = newSegmentFile();
        const size = await writeSegmentFile(join(directory, name), segment.data);
        segmentFiles.set(segment, name);
        return size;
      }),
  );
  const bytes = sizes.reduce((sum, size) => sum + size, 0);
  const snapshotFile = join(directory, SNAPSHOT_FILE);
  const previous = await readSnapshot(snapshotFile, expectedSnapshot(options, storeId)).catch(
    () => undefined,
  );
  const paragraphs = segments.reduce((sum, segment) => sum + segment.liveCount, 0);
  const snapshot: Snapshot = {
    ...expectedSnapshot(options, storeId),
    position,
    paragraphs,
    createdAt: new Date().toISOString(),
    segments: segments.map((segment) => ({
      file: segmentFiles.get(segment)!,
      documents: segment.size,
      deleted: segment.deletedDocuments(),
    })),
  };
  await writeSnapshot(snapshotFile, snapshot);
  await rm(join(directory, LEGACY_SNAPSHOT_FILE), { force: true });
  const kept = new Set(snapshot.segments.map((segment) => segment.file));
  for (const { file } of previous?.segments ?? []) {
    if (!kept.has(file)) await rm(join(directory, file), { force: true });
  }
  return { position, paragraphs, bytes, ms: Math.round(performance.now() - started) };
}

/**
 * Removes what a crash may have left: temporary files, and segment files no snapshot names (a save
 * that stopped before its commit). Only safe while no save runs: called when the writer opens.
 */
export async function removeLeftovers(directory: string): Promise<void> {
  const named = new Set(await namedSegments(join(directory, SNAPSHOT_FILE)));
  for (const name of await readdir(directory)) {
    if (name.endsWith('.tmp')) await rm(join(directory, name), { force: true });
  }
  const segments = join(directory, SEGMENTS_DIRECTORY);
  for (const name of await readdir(segments).catch(() => [])) {
    if (!named.has(`${SEGMENTS_DIRECTORY}/${name}`)) await rm(join(segments, name), { force: true });
  }
}

/** The segment files a snapshot names, read loosely: an unreadable snapshot names none. */
async function namedSegments(file: string): Promise<string[]> {
  try {
    const snapshot = JSON.parse((await readFile(file, 'utf8')).split('\n', 1)[0]!) as Partial<Snapshot>;
    return Array.isArray(snapshot.segments) ? snapshot.segments.map((segment) => String(segment.file)) : [];
  } catch {
    return [];
  }
}
