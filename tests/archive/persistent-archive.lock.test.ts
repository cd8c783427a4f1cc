import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/platform/directory-lock.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { ARTICLES, archivesClosedAfterEach, view } from './persistent-archive-fixture.js';

const { open, newDirectory } = archivesClosedAfterEach();

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
