/** Nearest-vector search over segments: 4-bit candidates first, then rescored exactly. */
import { DEADLINE_STRIDE, Deadline } from '../collect/deadline.js';
import type { DocumentFilter, ScoredDocument, TieOrder } from '../collect/scored-document.js';
import { TopK } from '../collect/top-k.js';
import type { Segment, SegmentVectors } from '../segment/segment.js';
import { QuantizedVectors } from '../vectors/quantized-vectors.js';
import { dot, type VectorSimilarity } from '../vectors/vector-math.js';

/**
 * Rows from which a segment is searched on its quantized vectors first: below, scoring every row
 * exactly costs less than a millisecond (0.4 µs a 384-dimension row).
 */
export const QUANTIZE_FROM = 2_000;

/**
 * Candidates of a quantized segment scored exactly, at least (or twice the neighbours asked for): the
 * 4-bit similarity errs by about 0.006, far less than the gap between the 10th and the 100th
 * neighbour of ANT's paragraphs (0.04), so a few more than asked are enough (`bench/vector-search.ts`).
 */
export const RESCORED_CANDIDATES = 64;

/** What {@link nearestVectors} is asked. */
export interface NearestOptions {
  /** Neighbours wanted. */
  k: number;
  similarity: VectorSimilarity;
  /** Keeps only the documents it returns true for (filters), asked only of live candidates. */
  filter?: DocumentFilter;
  /** Score every row exactly, quantized or not: the reference the approximate search is measured by. */
  exact?: boolean;
  /** When to stop: the segments searched so far give the answer. Default: never. */
  deadline?: Deadline;
  /** How equal similarities are ordered. Default: by place. */
  ties?: TieOrder;
}

/**
 * The `k` live documents of all the segments whose vectors are most similar to the query, best first,
 * each scored exactly (cosine, or dot product): `score` is the similarity.
 *
 * - `query`: as compared (see `comparable`): unit length for cosine.
 * - A small segment is scored row by row; a large one's quantized rows (see {@link QuantizedVectors},
 *   made once per segment and thread) give its best candidates, which are then scored exactly.
 */
export function nearestVectors(
  segments: readonly Segment[],
  query: Float32Array,
  options: NearestOptions,
): ScoredDocument[] {
  const { k, similarity, filter, exact = false, deadline = Deadline.NEVER, ties } = options;
  const best = new TopK(k, ties);
  segments.forEach((segment, index) => {
    const vectors = segment.vectors();
    if (vectors === undefined || vectors.dimensions !== query.length || deadline.passed()) return;
    const accept = (doc: number) => segment.isLive(doc) && (filter === undefined || filter(index, doc));
    const score = (row: number) => {
      const value = dot(vectors.values, row * vectors.dimensions, query, 0, vectors.dimensions);
      return similarity === 'cosine' ? value / (vectors.norms[row]! || 1) : value;
    };
    if (exact || vectors.rows < QUANTIZE_FROM || vectors.quantized === undefined) {
      for (let row = 0; row < vectors.rows; row += 1) {
        if (row % DEADLINE_STRIDE === 0 && row > 0 && deadline.passed()) return;
        const value = score(row);
        // As high as the worst kept: it may still come first among equals.
        if (value >= best.threshold) {
          const doc = vectors.docs[row]!;
          if (accept(doc)) best.offer(index, doc, value);
        }
      }
      return;
    }
    const quantized = quantizedOf(segment, vectors, vectors.quantized, similarity);
    const approximate = quantized.similarities(query);
    const candidates = new TopK(Math.max(RESCORED_CANDIDATES, 2 * k));
    // Most rows fall below the candidates' threshold: that comparison is all they cost.
    let threshold = Number.NEGATIVE_INFINITY;
    for (let row = 0; row < vectors.rows; row += 1) {
      const value = approximate[row]!;
      if (value <= threshold || !accept(vectors.docs[row]!)) continue;
      // The row stands for its document here: rows are in document order, so ties keep that order.
      candidates.offer(index, row, value);
      if (candidates.full) threshold = candidates.threshold;
    }
    for (const { doc: row } of candidates.sorted()) best.offer(index, vectors.docs[row]!, score(row));
  });
  return best.sorted();
}

/** Each segment's quantized vectors in this thread, by similarity (an archive has one). */
const quantizedBySegment = new WeakMap<
  Segment,
  { similarity: VectorSimilarity; quantized: QuantizedVectors }
>();

function quantizedOf(
  segment: Segment,
  vectors: SegmentVectors,
  { codes, scales }: NonNullable<SegmentVectors['quantized']>,
  similarity: VectorSimilarity,
): QuantizedVectors {
  const known = quantizedBySegment.get(segment);
  // A compact segment's rows never change.
  if (known !== undefined && known.similarity === similarity) return known.quantized;
  const norms = similarity === 'cosine' ? vectors.norms : undefined;
  const quantized = QuantizedVectors.of(codes, scales, vectors.dimensions, norms);
  quantizedBySegment.set(segment, { similarity, quantized });
  return quantized;
}

/** Copies a segment's 4-bit vectors into this thread now, so that its first search does not (see {@link quantizedOf}). */
export function prepareVectors(segment: Segment, similarity: VectorSimilarity): void {
  const vectors = segment.vectors();
  if (vectors?.quantized !== undefined && vectors.rows >= QUANTIZE_FROM)
    quantizedOf(segment, vectors, vectors.quantized, similarity);
}
