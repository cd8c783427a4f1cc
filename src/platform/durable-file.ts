/** Files written atomically and durably: a crash leaves the old file or the new one, never half of one. */
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';

/**
 * Writes a file atomically and durably: to a temporary file, synced, renamed over `file`, the directory
 * synced — so a crash leaves the old file or the new one, never half of one.
 */
export async function writeFileDurably(file: string, parts: readonly Uint8Array[]): Promise<void> {
  // Unique per process and thread: the main thread and a worker may both be writing.
  const temporary = `${file}.${process.pid}-${threadId}-${Date.now()}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    for (const part of parts) await handle.write(part);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, file);
  await syncDirectory(dirname(file));
}

/** Makes a rename durable: the directory entry is on disk only once the directory is synced. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
