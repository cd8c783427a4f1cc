/** The MaxScore scorer: the best `k` matches, document at a time, skipping what cannot reach them. */
import type { Postings, Segment } from '../segment/segment.js';
import { Deadline, DEADLINE_STRIDE } from '../collect/deadline.js';
import {
  finalScore,
  maxPostingScore,
  type PlannedTerm,
  type QueryPlan,
  scorePosting,
  weighsOnLead,
  withLeadTitle,
} from './plan.js';
import { leadParagraphs } from './lead-paragraphs.js';
import type { DocumentFilter, ScoredDocument, TieOrder } from '../collect/scored-document.js';
import { TopK } from '../collect/top-k.js';

/**
 * Bounds are compared with this much slack: a document's score is summed in another order than its
 * bound, so the two may differ in the last bits.
 */
const BOUND_SLACK = 1 + 1e-9;

/** The current document of an exhausted list: past every document. */
const EXHAUSTED = Number.MAX_SAFE_INTEGER;

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
 * The highest score a document can reach from what its essential lists gave and what the non-essential
 * lists may add. A score is scaled by the share of words matched, so a word's non-essential lists add
 * their bounds together with that word: the best is found over how many unmatched words they add.
 */
class RestBound {
  /** Per word, the summed bounds of its non-essential lists. */
  private readonly perWord: Float64Array;
  private readonly unmatched: Float64Array;
  /** When a list counts for several words (two query words share a form), the share is bounded by 1. */
  private loose = false;

  constructor(private readonly plan: QueryPlan) {
    this.perWord = new Float64Array(plan.words.length);
    this.unmatched = new Float64Array(plan.words.length);
  }

  /** Makes a list non-essential (a negative bound takes it back). */
  add(term: PlannedTerm, bound: number): void {
    this.perWord[term.word]! += bound;
    if (term.covers.length > 1) this.loose = true;
  }

  /** Bound on the final score of a document whose essential lists summed `essentialSum` over `wordsMatched` words. */
  max(essentialSum: number, wordsMatched: number, isMatched: (word: number) => boolean): number {
    const { perWord, unmatched, plan } = this;
    const words = perWord.length;
    const share = (matched: number) => finalScore(1, Math.min(words, matched), plan);
    let base = essentialSum;
    let candidates = 0;
    for (let word = 0; word < words; word += 1) {
      const bound = perWord[word]!;
      if (bound <= 0) continue;
      if (isMatched(word)) base += bound;
      else {
        // Kept in descending order (insertion sort: a query has few words).
        let at = candidates++;
        while (at > 0 && unmatched[at - 1]! < bound) {
          unmatched[at] = unmatched[at - 1]!;
          at -= 1;
        }
        unmatched[at] = bound;
      }
    }
    if (this.loose) {
      for (let at = 0; at < candidates; at += 1) base += unmatched[at]!;
      return base;
    }
    let best = base * share(wordsMatched);
    for (let at = 0; at < candidates; at += 1) {
      base += unmatched[at]!;
      best = Math.max(best, base * share(wordsMatched + at + 1));
    }
    return best;
  }
}

/** Whether a posting list holds a document. */
function contains(postings: Postings, doc: number): boolean {
  const at = seek(postings.docs, postings.start, postings.end, doc);
  return at < postings.end && postings.docs[at] === doc;
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
 * - It does not count matches: {@link countMatches} does, without scoring.
 */
export class MaxScoreScorer {
  private readonly wordStamp: Int32Array;
  private readonly isRequired: Uint8Array;
  private stamp = 0;
  /** The segment searched's lead paragraphs (see `leadParagraphs`). */
  private lead: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly plan: QueryPlan,
    private readonly segments: readonly Segment[],
    private readonly filter?: DocumentFilter,
    /** How equal scores are ordered. Default: by place. */
    private readonly ties?: TieOrder,
  ) {
    this.wordStamp = new Int32Array(plan.words.length);
    this.isRequired = new Uint8Array(plan.words.length);
    for (const word of plan.required) this.isRequired[word] = 1;
  }

  /**
   * The best `k` matches, best first; past `deadline` (asked every {@link DEADLINE_STRIDE} documents),
   * the best of those found so far.
   */
  topK(k: number, deadline: Deadline = Deadline.NEVER): ScoredDocument[] {
    const top = new TopK(k, this.ties);
    for (let index = 0; index < this.segments.length && !deadline.passed(); index += 1) {
      this.searchSegment(this.segments[index]!, index, top, deadline);
    }
    return top.sorted();
  }

  private searchSegment(segment: Segment, segmentIndex: number, top: TopK, deadline: Deadline): void {
    const { plan } = this;
    this.lead = leadParagraphs(segment);
    const { terms, words, bm25 } = plan;
    // The segment's posting lists, in plan (scoring) order.
    const lists: Postings[] = [];
    const listTerm: PlannedTerm[] = [];
    terms.forEach((term) => {
      const postings = term.postings[segmentIndex];
      if (postings !== undefined) {
        lists.push(postings);
        listTerm.push(term);
      }
    });
    const count = lists.length;
    if (count === 0) return;
    const current = new Float64Array(count);
    const position = new Int32Array(count);
    lists.forEach((list, at) => {
      position[at] = list.start;
      current[at] = list.start < list.end ? list.docs[list.start]! : EXHAUSTED;
    });
    // A title list may weigh more on a lead paragraph (see `withLeadTitle`): its bounds say so.
    const leadScale = Float64Array.from(listTerm, (term) =>
      weighsOnLead(term, plan) ? Math.max(1, plan.leadTitleFactor) : 1,
    );
    const bound = Float64Array.from(
      lists,
      (list, at) => maxPostingScore(listTerm[at]!, list, bm25) * leadScale[at]!,
    );
    // By bound, ascending: the first `essentialFrom` of them are non-essential.
    const byBound = Int32Array.from({ length: count }, (_, at) => at).sort((a, b) => bound[a]! - bound[b]!);
    const rest = new RestBound(plan);
    const contribution = new Float64Array(count);
    // The lists on the current document, by index.
    const onDoc = new Int32Array(count);
    let onDocCount = 0;
    const wordStamp = new Float64Array(words.length).fill(-1);
    // Lists below this rank (in byBound order) are non-essential.
    let essentialFrom = 0;
    const updateEssential = () => {
      const threshold = top.threshold;
      while (essentialFrom < count) {
        const list = byBound[essentialFrom]!;
        rest.add(listTerm[list]!, bound[list]!);
        if (rest.max(0, 0, () => false) * BOUND_SLACK > threshold) {
          rest.add(listTerm[list]!, -bound[list]!);
          break;
        }
        essentialFrom += 1;
      }
    };

    if (top.full) updateEssential();
    for (let visited = 1; ; visited += 1) {
      if (visited % DEADLINE_STRIDE === 0 && deadline.passed()) return;
      let doc = EXHAUSTED;
      for (let rank = essentialFrom; rank < count; rank += 1) {
        const at = current[byBound[rank]!]!;
        if (at < doc) doc = at;
      }
      if (doc === EXHAUSTED) break;

      // The essential lists on this document, and a bound on its score.
      let essentialSum = 0;
      let wordsMatched = 0;
      onDocCount = 0;
      for (let rank = essentialFrom; rank < count; rank += 1) {
        const list = byBound[rank]!;
        if (current[list] !== doc) continue;
        const postings = lists[list]!;
        const at = position[list]!;
        const term = listTerm[list]!;
        contribution[list] = scorePosting(postings.freqs[at]!, postings.lengths[at]!, term, bm25);
        // A bound: a title list may weigh more on a lead paragraph (see `withLeadTitle`).
        essentialSum += contribution[list]! * leadScale[list]!;
        onDoc[onDocCount++] = list;
        for (const word of term.covers) {
          if (wordStamp[word] !== doc) {
            wordStamp[word] = doc;
            wordsMatched += 1;
          }
        }
        position[list] = at + 1;
        current[list] = at + 1 < postings.end ? postings.docs[at + 1]! : EXHAUSTED;
      }
      if (!segment.isLive(doc)) continue;
      if (
        top.full &&
        rest.max(essentialSum, wordsMatched, (word) => wordStamp[word] === doc) * BOUND_SLACK <= top.threshold
      ) {
        // It cannot beat the k-th best: its non-essential lists are never probed.
        continue;
      }
      for (let rank = 0; rank < essentialFrom; rank += 1) {
        const list = byBound[rank]!;
        if (current[list]! > doc) continue;
        const postings = lists[list]!;
        const at = seek(postings.docs, position[list]!, postings.end, doc);
        position[list] = at;
        current[list] = at < postings.end ? postings.docs[at]! : EXHAUSTED;
        if (current[list] === doc) {
          contribution[list] = scorePosting(
            postings.freqs[at]!,
            postings.lengths[at]!,
            listTerm[list]!,
            bm25,
          );
          onDoc[onDocCount++] = list;
          position[list] = at + 1;
          current[list] = at + 1 < postings.end ? postings.docs[at + 1]! : EXHAUSTED;
        }
      }
      // In plan order, as the scores are summed.
      const matched = onDoc.subarray(0, onDocCount).sort();
      this.collect(segmentIndex, doc, matched, listTerm, contribution, top);
      if (top.full) updateEssential();
    }
  }

  /** Checks a fully probed document (`matched`: its lists, in plan order) and offers it to the best hits. */
  private collect(
    segmentIndex: number,
    doc: number,
    matched: Int32Array,
    listTerm: readonly PlannedTerm[],
    contribution: Float64Array,
    top: TopK,
  ): void {
    const { plan } = this;
    let inText = false;
    this.stamp += 1;
    let wordsMatched = 0;
    let requiredMatched = 0;
    for (const list of matched) {
      const term = listTerm[list]!;
      if (term.inText) inText = true;
      for (const word of term.covers) {
        if (this.wordStamp[word] === this.stamp) continue;
        this.wordStamp[word] = this.stamp;
        wordsMatched += 1;
        if (this.isRequired[word] === 1) requiredMatched += 1;
      }
    }
    // A match in the title alone is the lead paragraph's: the story is found by its headline once.
    if (!inText && this.lead[doc] === 0) return;
    if (requiredMatched !== plan.required.length) return;
    const excluded = plan.excluded[segmentIndex]!;
    for (const postings of excluded) if (contains(postings, doc)) return;
    if (this.filter !== undefined && !this.filter(segmentIndex, doc)) return;
    // Summed as the exhaustive scorer sums: from 0, in plan order; a lead paragraph's title apart too.
    const lead = this.lead[doc] === 1;
    let sum = 0;
    let leadSum = 0;
    let leadFlags = 0;
    for (const list of matched) {
      sum += contribution[list]!;
      const term = listTerm[list]!;
      if (lead && weighsOnLead(term, plan)) {
        leadSum += contribution[list]!;
        leadFlags |= term.flags;
      }
    }
    if (leadFlags !== 0) sum = withLeadTitle(sum, leadSum, leadFlags, plan);
    top.offer(segmentIndex, doc, finalScore(sum, wordsMatched, plan));
  }
}
