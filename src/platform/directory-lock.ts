/** The writer lock of an archive directory: one writing process at a time, stale locks taken over. */
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArshifError } from '../errors.js';

/** The lock file of an archive directory. */
export const LOCK_FILE = 'writer.lock';

/** Directories this process holds: a lock file naming our pid may also be left by an earlier process. */
const HELD = new Set<string>();

/** Whether a process with this id runs on this machine. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes this process the only writer of an archive directory, until `release()`.
 *
 * - Two writers would each index only their own writes, and one's snapshot could claim the other's; so a
 *   second writer is refused with `ArshifError('LOCKED')` naming the holder. Readers need no lock.
 * - A lock left by a process that no longer runs (killed with -9, say) is taken over.
 *
 * @example const lock = lockDirectory('data/archive'); try { … } finally { lock.release(); }
 */
export function lockDirectory(directory: string): { release: () => void } {
  const file = join(directory, LOCK_FILE);
  const key = realpathSync(directory);
  if (HELD.has(key)) {
    throw new ArshifError('LOCKED', `archive ${directory} is already open for writing in this process`);
  }
  // The lock names its holder from the instant it exists: written whole to a file of our own, then linked
  // into place (a link fails when the lock exists), so no other process can read it half written.
  const token = `${process.pid}\n${randomUUID()}\n`;
  const draft = `${file}.${process.pid}.${randomUUID()}`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(draft, token, { flag: 'wx' });
      try {
        linkSync(draft, file);
      } finally {
        rmSync(draft, { force: true });
      }
      HELD.add(key);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          HELD.delete(key);
          // Only our own lock: one taken over after ours was thought stale is another's.
          if (readLock(file) === token) rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new ArshifError('IO_ERROR', `cannot lock ${directory}: ${(error as Error).message}`);
      }
    }
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
    } catch {
      continue; // released meanwhile: try again
    }
    // Our own pid in the file but not in HELD: an earlier process with the same pid (a restarted
    // container, say) died holding it.
    if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
      throw new ArshifError('LOCKED', `archive ${directory} is open for writing by process ${holder}`);
    }
    rmSync(file, { force: true }); // its writer is gone
  }
  throw new ArshifError('LOCKED', `could not lock archive ${directory}`);
}

/** A lock file's content, or `undefined` when there is none. */
function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
