import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistentArchive, type PersistentArchiveOptions } from '../../src/archive/persistent-archive.js';

/** A fresh temporary directory; `remove` deletes it and everything in it. */
export async function temporaryDirectory(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'arshif-test-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * Opens a persistent archive in a new temporary directory holding `articles`, without background
 * saves unless asked; `dispose` closes it and deletes the directory.
 */
export async function temporaryArchive(
  articles: readonly unknown[] = [],
  options: PersistentArchiveOptions = { autoSave: false },
): Promise<{ archive: PersistentArchive; directory: string; dispose: () => Promise<void> }> {
  const directory = await temporaryDirectory();
  const archive = await PersistentArchive.open(directory.path, options);
  if (articles.length > 0) await archive.put(structuredClone(articles));
  return {
    archive,
    directory: directory.path,
    dispose: async () => {
      await archive.close();
      await directory.remove();
    },
  };
}
