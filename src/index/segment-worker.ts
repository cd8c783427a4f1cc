/**
 * Worker thread that builds a compact segment off the main thread — analysing articles, or merging
 * segments — optionally writes the segment file, and hands the arrays back without copying.
 *
 * - Started with a job (`workerData`): does it and ends (bulk builds, one worker per core).
 * - Started without one: takes jobs as messages, one after another, for as long as it lives (the
 *   background seals and merges of a persistent archive), keeping its analysis memos warm.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildCompactSegment } from '../search/segment/segment-writer.js';
import { COMPACT_ARRAYS, CompactSegment } from '../search/segment/compact-segment.js';
import { mergeSegments } from '../search/segment/segment-merger.js';
import type { SegmentJob, SegmentJobResult } from './segment-builder.js';
import { writeSegmentFile } from './segment-file.js';

async function run(job: SegmentJob): Promise<[SegmentJobResult, ArrayBuffer[]]> {
  try {
    const data =
      'merge' in job
        ? mergeSegments(job.merge.map(({ data: segment, deleted }) => new CompactSegment(segment, deleted)))
        : buildCompactSegment(job.articles, job.analysis);
    const { file } = job;
    const bytes = file === undefined ? 0 : await writeSegmentFile(file, data);
    return [{ ok: true, data, bytes }, COMPACT_ARRAYS.map((name) => data[name].buffer as ArrayBuffer)];
  } catch (error) {
    return [{ ok: false, message: (error as Error).message }, []];
  }
}

const port = parentPort!;
if (workerData !== undefined && workerData !== null) {
  const [result, transfer] = await run(workerData as SegmentJob);
  port.postMessage(result, transfer);
} else {
  // Jobs run one at a time, in the order they came.
  let queue = Promise.resolve();
  port.on('message', (job: SegmentJob) => {
    queue = queue.then(async () => {
      const [result, transfer] = await run(job);
      port.postMessage(result, transfer);
    });
  });
}
