/**
 * Worker thread that builds a compact segment off the main thread — analysing articles, or merging
 * segments — optionally writes the segment file, and hands the arrays back without copying.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildCompactSegment } from '../search/segment/segment-writer.js';
import { COMPACT_ARRAYS, CompactSegment } from '../search/segment/compact-segment.js';
import { mergeSegments } from '../search/segment/segment-merger.js';
import type { SegmentJob, SegmentJobResult } from './segment-builder.js';
import { writeSegmentFile } from './segment-file.js';

const job = workerData as SegmentJob;
let result: SegmentJobResult;
let transfer: ArrayBuffer[] = [];
try {
  const data =
    'merge' in job
      ? mergeSegments(job.merge.map(({ data: segment, deleted }) => new CompactSegment(segment, deleted)))
      : buildCompactSegment(job.articles, job.analysis);
  const { file } = job;
  const bytes = file === undefined ? 0 : await writeSegmentFile(file, data);
  result = { ok: true, data, bytes };
  transfer = COMPACT_ARRAYS.map((name) => data[name].buffer as ArrayBuffer);
} catch (error) {
  result = { ok: false, message: (error as Error).message };
}
parentPort?.postMessage(result, transfer);
