import type { Worker } from 'node:worker_threads';
import { ArshifError } from '../errors.js';
import type { StoreWrite, StoreWriteOutcome } from './article-store.js';
import { startWorker } from './start-worker.js';

/** A write sent to the writer thread. */
export interface StoreWriterRequest {
  id: number;
  write: StoreWrite;
}

/** The writer thread's messages: the outcomes of the writes it committed together, or a failure (of those, or to open the store). */
export type StoreWriterReply =
  { failed: string; ids?: number[] } | { outcomes: StoreWriteOutcome[]; ids: number[] };

interface Pending {
  onDurable: (outcome: StoreWriteOutcome) => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Durable writes to an article store, committed by a thread of their own: the main thread goes on
 * answering while the disk syncs, and writes that arrive meanwhile share the next commit.
 *
 * - Writes are committed in the order they were made, and their `onDurable` callbacks called in that
 *   order, once on disk (before the promise resolves).
 * - A failed commit rejects its writes with `IO_ERROR`; if the thread stops, every write pending or
 *   to come is rejected with `IO_ERROR`.
 */
export class StoreWriter {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopped: string | undefined;

  private readonly worker: Worker;

  /**
   * Starts the writer thread of a store (which must exist). Writes made while it starts wait for it;
   * if it cannot open the store, they are rejected with `IO_ERROR`.
   */
  constructor(private readonly file: string) {
    this.worker = startWorker('store-writer-worker', { workerData: file });
    this.worker.on('message', (reply: StoreWriterReply) => this.settle(reply));
    this.worker.on('error', (error) => this.stop(error.message));
    this.worker.on('exit', (code) => this.stop(`writer thread stopped (exit ${code})`));
  }

  /**
   * Commits a write; `onDurable` runs once it is on disk, in the order writes were made, before the
   * promise resolves.
   */
  write(write: StoreWrite, onDurable: (outcome: StoreWriteOutcome) => void): Promise<void> {
    if (this.stopped !== undefined) return Promise.reject(this.error(this.stopped));
    const id = ++this.nextId;
    const written = new Promise<void>((resolve, reject) => {
      this.pending.set(id, { onDurable, resolve, reject });
      this.worker.postMessage({ id, write } satisfies StoreWriterRequest);
    });
    const settled = written.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return written;
  }

  /** Waits for the writes under way, then stops the thread. */
  async close(): Promise<void> {
    await Promise.all([...this.inFlight]);
    this.stopped ??= 'closed';
    await this.worker.terminate();
  }

  private stop(why: string): void {
    this.stopped ??= why;
    for (const { reject } of this.pending.values()) reject(this.error(why));
    this.pending.clear();
  }

  private settle(reply: StoreWriterReply): void {
    if ('failed' in reply && reply.ids === undefined) return this.stop(reply.failed);
    for (const [at, id] of reply.ids!.entries()) {
      const pending = this.pending.get(id);
      if (pending === undefined) continue;
      this.pending.delete(id);
      if ('failed' in reply) {
        pending.reject(this.error(reply.failed));
        continue;
      }
      try {
        pending.onDurable(reply.outcomes[at]!);
        pending.resolve();
      } catch (error) {
        pending.reject(error as Error);
      }
    }
  }

  private error(why: string): ArshifError {
    return new ArshifError('IO_ERROR', `article store ${this.file}: ${why}`);
  }
}
