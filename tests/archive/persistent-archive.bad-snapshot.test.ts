import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ANALYZER_VERSION } from '../../src/analysis/analyze.js';
import { SEGMENTS_DIRECTORY, SNAPSHOT_FILE, STORE_FILE } from '../../src/archive/archive-directory.js';
import { ARTICLES, archivesClosedAfterEach, view } from './persistent-archive-fixture.js';

const { open, savedArchive, newDirectory } = archivesClosedAfterEach();

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
function replaceBytes(
  from: string,
  to: string,
  encoding: BufferEncoding = 'utf8',
): (bytes: Buffer) => Buffer {
  return (bytes) => {
    const at = bytes.indexOf(Buffer.from(from, encoding));
    expect(at).toBeGreaterThan(0);
    const copy = Buffer.from(bytes);
    Buffer.from(to, encoding).copy(copy, at);
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
      // A segment holds its terms' text in UTF-16.
      replaceBytes('السيول', 'السيوف', 'utf16le'),
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
