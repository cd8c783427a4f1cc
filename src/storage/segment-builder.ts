/** The segment builder threads: compact segments built and merged in worker threads, in parallel. */
import { availableParallelism } from 'node:os';
import type { AnalysisOptions } from '../analysis/analyze.js';
import { ArshifError } from '../errors.js';
import { COMPACT_ARRAYS, type CompactSegmentData } from '../search/segments.js';
import { buildCompactSegment, type SegmentSource } from '../search/segments.js';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../platform/start-worker.js';

/**
 * What a segment worker is asked to do: build a segment of these articles, or merge these segments
 * (their arrays and deleted documents); and write it to `file` if given.
 */
export type SegmentJob = (
  | { articles: readonly SegmentSource[]; analysis: AnalysisOptions }
  | { merge: readonly { data: CompactSegmentData; deleted: readonly number[] }[] }
) & { file?: string };

/** What a segment worker answers. */
export type SegmentJobResult =
  { ok: true; data: CompactSegmentData; bytes: number } | { ok: false; message: string };

/** A segment being built by a worker thread. */
export interface SegmentBuild {
  done: Promise<{ data: CompactSegmentData; bytes: number }>;
  /** Stops the worker; `done` then rejects. */
  cancel(): Promise<void>;
}

/**
 * The arrays of a segment each in a buffer of its own size. A segment read from a file has views over
 * the whole file's bytes, and sending a view to a worker would copy the whole buffer for each array.
 */
function ownBuffers(data: CompactSegmentData): CompactSegmentData {
  const copy = { ...data };
  for (const name of COMPACT_ARRAYS) {
    const array = data[name];
    // Shared memory (a segment file's bytes) is shared, never copied.
    if (array.buffer instanceof SharedArrayBuffer) continue;
    if (array.byteLength !== array.buffer.byteLength) (copy as Record<string, unknown>)[name] = array.slice();
  }
  return copy;
}

/** A job as sent to a worker: segments to merge in buffers of their own size (see {@link ownBuffers}). */
function forWorker(job: SegmentJob): SegmentJob {
  return 'merge' in job
    ? { ...job, merge: job.merge.map(({ data, deleted }) => ({ data: ownBuffers(data), deleted })) }
    : job;
}

/**
 * A worker thread for a series of jobs, run one after another. A persistent archive keeps one for its
 * background seals and merges: starting a worker costs 0.3-0.5 s of a core, and a kept one keeps its
 * analysis memos warm from seal to seal. A bulk build uses one per core, closed when done.
 */
export class SegmentWorker {
  /**
   * @param niceness the thread's CPU priority, lowered (see {@link lowerThreadPriority}) for work behind
   * a service that must not slow its searches; 0, the default, keeps the process's.
   */
  constructor(private readonly niceness = 0) {}

  /** The thread, and the jobs it was given that have not finished, in order. */
  private current:
    | { worker: Worker; waiting: { resolve: (r: SegmentJobResult) => void; reject: (e: Error) => void }[] }
    | undefined;

  /** Runs a job after those already given; {@link SegmentBuild.cancel} stops the thread (and its other jobs). */
  run(job: SegmentJob): SegmentBuild {
    const { worker, waiting } = this.started();
    const done = new Promise<SegmentJobResult>((resolve, reject) => waiting.push({ resolve, reject })).then(
      (result) => {
        if (!result.ok) throw new ArshifError('IO_ERROR', result.message);
        return result;
      },
    );
    done.catch(() => undefined);
    worker.postMessage(forWorker(job));
    return { done, cancel: () => this.close() };
  }

  /** The thread's id (see `worker_threads`' `threadId`) while it runs. */
  get threadId(): number | undefined {
    return this.current?.worker.threadId;
  }

  /** Starts the thread now, so that it has loaded its code by the first job. */
  start(): void {
    this.started();
  }

  /** Stops the thread; jobs not finished reject. */
  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.worker.terminate();
  }

  private started(): NonNullable<SegmentWorker['current']> {
    if (this.current !== undefined) return this.current;
    const current: NonNullable<SegmentWorker['current']> = {
      worker: startWorker(import.meta.url, 'segment-builder-worker', {
        workerData: { niceness: this.niceness },
      }),
      waiting: [],
    };
    const fail = (why: string) => {
      if (this.current === current) this.current = undefined;
      for (const { reject } of current.waiting.splice(0)) reject(new ArshifError('IO_ERROR', why));
    };
    current.worker.on('message', (result: SegmentJobResult) => current.waiting.shift()?.resolve(result));
    current.worker.on('error', (error) => fail(`segment worker: ${error.message}`));
    current.worker.on('exit', (code) => fail(`segment worker stopped (exit ${code})`));
    this.current = current;
    return current;
  }
}

/** Below this many paragraphs a batch is analysed in this thread: starting workers costs more. */
export const PARALLEL_THRESHOLD = 20_000;

/**
 * The worker threads that build a bulk load's segments, one per core (8 at most). A load of several
 * batches starts them once, as soon as it knows it is large, so that they load their code while the
 * first batch is read and build each batch in turn, rather than be started again for each (0.3–0.6 s of
 * a core every time).
 */
export class SegmentBuilders {
  private workers: SegmentWorker[] | undefined;
  /** Threads a build is shared among. */
  readonly count = Math.min(availableParallelism(), 8);

  /** Starts the threads now (if not yet): a batch built in parallel is coming. */
  start(): readonly SegmentWorker[] {
    return (this.workers ??= Array.from({ length: this.count }, () => {
      const worker = new SegmentWorker();
      worker.start();
      return worker;
    }));
  }

  /** Stops the threads; a build under way rejects. */
  async close(): Promise<void> {
    const workers = this.workers ?? [];
    this.workers = undefined;
    await Promise.all(workers.map((worker) => worker.close()));
  }
}

/**
 * Builds compact segments of many articles on every core: the articles are cut into as many runs of
 * about equal text as there are cores, each analysed by a worker thread, of `builders` when given
 * (they are then left running for the next batch), else of threads started for this batch alone. Small
 * batches are built in this thread.
 */
export async function buildSegmentsInParallel(
  articles: readonly SegmentSource[],
  analysis: AnalysisOptions,
  builders?: SegmentBuilders,
): Promise<CompactSegmentData[]> {
  const paragraphs = articles.reduce((sum, article) => sum + article.paragraphs.length, 0);
  const pool = builders ?? new SegmentBuilders();
  if (pool.count < 2 || paragraphs < PARALLEL_THRESHOLD)
    return articles.length === 0 ? [] : [buildCompactSegment(articles, analysis)];
  const characters = articles.map((article) =>
    article.paragraphs.reduce((sum, text) => sum + text.length, article.title.length),
  );
  const totalCharacters = characters.reduce((sum, count) => sum + count, 0);
  const runs: SegmentSource[][] = [[]];
  let inRun = 0;
  articles.forEach((article, index) => {
    if (inRun >= totalCharacters / pool.count && runs.length < pool.count) {
      runs.push([]);
      inRun = 0;
    }
    const { id, title, paragraphs, vectors } = article;
    runs.at(-1)!.push(vectors === undefined ? { id, title, paragraphs } : { id, title, paragraphs, vectors });
    inRun += characters[index]!;
  });
  const workers = pool.start();
  try {
    return await Promise.all(
      runs.map(async (run, at) => (await workers[at]!.run({ articles: run, analysis }).done).data),
    );
  } finally {
    if (builders === undefined) await pool.close();
  }
}
