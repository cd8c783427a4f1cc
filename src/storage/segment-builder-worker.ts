/**
 * Worker thread that builds a compact segment off the main thread — analysing articles, or merging
 * segments — optionally writes the segment file, and hands the arrays back in shared memory.
 * Takes jobs as messages, one after another, for as long as it lives: a persistent archive keeps one for
 * its background seals and merges (its analysis memos stay warm); a bulk build starts one per core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { rememberWordsForBulkIndexing } from '../analysis/analyze.js';
import { buildCompactSegment } from '../search/segments.js';
import { CompactSegment } from '../search/segments.js';
import { mergeSegments } from '../search/segments.js';
import type { SegmentJob, SegmentJobResult } from './segment-builder.js';
import { inSharedMemory, writeSegmentFile } from './segment-file.js';
import { lowerThreadPriority } from '../platform/thread-priority.js';

const { niceness = 0 } = (workerData ?? {}) as { niceness?: number };
if (niceness > 0) lowerThreadPriority(niceness);
rememberWordsForBulkIndexing();

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
