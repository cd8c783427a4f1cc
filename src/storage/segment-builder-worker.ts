/**
 * Worker thread that builds a compact segment off the main thread — analysing articles, or merging
 * segments — optionally writes the segment file, and hands the arrays back in shared memory.
 * Takes jobs as messages, one after another, for as long as it lives: a persistent archive keeps one for
 * its background seals and merges (its analysis memos stay warm); a bulk build starts one per core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { rememberWordsForBulkIndexing } from '../analysis/analyze.js';
import { buildCompactSegment } from '../search/segments.js';
import { COMPACT_ARRAYS, CompactSegment, type CompactSegmentData } from '../search/segments.js';
import { mergeSegments } from '../search/segments.js';
import type { SegmentJob, SegmentJobResult } from './segment-builder.js';
import { writeSegmentFile } from './segment-file.js';
import { lowerThreadPriority } from '../platform/thread-priority.js';

const { niceness = 0 } = (workerData ?? {}) as { niceness?: number };
if (niceness > 0) lowerThreadPriority(niceness);
rememberWordsForBulkIndexing();

/**
 * The segment with its arrays in one SharedArrayBuffer: sent to the main thread, and from there to
 * search replicas, it is shared by all rather than copied into each.
 */
function inSharedMemory(data: CompactSegmentData): CompactSegmentData {
  const align = (offset: number) => Math.ceil(offset / 8) * 8;
  let size = 0;
  for (const name of COMPACT_ARRAYS) size = align(size) + data[name].byteLength;
  const memory = new SharedArrayBuffer(align(size));
  const shared: Record<string, unknown> = { ...data };
  let offset = 0;
  for (const name of COMPACT_ARRAYS) {
    const array = data[name];
    offset = align(offset);
    const View = array.constructor as new (
      buffer: SharedArrayBuffer,
      offset: number,
      length: number,
    ) => typeof array;
    const view = new View(memory, offset, array.length);
    view.set(array as never);
    shared[name] = view;
    offset += array.byteLength;
  }
  return shared as unknown as CompactSegmentData;
}

async function run(job: SegmentJob): Promise<SegmentJobResult> {
  try {
    const built =
      'merge' in job
        ? mergeSegments(job.merge.map(({ data: segment, deleted }) => new CompactSegment(segment, deleted)))
        : buildCompactSegment(job.articles, job.analysis);
    const data = inSharedMemory(built);
    const { file } = job;
    const bytes = file === undefined ? 0 : await writeSegmentFile(file, data);
    return { ok: true, data, bytes };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

const port = parentPort!;
// Jobs run one at a time, in the order they came.
let queue = Promise.resolve();
port.on('message', (job: SegmentJob) => {
  queue = queue.then(async () => port.postMessage(await run(job)));
});
