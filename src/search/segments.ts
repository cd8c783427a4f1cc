/**
 * The engine's entry for compact segments as data, for the layers that build, merge, store and send
 * them (segment files, builder threads, replicas): what a segment holds, how one is written from
 * articles, and how several are merged.
 */
export { CompactSegment, COMPACT_ARRAYS, type CompactSegmentData } from './segment/compact-segment.js';
export { isBlankParagraph, postingFrequency, postingLength } from './segment/segment.js';
export { buildCompactSegment, type SegmentSource } from './segment/segment-writer.js';
export { mergeSegments } from './segment/segment-merger.js';
export { TermList } from './segment/term-list.js';
export { inTokenUnits, wholeTypes } from './segment/token-types.js';
export { inSignatureUnits, wideSignatureRows } from './segment/signatures.js';
