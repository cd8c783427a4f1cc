import type { Postings, Segment } from '../segment/segment.js';
import { finalScore, maxPostingScore, type QueryPlan, scorePosting } from './plan.js';
import type { DocumentFilter, ScoredDocument } from './scored-document.js';
import { TopK } from './top-k.js';

/** What a pruned search found. */
export interface TopKResult {
  /** The best `k` matches, best first. */
  hits: ScoredDocument[];
  /** Matches found; every match when `totalExact`, else a lower bound. */
  total: number;
  totalExact: boolean;
}

/**
 * Bounds are compared with this much slack: a document's score is summed in another order than its
 * bound, so the two may differ in the last bits.
 */
const BOUND_SLACK = 1 + 1e-9;

/** First index in `docs[from..end)` holding a document `>= target` (galloping, then binary search). */
function seek(docs: Uint32Array, from: number, end: number, target: number): number {
  if (from >= end || docs[from]! >= target) return from;
  let step = 1;
  let low = from;
  let high = from + 1;
  while (high < end && docs[high]! < target) {
    low = high;
    step *= 2;
    high = from + step;
  }
  if (high > end) high = end;
  // docs[low] < target; the answer is in (low, high].
  let left = low + 1;
  let right = high;
  while (left < right) {
    const middle = (left + right) >>> 1;
    if (docs[middle]! < target) left = middle + 1;
    else right = middle;
  }
  return left;
}

/**
 * Finds the best `k` matches of a query without scoring every match: MaxScore (Turtle & Flood 1995, as
 * Lucene and tantivy use it), document at a time over every segment, with the best hits' threshold
 * carried from segment to segment.
 *
 * - Posting lists are ordered by their highest possible score; the longest prefix of lists whose bounds
 *   added up (and scaled by the share of words they can match) cannot beat the current k-th best is
 *   "non-essential": a document found only there is never looked at, and those lists are only probed
 *   for documents an essential list brings.
 * - Scores are summed in the exhaustive scorer's order, so hits and scores are the same to the bit.
 * - Matches are counted exactly until `exactTotalLimit`; only then may documents be skipped, and
 *   `total` becomes a lower bound.
 */
export class MaxScoreScorer {
  constructor(
    private readonly plan: QueryPlan,
    private readonly segments: readonly Segment[],
    private readonly filter?: DocumentFilter,
  ) {}

  topK(k: number, exactTotalLimit: number): TopKResult {
    const top = new TopK(k);
    const state = { total: 0, skipped: false };
    this.segments.forEach((segment, index) =>
      this.searchSegment(segment, index, top, state, exactTotalLimit),
    );
    return { hits: top.sorted(), total: state.total, totalExact: !state.skipped };
  }

  private searchSegment(
    segment: Segment,
    segmentIndex: number,
    top: TopK,
    state: { total: number; skipped: boolean },
    exactTotalLimit: number,
  ): void {
    const { plan } = this;
    const { terms, words, bm25, required } = plan;
    // The segment's posting lists, by their index in the plan (scoring order).
    const lists: Postings[] = [];
    const planIndex: number[] = [];
    terms.forEach((term, index) => {
      const postings = term.postings[segmentIndex];
      if (postings !== undefined) {
        lists.push(postings);
        planIndex.push(index);
      }
    });
    const count = lists.length;
    if (count === 0) return;
    const position = Int32Array.from(lists, (list) => list.start);
    const bound = Float64Array.from(lists, (list, at) => maxPostingScore(terms[planIndex[at]!]!, list, bm25));
    // By bound, ascending, with the running sums of bounds and of words they may match.
    const byBound = Array.from({ length: count }, (_, at) => at).sort((a, b) => bound[a]! - bound[b]!);
    const boundBelow = new Float64Array(count + 1);
    const wordsBelow = new Int32Array(count + 1);
    const seenWords = new Set<number>();
    byBound.forEach((list, rank) => {
      boundBelow[rank + 1] = boundBelow[rank]! + bound[list]!;
      for (const word of terms[planIndex[list]!]!.covers) seenWords.add(word);
      wordsBelow[rank + 1] = seenWords.size;
    });
    const wordCount = words.length;
    const shareBound = (matched: number) => finalScore(1, Math.min(wordCount, matched), plan);
    const excluded = plan.excluded[segmentIndex]!;
    const excludedAt = Int32Array.from(excluded, (list) => list.start);
    const isRequired = new Uint8Array(wordCount);
    for (const word of required) isRequired[word] = 1;

    const contribution = new Float64Array(count);
    const onDoc = new Uint8Array(count);
    const wordStamp = new Int32Array(wordCount).fill(-1);
    // Lists below this rank (in byBound order) are non-essential.
    let essentialFrom = 0;
    const pruning = () => state.total >= exactTotalLimit && top.full;
    const updateEssential = () => {
      if (!pruning()) return;
      const threshold = top.threshold;
      while (
        essentialFrom < count &&
        boundBelow[essentialFrom + 1]! * shareBound(wordsBelow[essentialFrom + 1]!) * BOUND_SLACK <= threshold
      ) {
        essentialFrom += 1;
      }
    };
    updateEssential();

    for (;;) {
      let doc = Number.MAX_SAFE_INTEGER;
      for (let rank = essentialFrom; rank < count; rank += 1) {
        const list = byBound[rank]!;
        if (position[list]! < lists[list]!.end) doc = Math.min(doc, lists[list]!.docs[position[list]!]!);
      }
      if (doc === Number.MAX_SAFE_INTEGER) break;

      // The essential lists on this document, and a bound on its score.
      let essentialSum = 0;
      let wordsMatched = 0;
      for (let rank = essentialFrom; rank < count; rank += 1) {
        const list = byBound[rank]!;
        const postings = lists[list]!;
        const at = position[list]!;
        if (at < postings.end && postings.docs[at] === doc) {
          const term = terms[planIndex[list]!]!;
          contribution[list] = scorePosting(postings.freqs[at]!, postings.fieldLengths[doc]!, term, bm25);
          onDoc[list] = 1;
          essentialSum += contribution[list]!;
          for (const word of term.covers) {
            if (wordStamp[word] !== doc) {
              wordStamp[word] = doc;
              wordsMatched += 1;
            }
          }
          position[list] = at + 1;
        }
      }
      const live = segment.isLive(doc);
      if (
        live &&
        pruning() &&
        (essentialSum + boundBelow[essentialFrom]!) *
          shareBound(wordsMatched + wordsBelow[essentialFrom]!) *
          BOUND_SLACK <=
          top.threshold
      ) {
        state.skipped = true;
      } else if (live) {
        // Probe the non-essential lists for this document.
        for (let rank = 0; rank < essentialFrom; rank += 1) {
          const list = byBound[rank]!;
          const postings = lists[list]!;
          const at = seek(postings.docs, position[list]!, postings.end, doc);
          position[list] = at;
          if (at < postings.end && postings.docs[at] === doc) {
            contribution[list] = scorePosting(
              postings.freqs[at]!,
              postings.fieldLengths[doc]!,
              terms[planIndex[list]!]!,
              bm25,
            );
            onDoc[list] = 1;
            position[list] = at + 1;
          }
        }
        this.collect(
          segmentIndex,
          doc,
          lists,
          planIndex,
          contribution,
          onDoc,
          isRequired,
          excluded,
          excludedAt,
          top,
          state,
        );
        updateEssential();
      }
      onDoc.fill(0);
    }
  }

  /** Checks a fully probed document and offers it to the best hits. */
  private collect(
    segmentIndex: number,
    doc: number,
    lists: readonly Postings[],
    planIndex: readonly number[],
    contribution: Float64Array,
    onDoc: Uint8Array,
    isRequired: Uint8Array,
    excluded: readonly Postings[],
    excludedAt: Int32Array,
    top: TopK,
    state: { total: number },
  ): void {
    const { terms, required } = this.plan;
    let inText = false;
    const matchedWords = new Set<number>();
    let requiredMatched = 0;
    for (let list = 0; list < lists.length; list += 1) {
      if (onDoc[list] === 0) continue;
      const term = terms[planIndex[list]!]!;
      if (term.inText) inText = true;
      for (const word of term.covers) {
        if (matchedWords.has(word)) continue;
        matchedWords.add(word);
        if (isRequired[word] === 1) requiredMatched += 1;
      }
    }
    if (!inText || requiredMatched !== required.length) return;
    for (let index = 0; index < excluded.length; index += 1) {
      const postings = excluded[index]!;
      const at = seek(postings.docs, excludedAt[index]!, postings.end, doc);
      excludedAt[index] = at;
      if (at < postings.end && postings.docs[at] === doc) return;
    }
    if (this.filter !== undefined && !this.filter(segmentIndex, doc)) return;
    state.total += 1;
    // Summed as the exhaustive scorer sums: posting, term query, word.
    let sum = 0;
    let wordSum = 0;
    let termSum = 0;
    let list = 0;
    for (let index = 0; index < terms.length; index += 1) {
      if (list < lists.length && planIndex[list] === index) {
        if (onDoc[list] === 1) termSum += contribution[list]!;
        list += 1;
      }
      const next = terms[index + 1];
      if (next === undefined || next.termQuery !== terms[index]!.termQuery) {
        wordSum += termSum;
        termSum = 0;
      }
      if (next === undefined || next.word !== terms[index]!.word) {
        sum += wordSum;
        wordSum = 0;
      }
    }
    top.offer(segmentIndex, doc, finalScore(sum, matchedWords.size, this.plan));
  }
}
