/** The MaxScore scorer: the best `k` matches, document at a time, skipping what cannot reach them. */
import { type Postings, scoredLength, type Segment } from '../segment/segment.js';
import { POSTING_BLOCK_SHIFT } from '../segment/posting-blocks.js';
import { Deadline, DEADLINE_STRIDE } from '../collect/deadline.js';
import {
  type Bm25,
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

/** Documents a window spans at least: bounds are recomputed once a window. */
const MIN_WINDOW = 4096;

/** Documents whose essential postings are summed together, term at a time (Lucene's inner window). */
const CHUNK = 4096;

/** Words a mask of matched words holds. */
const MASK_WORDS = 31;

/**
 * The documents of a chunk that essential lists hold: their summed bounds, matched words, and each
 * list's contribution, chained per document in the order the lists were added (plan order).
 */
class Chunk {
  readonly sums = new Float64Array(CHUNK);
  readonly masks = new Int32Array(CHUNK);
  /** The documents (offsets in the chunk) held, ascending once sorted. */
  readonly documents = new Int32Array(CHUNK);
  count = 0;
  /** Per document, its first and last contribution (-1: none, the document is not held). */
  readonly head = new Int32Array(CHUNK).fill(-1);
  private readonly tail = new Int32Array(CHUNK);
  /** Contributions: their list, score and the next of the same document (-1: the last). */
  entryList = new Int32Array(1 << 14);
  entryScore = new Float64Array(1 << 14);
  entryNext = new Int32Array(1 << 14);
  private entries = 0;

  clear(): void {
    for (let index = 0; index < this.count; index += 1) this.head[this.documents[index]!] = -1;
    this.count = 0;
    this.entries = 0;
  }

  /** Adds list `list`'s contribution `score` (its bound `boundScore`) to the document at `offset`. */
  add(offset: number, list: number, score: number, boundScore: number, mask: number): void {
    if (this.entries === this.entryList.length) this.grow();
    const entry = this.entries++;
    this.entryList[entry] = list;
    this.entryScore[entry] = score;
    this.entryNext[entry] = -1;
    if (this.head[offset] === -1) {
      this.head[offset] = entry;
      this.documents[this.count++] = offset;
      this.sums[offset] = boundScore;
      this.masks[offset] = mask;
    } else {
      this.entryNext[this.tail[offset]!] = entry;
      this.sums[offset]! += boundScore;
      this.masks[offset]! |= mask;
    }
    this.tail[offset] = entry;
  }

  sortDocuments(): void {
    this.documents.subarray(0, this.count).sort();
  }

  private grow(): void {
    const size = this.entryList.length * 2;
    const list = new Int32Array(size);
    list.set(this.entryList);
    const score = new Float64Array(size);
    score.set(this.entryScore);
    const next = new Int32Array(size);
    next.set(this.entryNext);
    [this.entryList, this.entryScore, this.entryNext] = [list, score, next];
  }
}

/**
 * The highest score a list's postings from `position` to the last document `<= windowMax` can reach,
 * from the bounds of the blocks they lie in; its bound over the whole list when it keeps no blocks;
 * 0 when it holds no document there.
 */
function windowBound(
  postings: Postings,
  position: number,
  windowMax: number,
  term: PlannedTerm,
  bm25: Bm25,
): number {
  const { docs, end, blocks } = postings;
  if (position >= end || docs[position]! > windowMax) return 0;
  if (blocks === undefined) return maxPostingScore(term, postings, bm25);
  const { maxFrequency, minLength } = blocks;
  let best = 0;
  for (let at = position; at < end && docs[at]! <= windowMax;) {
    const block = at >>> POSTING_BLOCK_SHIFT;
    best = Math.max(best, scorePosting(maxFrequency[block]!, minLength[block]!, term, bm25));
    at = (block + 1) << POSTING_BLOCK_SHIFT;
  }
  return best;
}

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
  /**
   * When a list counts for several words (two query words share a form), or words are too many for a
   * mask of matched words, the share is bounded by 1.
   */
  private loose: boolean;

  constructor(private readonly plan: QueryPlan) {
    this.perWord = new Float64Array(plan.words.length);
    this.unmatched = new Float64Array(plan.words.length);
    this.loose = plan.words.length > MASK_WORDS;
  }

  /** Makes every list essential again. */
  clear(): void {
    this.perWord.fill(0);
    this.loose = this.perWord.length > MASK_WORDS;
  }

  /** Makes a list non-essential. */
  add(term: PlannedTerm, bound: number): void {
    this.perWord[term.word]! += bound;
    if (term.covers.length > 1) this.loose = true;
  }

  /** Makes a list essential again (after {@link add}, before another list is added). */
  remove(term: PlannedTerm, bound: number, wasLoose: boolean): void {
    this.perWord[term.word]! -= bound;
    this.loose = wasLoose;
  }

  get isLoose(): boolean {
    return this.loose;
  }

  /**
   * Bound on the final score of a document whose essential lists summed `essentialSum`, with bit `w`
   * of `matched` set for each word `w` they matched.
   */
  max(essentialSum: number, matched: number): number {
    const { perWord, unmatched } = this;
    const { shareFactors } = this.plan;
    const words = perWord.length;
    let base = essentialSum;
    if (this.loose) {
      for (let word = 0; word < words; word += 1) if (perWord[word]! > 0) base += perWord[word]!;
      return base;
    }
    let candidates = 0;
    for (let word = 0; word < words; word += 1) {
      const bound = perWord[word]!;
      if (bound <= 0) continue;
      if ((matched >>> word) & 1) base += bound;
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
    const wordsMatched = bitCount(matched);
    let best = base * shareFactors[wordsMatched]!;
    for (let at = 0; at < candidates; at += 1) {
      base += unmatched[at]!;
      best = Math.max(best, base * shareFactors[Math.min(words, wordsMatched + at + 1)]!);
    }
    return best;
  }
}

function bitCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count += 1;
  return count;
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
  private readonly chunk = new Chunk();
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
    const { terms, bm25 } = plan;
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
    const position = Int32Array.from(lists, (list) => list.start);
    // A title list may weigh more on a lead paragraph (see `withLeadTitle`): its bounds say so.
    const leadScale = Float64Array.from(listTerm, (term) =>
      weighsOnLead(term, plan) ? Math.max(1, plan.leadTitleFactor) : 1,
    );
    const listBound = Float64Array.from(
      lists,
      (list, at) => maxPostingScore(listTerm[at]!, list, bm25) * leadScale[at]!,
    );
    // The words each list matches, as a mask (words past the mask's width are left out: bounds are loose then).
    const coverMask = Int32Array.from(listTerm, (term) =>
      term.covers.reduce((mask, word) => (word < MASK_WORDS ? mask | (1 << word) : mask), 0),
    );
    // Each list's bound in the current window (at most its bound over the whole list).
    const bound = new Float64Array(count);
    // By bound in the window, ascending: the first `essentialFrom` of them are non-essential.
    const byBound = Int32Array.from({ length: count }, (_, at) => at);
    const rest = new RestBound(plan);
    let essentialFrom = 0;
    // Moves lists, lowest bound first, to the non-essential ones while together they cannot beat the k-th best.
    const updateEssential = () => {
      const threshold = top.threshold;
      while (essentialFrom < count) {
        const list = byBound[essentialFrom]!;
        const wasLoose = rest.isLoose;
        rest.add(listTerm[list]!, bound[list]!);
        if (rest.max(0, 0) * BOUND_SLACK > threshold) {
          rest.remove(listTerm[list]!, bound[list]!, wasLoose);
          break;
        }
        essentialFrom += 1;
      }
    };
    const chunk = this.chunk;
    const isEssential = new Uint8Array(count);
    const contribution = new Float64Array(count);
    const matched = new Int32Array(count);

    let windowMin = 0;
    for (;;) {
      // The next window starts at the first document a list still holds.
      let first = EXHAUSTED;
      for (let list = 0; list < count; list += 1) {
        const postings = lists[list]!;
        let at = position[list]!;
        if (at < postings.end && postings.docs[at]! < windowMin) {
          at = seek(postings.docs, at, postings.end, windowMin);
          position[list] = at;
        }
        if (at < postings.end && postings.docs[at]! < first) first = postings.docs[at]!;
      }
      if (first === EXHAUSTED || deadline.passed()) return;
      windowMin = first;
      const windowMax = Math.min(
        segment.size - 1,
        this.windowEnd(windowMin, lists, position, byBound, essentialFrom),
      );
      for (let list = 0; list < count; list += 1) {
        bound[list] = Math.min(
          listBound[list]!,
          windowBound(lists[list]!, position[list]!, windowMax, listTerm[list]!, bm25) * leadScale[list]!,
        );
        byBound[list] = list;
      }
      byBound.sort((a, b) => bound[a]! - bound[b]!);
      rest.clear();
      essentialFrom = 0;
      if (top.full) updateEssential();

      // The window, a chunk of documents at a time: the essential lists' postings summed term at a time
      // (a bound), then each document that may beat the k-th best scored exactly.
      for (let chunkMin = windowMin; chunkMin <= windowMax && essentialFrom < count; chunkMin += CHUNK) {
        if (deadline.passed()) return;
        const chunkMax = Math.min(windowMax, chunkMin + CHUNK - 1);
        chunk.clear();
        // Term at a time in plan order, so that each document's contributions are chained in it.
        const probedUpTo = essentialFrom;
        isEssential.fill(0);
        for (let rank = essentialFrom; rank < count; rank += 1) isEssential[byBound[rank]!] = 1;
        for (let list = 0; list < count; list += 1) {
          if (isEssential[list] === 0) continue;
          const postings = lists[list]!;
          const { docs, freqs, lengths, end } = postings;
          const term = listTerm[list]!;
          const scale = leadScale[list]!;
          const mask = coverMask[list]!;
          let at = position[list]!;
          for (; at < end && docs[at]! <= chunkMax; at += 1) {
            const score = scorePosting(
              freqs[at]!,
              scoredLength(lengths[at]!, postings, docs[at]!),
              term,
              bm25,
            );
            chunk.add(docs[at]! - chunkMin, list, score, score * scale, mask);
          }
          position[list] = at;
        }
        chunk.sortDocuments();
        for (let index = 0; index < chunk.count; index += 1) {
          const offset = chunk.documents[index]!;
          const doc = chunkMin + offset;
          if (!segment.isLive(doc)) continue;
          if (
            top.full &&
            rest.max(chunk.sums[offset]!, chunk.masks[offset]!) * BOUND_SLACK <= top.threshold
          ) {
            // It cannot beat the k-th best: its non-essential lists are never probed.
            continue;
          }
          // Scored exactly: the essential lists' contributions, and the non-essential lists (those of
          // the chunk's start) probed, in plan order as the exhaustive scorer sums.
          let matchedCount = 0;
          for (let entry = chunk.head[offset]!; entry !== -1; entry = chunk.entryNext[entry]!) {
            const list = chunk.entryList[entry]!;
            contribution[list] = chunk.entryScore[entry]!;
            matched[matchedCount++] = list;
          }
          for (let rank = 0; rank < probedUpTo; rank += 1) {
            const list = byBound[rank]!;
            const postings = lists[list]!;
            if (position[list]! >= postings.end || postings.docs[position[list]!]! > doc) continue;
            const at = seek(postings.docs, position[list]!, postings.end, doc);
            position[list] = at;
            if (at < postings.end && postings.docs[at] === doc) {
              contribution[list] = scorePosting(
                postings.freqs[at]!,
                scoredLength(postings.lengths[at]!, postings, doc),
                listTerm[list]!,
                bm25,
              );
              // Into plan order (insertion: a document is on few lists).
              let to = matchedCount++;
              while (to > 0 && matched[to - 1]! > list) {
                matched[to] = matched[to - 1]!;
                to -= 1;
              }
              matched[to] = list;
            }
          }
          this.collect(segmentIndex, doc, matched, matchedCount, listTerm, contribution, top);
          if (top.full) updateEssential();
        }
      }
      if (windowMax >= segment.size - 1) return;
      windowMin = windowMax + 1;
    }
  }

  /**
   * The last document of a window starting at `windowMin`: where the first block of an essential list
   * ends (bounds are then as tight as that list's blocks), but at least {@link MIN_WINDOW} documents on,
   * so that bounds are not recomputed every few documents; the end of the segment when no essential
   * list has blocks.
   */
  private windowEnd(
    windowMin: number,
    lists: readonly Postings[],
    position: Int32Array,
    byBound: Int32Array,
    essentialFrom: number,
  ): number {
    let end = EXHAUSTED;
    for (let rank = essentialFrom; rank < lists.length; rank += 1) {
      const list = byBound[rank]!;
      const postings = lists[list]!;
      const at = position[list]!;
      if (postings.blocks === undefined || at >= postings.end) continue;
      const blockLast = Math.min(postings.end, ((at >>> POSTING_BLOCK_SHIFT) + 1) << POSTING_BLOCK_SHIFT) - 1;
      end = Math.min(end, postings.docs[blockLast]!);
    }
    return end === EXHAUSTED ? EXHAUSTED : Math.max(end, windowMin + MIN_WINDOW - 1);
  }

  /**
   * Checks a fully probed document (`matched[0..matchedCount)`: its lists, in plan order) and offers it
   * to the best hits.
   */
  private collect(
    segmentIndex: number,
    doc: number,
    matched: Int32Array,
    matchedCount: number,
    listTerm: readonly PlannedTerm[],
    contribution: Float64Array,
    top: TopK,
  ): void {
    const { plan } = this;
    let inText = false;
    this.stamp += 1;
    let wordsMatched = 0;
    let requiredMatched = 0;
    for (let at = 0; at < matchedCount; at += 1) {
      const term = listTerm[matched[at]!]!;
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
    for (let at = 0; at < matchedCount; at += 1) {
      const list = matched[at]!;
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
