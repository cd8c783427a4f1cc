/**
 * Worker thread that builds a compact segment: analyses articles and lays out the segment's arrays off
 * the main thread, optionally writes the segment file, and hands the arrays back without copying.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildCompactSegment } from '../search/segment/segment-writer.js';
import { COMPACT_ARRAYS } from '../search/segment/compact-segment.js';
import type { SegmentJob, SegmentJobResult } from './segment-builder.js';
import { writeSegmentFile } from './segment-file.js';

const { articles, analysis, file } = workerData as SegmentJob;
let result: SegmentJobResult;
let transfer: ArrayBuffer[] = [];
try {
  const data = buildCompactSegment(articles, analysis);
  const bytes = file === undefined ? 0 : await writeSegmentFile(file, data);
  result = { ok: true, data, bytes };
  transfer = COMPACT_ARRAYS.map((name) => data[name].buffer as ArrayBuffer);
} catch (error) {
  result = { ok: false, message: (error as Error).message };
}
parentPort?.postMessage(result, transfer);
