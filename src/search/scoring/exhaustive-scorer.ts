import type { Segment } from '../segment/segment.js';
import { finalScore, IN_TEXT, OVERFLOW_WORD, type QueryPlan, scorePosting, wordFlags } from './plan.js';
import { compareScored, type DocumentFilter, type ScoredDocument } from './scored-document.js';
import { TopK } from './top-k.js';

/** What scoring every match found. */
export interface ExhaustiveResult {
  /** The best `k` matches (every match when `k` is infinite), best first. */
  hits: ScoredDocument[];
  /** Every match. */
  total: number;
}

/**
 * Per-document working arrays for one segment, kept from query to query and cleared through the list
 * of documents a query touched: clearing or allocating arrays the size of a large segment would cost
 * more than most queries.
 */
class Scratch {
  readonly sums: Float64Array;
  /** Flags of the matches so far ({@link PlannedTerm.flags}); 0 for a document not yet touched. */
  readonly flags: Int32Array;
  readonly touched: Int32Array;
  readonly excluded: Int32Array;
  excludedStamp = 0;

  constructor(readonly size: number) {
    this.sums = new Float64Array(size);
    this.flags = new Int32Array(size);
    this.touched = new Int32Array(size);
    this.excluded = new Int32Array(size);
  }
}

const scratches = new WeakMap<Segment, Scratch>();

function scratchFor(segment: Segment): Scratch {
  let scratch = scratches.get(segment);
  if (scratch === undefined || scratch.size < segment.size || scratch.excludedStamp > 0x7ffff000) {
    // A live segment grows: twice the room once outgrown, so it is not re-made at every write.
    scratch = new Scratch(Math.max(segment.size, 2 * (scratch?.size ?? 0), 1));
    scratches.set(segment, scratch);
  }
  return scratch;
}

function bitCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count += 1;
  return count;
}

/**
 * Scores every document that matches a query, term at a time over typed arrays: the reference the
 * pruning scorer is tested against, and what a search that needs every match (sorted by date) uses.
 *
 * - A document matches when it holds a query term in a text field, every required word, no excluded
 *   word, and passes `filter`.
 * - A document's posting scores are added in plan order, starting from 0, as {@link MaxScoreScorer}
 *   adds them: both give the same bits.
 */
export function scoreExhaustively(
  plan: QueryPlan,
  segments: readonly Segment[],
  filter: DocumentFilter | undefined,
  k = Number.POSITIVE_INFINITY,
): ExhaustiveResult {
  const top = Number.isFinite(k) ? new TopK(k) : undefined;
  const all: ScoredDocument[] = [];
  let total = 0;
  const wordCount = plan.words.length;
  const manyWords = wordCount > OVERFLOW_WORD;
  const requiredFlags = wordFlags(plan.required);
  for (let segmentIndex = 0; segmentIndex < segments.length; segmentIndex += 1) {
    const segment = segments[segmentIndex]!;
    const scratch = scratchFor(segment);
    const touchedCount = sumScores(plan, segment, segmentIndex, scratch);
    const { sums, flags, touched, excluded } = scratch;
    const stamp = (scratch.excludedStamp += 1);
    for (const postings of plan.excluded[segmentIndex]!) {
      for (let at = postings.start; at < postings.end; at += 1) excluded[postings.docs[at]!] = stamp;
    }
    const counted = manyWords ? countWords(plan, segmentIndex, scratch, touchedCount) : undefined;
    for (let at = 0; at < touchedCount; at += 1) {
      const doc = touched[at]!;
      const docFlags = flags[doc]!;
      flags[doc] = 0;
      if ((docFlags & IN_TEXT) === 0 || excluded[doc] === stamp) continue;
      const wordsMatched = counted === undefined ? bitCount(docFlags & ~IN_TEXT) : counted.words[at]!;
      const hasRequired =
        counted === undefined
          ? (docFlags & requiredFlags) === requiredFlags
          : counted.required[at] === plan.required.length;
      if (!hasRequired || (filter !== undefined && !filter(segmentIndex, doc))) continue;
      total += 1;
      const score = finalScore(sums[doc]!, wordsMatched, plan);
      if (top !== undefined) top.offer(segmentIndex, doc, score);
      else all.push({ segment: segmentIndex, doc, score });
    }
  }
  return { hits: top?.sorted() ?? all.sort(compareScored), total };
}

/**
 * Adds up the posting scores of a segment's documents into `scratch.sums`, their match flags into
 * `scratch.flags`; returns how many documents it touched (listed in `scratch.touched`).
 */
function sumScores(plan: QueryPlan, segment: Segment, segmentIndex: number, scratch: Scratch): number {
  const { terms, bm25 } = plan;
  const { sums, flags, touched } = scratch;
  const deleted = segment.liveCount < segment.size ? segment.deletions() : undefined;
  let touchedCount = 0;
  for (const planned of terms) {
    const postings = planned.postings[segmentIndex];
    if (postings === undefined) continue;
    const { docs, freqs, lengths, end } = postings;
    const termFlags = planned.flags;
    for (let at = postings.start; at < end; at += 1) {
      const doc = docs[at]!;
      if (deleted !== undefined && deleted[doc] === 1) continue;
      const score = scorePosting(freqs[at]!, lengths[at]!, planned, bm25);
      const docFlags = flags[doc]!;
      if (docFlags === 0) {
        touched[touchedCount++] = doc;
        sums[doc] = score;
        flags[doc] = termFlags;
      } else {
        sums[doc] = sums[doc]! + score;
        flags[doc] = docFlags | termFlags;
      }
    }
  }
  return touchedCount;
}

/** The words and required words each touched document matches, for a query of too many words for flag bits. */
function countWords(
  plan: QueryPlan,
  segmentIndex: number,
  scratch: Scratch,
  touchedCount: number,
): { words: Uint16Array; required: Uint16Array } {
  const positionOf = new Map<number, number>();
  for (let at = 0; at < touchedCount; at += 1) positionOf.set(scratch.touched[at]!, at);
  const words = new Uint16Array(touchedCount);
  const required = new Uint16Array(touchedCount);
  const isRequired = new Set(plan.required);
  const lastWord = new Int32Array(touchedCount).fill(-1);
  for (let word = 0; word < plan.words.length; word += 1) {
    for (const term of plan.terms) {
      const postings = term.postings[segmentIndex];
      if (postings === undefined || !term.covers.includes(word)) continue;
      for (let at = postings.start; at < postings.end; at += 1) {
        const position = positionOf.get(postings.docs[at]!);
        if (position === undefined || lastWord[position] === word) continue;
        lastWord[position] = word;
        words[position]! += 1;
        if (isRequired.has(word)) required[position]! += 1;
      }
    }
  }
  return { words, required };
}
