/** Lowering the CPU priority of the calling thread, so background work yields to searches. */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the CPU priority of the calling thread alone, so that background work (seals, merges) takes
 * the cores only when searches leave them idle — as RocksDB does for its compaction threads. On Linux a
 * thread has its own nice value, set through its thread id (read from `/proc/thread-self`); elsewhere,
 * or where the system refuses, the thread keeps its priority. Returns whether it was lowered.
 */
export function lowerThreadPriority(niceness: number): boolean {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, niceness);
    return true;
  } catch {
    return false;
  }
}
