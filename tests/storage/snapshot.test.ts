import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readSnapshot,
  type Snapshot,
  SnapshotError,
  SNAPSHOT_FORMAT_VERSION,
  writeSnapshot,
} from '../../src/storage/snapshot.js';

const expected = {
  formatVersion: SNAPSHOT_FORMAT_VERSION,
  analyzerVersion: 3,
  analysis: { stem: true, stopWords: true },
  storeId: 'store-1',
};

const snapshot: Snapshot = {
  ...expected,
  position: 42,
  paragraphs: 5,
  createdAt: '2026-01-01T00:00:00.000Z',
  segments: [
    { file: 'segments/a.seg', documents: 4, deleted: [1] },
    { file: 'segments/b.seg', documents: 2, deleted: [] },
  ],
};

let directory: string;
let file: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'arshif-snapshot-'));
  file = join(directory, 'index.manifest');
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The problem a read of the file finds, or `undefined` when it reads. */
async function problemOf(expectedHeader = expected): Promise<string | undefined> {
  try {
    await readSnapshot(file, expectedHeader);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(SnapshotError);
    return (error as SnapshotError).problem;
  }
}

describe('the snapshot file', () => {
  it('reads back what was written', async () => {
    await writeSnapshot(file, snapshot);
    expect(await readSnapshot(file, expected)).toEqual(snapshot);
  });

  it('is missing when there is none', async () => {
    expect(await problemOf()).toBe('missing');
  });

  it('is outdated when another format, analyzer or analysis built it, whatever else is wrong', async () => {
    await writeSnapshot(file, snapshot);
    expect(await problemOf({ ...expected, analyzerVersion: 4 })).toBe('outdated');
    expect(await problemOf({ ...expected, analysis: { stem: false, stopWords: true } })).toBe('outdated');
  });

  it('is corrupt when it belongs to another store, or its counts disagree', async () => {
    await writeSnapshot(file, snapshot);
    expect(await problemOf({ ...expected, storeId: 'store-2' })).toBe('corrupt');
    await writeSnapshot(file, { ...snapshot, paragraphs: 6 });
    expect(await problemOf()).toBe('corrupt');
  });

  it('is truncated without its checksum line, and corrupt when a byte changed', async () => {
    await writeSnapshot(file, snapshot);
    const bytes = await readFile(file, 'utf8');
    await writeFile(file, bytes.slice(0, bytes.indexOf('\n') + 1));
    expect(await problemOf()).toBe('truncated');
    await writeFile(file, bytes.replace('"position":42', '"position":43'));
    expect(await problemOf()).toBe('corrupt');
  });
});
