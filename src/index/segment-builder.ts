import { availableParallelism } from 'node:os';
import type { AnalysisOptions } from '../analysis/analyze.js';
import { ArshifError } from '../errors.js';
import { COMPACT_ARRAYS, type CompactSegmentData } from '../search/segment/compact-segment.js';
import { buildCompactSegment, type SegmentSource } from '../search/segment/segment-writer.js';
import { startWorker } from './start-worker.js';

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

/** Builds a compact segment in a worker thread (and writes its file when `job.file` is set). */
export function buildSegmentInWorker(job: SegmentJob): SegmentBuild {
  const workerData =
    'merge' in job
      ? { ...job, merge: job.merge.map(({ data, deleted }) => ({ data: ownBuffers(data), deleted })) }
      : job;
  const worker = startWorker('segment-worker', { workerData });
  const done = new Promise<{ data: CompactSegmentData; bytes: number }>((resolve, reject) => {
    worker.once('message', (result: SegmentJobResult) =>
      result.ok ? resolve(result) : reject(new ArshifError('IO_ERROR', result.message)),
    );
    worker.once('error', (error) => reject(new ArshifError('IO_ERROR', `segment worker: ${error.message}`)));
    worker.once('exit', (code) =>
      reject(new ArshifError('IO_ERROR', `segment worker stopped (exit ${code})`)),
    );
  });
  done.catch(() => undefined);
  return {
    done,
    cancel: async () => {
      await worker.terminate();
    },
  };
}

/** Below this many paragraphs a batch is analysed in this thread: starting workers costs more. */
const PARALLEL_THRESHOLD = 20_000;

/**
 * Builds compact segments of many articles on every core: the articles are cut into as many runs of
 * about equal text as there are cores, each analysed by a worker thread. Small batches are built in
 * this thread.
 */
export async function buildSegmentsInParallel(
  articles: readonly SegmentSource[],
  analysis: AnalysisOptions,
): Promise<CompactSegmentData[]> {
  const paragraphs = articles.reduce((sum, article) => sum + article.paragraphs.length, 0);
  const workers = Math.min(availableParallelism(), 8);
  if (workers < 2 || paragraphs < PARALLEL_THRESHOLD)
    return articles.length === 0 ? [] : [buildCompactSegment(articles, analysis)];
  const characters = articles.map((article) =>
    article.paragraphs.reduce((sum, text) => sum + text.length, article.title.length),
  );
  const totalCharacters = characters.reduce((sum, count) => sum + count, 0);
  const runs: SegmentSource[][] = [[]];
  let inRun = 0;
  articles.forEach((article, index) => {
    if (inRun >= totalCharacters / workers && runs.length < workers) {
      runs.push([]);
      inRun = 0;
    }
    runs.at(-1)!.push({ id: article.id, title: article.title, paragraphs: article.paragraphs });
    inRun += characters[index]!;
  });
  const built = await Promise.all(runs.map((run) => buildSegmentInWorker({ articles: run, analysis }).done));
  return built.map(({ data }) => data);
}
