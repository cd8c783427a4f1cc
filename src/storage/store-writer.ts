/** The store's writer thread, from the main thread: writes queued, committed in order, answered when durable. */
import type { Worker } from 'node:worker_threads';
import { ArshifError } from '../errors.js';
import type { StoreWrite, StoreWriteOutcome } from './article-store.js';
import { startWorker } from '../platform/start-worker.js';

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
 * - A failed commit rejects its writes with `IO_ERROR`. If the thread stops, the writes it had not
 *   committed are rejected with `IO_ERROR` (none was acknowledged) and the next write starts a new one.
 */
export class StoreWriter {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  private worker: Worker | undefined;

  /**
   * The writer of a store (which must exist). Its thread starts with the first write; if it cannot open
   * the store, the writes are rejected with `IO_ERROR`.
   */
  constructor(private readonly file: string) {}

  private started(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = startWorker(import.meta.url, 'store-writer-worker', { workerData: this.file });
    const stop = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // Every write pending was sent to this thread, which did not report it durable.
      for (const { reject } of this.pending.values()) reject(this.error(why));
      this.pending.clear();
    };
    worker.on('message', (reply: StoreWriterReply) => this.settle(reply));
    worker.on('error', (error) => stop(error.message));
    worker.on('exit', (code) => stop(`writer thread stopped (exit ${code})`));
    this.worker = worker;
    return worker;
  }

  /**
   * Commits a write; `onDurable` runs once it is on disk, in the order writes were made, before the
   * promise resolves.
   */
  write(write: StoreWrite, onDurable: (outcome: StoreWriteOutcome) => void): Promise<void> {
    if (this.closed) return Promise.reject(this.error('the writer is closed'));
    const worker = this.started();
    const id = ++this.nextId;
    const written = new Promise<void>((resolve, reject) => {
      this.pending.set(id, { onDurable, resolve, reject });
      worker.postMessage({ id, write } satisfies StoreWriterRequest);
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
    this.closed = true;
    await Promise.all([...this.inFlight]);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private settle(reply: StoreWriterReply): void {
    // The thread could not open the store (it exits next): the writes pending fail with its reason.
    if ('failed' in reply && reply.ids === undefined) {
      for (const { reject } of this.pending.values()) reject(this.error(reply.failed));
      this.pending.clear();
      return;
    }
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
