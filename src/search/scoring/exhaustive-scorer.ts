/** The exhaustive scorer: every match, term at a time; the oracle the MaxScore scorer is tested against. */
import { LONG_FIELD, scoredLength, type Segment } from '../segment/segment.js';
import { Deadline, DEADLINE_STRIDE } from '../collect/deadline.js';
import {
  finalScore,
  IN_TEXT,
  OVERFLOW_WORD,
  type QueryPlan,
  scorePosting,
  weighsOnLead,
  withLeadTitle,
  wordFlags,
} from './plan.js';
import { leadParagraphs } from './lead-paragraphs.js';
import {
  scoredOrder,
  type TieOrder,
  type DocumentFilter,
  type DocumentOrder,
  type ScoredDocument,
} from '../collect/scored-document.js';
import { TopK } from '../collect/top-k.js';

/** What {@link scoreExhaustively} is asked. */
export interface ExhaustiveOptions {
  /** Conditions beyond postings (article filters, phrases). */
  filter?: DocumentFilter | undefined;
  /** The best `k` are returned in order (every match when infinite, the default). */
  k?: number;
  /** When to stop finding matches. Default: never. */
  deadline?: Deadline;
  /** Ranks matches by a key before their score (a date, to sort by it). */
  order?: DocumentOrder | undefined;
  /** Called with every match, in (segment, document) order: to count them by facet, say. */
  onMatch?: ((segment: number, doc: number) => void) | undefined;
  /** How equal scores are ordered. Default: by place. */
  ties?: TieOrder;
}

/** What scoring every match found. */
export interface ExhaustiveResult {
  /** The best `k` matches (every match when `k` is infinite), best first. */
  hits: ScoredDocument[];
  /** Every match. */
  total: number;
}

/**
 * Per-document working arrays, kept from query to query and cleared through the list of documents a
 * query touched: clearing or allocating arrays the size of a large segment would cost more than most
 * queries.
 */
class Scratch {
  readonly sums: Float64Array;
  /** Flags of the matches so far ({@link PlannedTerm.flags}); 0 for a document not yet touched. */
  readonly flags: Int32Array;
  readonly touched: Int32Array;
  readonly excluded: Int32Array;
  /**
   * Lead paragraphs' title matches: their summed scores and flags (0: none yet), as `sums` and
   * `flags`, and the lead paragraphs with some (the first `leadCount` of `leads`).
   */
  readonly leadSums: Float64Array;
  readonly leadFlags: Int32Array;
  readonly leads: Int32Array;
  leadCount = 0;
  excludedStamp = 0;
  /**
   * Where each touched document is in `touched`, for a query of many words (see `countWords`): made
   * the first time one comes, as most segments' scratch never needs it.
   */
  position: Int32Array | undefined;

  constructor(readonly size: number) {
    this.sums = new Float64Array(size);
    this.flags = new Int32Array(size);
    this.touched = new Int32Array(size);
    this.excluded = new Int32Array(size);
    this.leadSums = new Float64Array(size);
    this.leadFlags = new Int32Array(size);
    this.leads = new Int32Array(size);
  }
}

/**
 * One scratch for every segment and every search, as a query's segments are scored one after another:
 * arrays that stay in the caches (and the TLB) from segment to segment ranked ANT eight times over (24
 * segments) in 9.0 ms on average against 14.7 with one scratch per segment, and they hold a segment's
 * worth of memory rather than an archive's.
 */
let shared: Scratch | undefined;

/** The scratch, with room for segments of up to `size` documents. */
function scratchFor(size: number): Scratch {
  if (shared === undefined || shared.size < size) {
    // A quarter more room than asked: the live segment grows, and the arrays are not re-made at every write.
    shared = new Scratch(Math.max(Math.ceil(size * 1.25), shared?.size ?? 0, 1));
  } else if (shared.excludedStamp > 0x7ffff000) shared = new Scratch(shared.size);
  return shared;
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
 * - With `order`, matches rank by its key first (a date, to sort by it), then by score; `onMatch` sees
 *   every match (the whole result set, not only the best `k`).
 * - Past `deadline` (asked before each posting list and every {@link DEADLINE_STRIDE} documents
 *   collected) it scores no further list and collects no further document: the hits are the best of
 *   what was found, and `total` counts only that.
 */
export function scoreExhaustively(
  plan: QueryPlan,
  segments: readonly Segment[],
  options: ExhaustiveOptions = {},
): ExhaustiveResult {
  try {
    return scoreWithScratch(plan, segments, options);
  } catch (error) {
    // A caller's filter or key that throws leaves marks in the arrays every later search shares.
    shared = undefined;
    throw error;
  }
}

function scoreWithScratch(
  plan: QueryPlan,
  segments: readonly Segment[],
  options: ExhaustiveOptions,
): ExhaustiveResult {
  const { filter, k = Number.POSITIVE_INFINITY, deadline = Deadline.NEVER, order, onMatch, ties } = options;
  const top = Number.isFinite(k) ? new TopK(k, ties) : undefined;
  const all: ScoredDocument[] = [];
  let total = 0;
  const wordCount = plan.words.length;
  const manyWords = wordCount > OVERFLOW_WORD;
  const requiredFlags = wordFlags(plan.required);
  const scratch = scratchFor(segments.reduce((largest, segment) => Math.max(largest, segment.size), 0));
  const singleScores = new SingleScores(plan);
  for (let segmentIndex = 0; segmentIndex < segments.length; segmentIndex += 1) {
    if (deadline.passed()) break;
    const segment = segments[segmentIndex]!;
    const lead = leadParagraphs(segment);
    const touchedCount = sumScores(plan, segment, segmentIndex, scratch, deadline, lead, singleScores);
    const { sums, flags, touched, excluded, leadSums, leadFlags, leads } = scratch;
    // Lead paragraphs weigh their title's part before they are collected (see `withLeadTitle`).
    for (let at = 0; at < scratch.leadCount; at += 1) {
      const doc = leads[at]!;
      sums[doc] = withLeadTitle(sums[doc]!, leadSums[doc]!, leadFlags[doc]!, plan);
      leadFlags[doc] = 0;
    }
    scratch.leadCount = 0;
    const stamp = (scratch.excludedStamp += 1);
    const excludes = plan.excluded[segmentIndex]!.length > 0;
    for (const postings of plan.excluded[segmentIndex]!) {
      for (let at = postings.start; at < postings.end; at += 1) excluded[postings.docs[at]!] = stamp;
    }
    const counted = manyWords ? countWords(plan, segmentIndex, scratch, touchedCount, deadline) : undefined;
    for (let at = 0; at < touchedCount; at += 1) {
      const doc = touched[at]!;
      const docFlags = flags[doc]!;
      flags[doc] = 0;
      if (at % DEADLINE_STRIDE === DEADLINE_STRIDE - 1 && deadline.passed()) {
        // The rest are not collected, but their flags are cleared for the next query.
        for (let rest = at + 1; rest < touchedCount; rest += 1) flags[touched[rest]!] = 0;
        break;
      }
      // A match in the title alone is the lead paragraph's: the story is found by its headline once.
      if (((docFlags & IN_TEXT) === 0 && lead[doc] === 0) || (excludes && excluded[doc] === stamp)) continue;
      const wordsMatched = counted === undefined ? bitCount(docFlags & ~IN_TEXT) : counted.words[at]!;
      const hasRequired =
        counted === undefined
          ? (docFlags & requiredFlags) === requiredFlags
          : counted.required[at] === plan.required.length;
      if (!hasRequired || (filter !== undefined && !filter(segmentIndex, doc))) continue;
      total += 1;
      onMatch?.(segmentIndex, doc);
      const score = finalScore(sums[doc]!, wordsMatched, plan);
      const key = order === undefined ? 0 : order(segmentIndex, doc);
      if (top !== undefined) top.offer(segmentIndex, doc, score, key);
      else all.push({ segment: segmentIndex, doc, score, key });
    }
  }
  return { hits: top?.sorted() ?? all.sort(scoredOrder(ties)), total };
}

/** Postings a list has before its scores of one occurrence are looked up rather than computed. */
const SINGLE_SCORES_FROM = 512;

/** Tables of {@link SingleScores} a query makes at most (64 hold 130 KB): further lists compute. */
const MAX_SINGLE_TABLES = 64;

/**
 * The tables of {@link SingleScores}, {@link LONG_FIELD} scores each, one after another in one array
 * kept from query to query: a query makes a few dozen, and would otherwise leave as many buffers to
 * collect.
 */
const SINGLE_SCORE_TABLES = new Float64Array(MAX_SINGLE_TABLES * LONG_FIELD);

/**
 * Per planned list, its postings' scores when the term occurs once, by kept field length (most
 * postings of a paragraph: Lucene caches BM25's length norms for the same reason), made the first
 * time a long list asks. Each is {@link scorePosting}'s own result, so sums keep the same bits.
 */
class SingleScores {
  /** Where each list's table starts in {@link SINGLE_SCORE_TABLES} (-1: not made). */
  private readonly starts: Int32Array;
  private made = 0;

  constructor(private readonly plan: QueryPlan) {
    this.starts = new Int32Array(plan.terms.length).fill(-1);
  }

  /**
   * Where list `index`'s table starts in {@link SINGLE_SCORE_TABLES}, made now if it was not; -1 past
   * the tables kept.
   */
  of(index: number): number {
    if (this.starts[index] !== -1 || this.made === MAX_SINGLE_TABLES) return this.starts[index]!;
    const start = this.made * LONG_FIELD;
    this.made += 1;
    const term = this.plan.terms[index]!;
    for (let length = 0; length < LONG_FIELD; length += 1) {
      SINGLE_SCORE_TABLES[start + length] = scorePosting(1, length, term, this.plan.bm25);
    }
    this.starts[index] = start;
    return start;
  }
}

/**
 * Adds up the posting scores of a segment's documents into `scratch.sums`, their match flags into
 * `scratch.flags`; returns how many documents it touched (listed in `scratch.touched`). Past `deadline`
 * it adds no further list.
 */
function sumScores(
  plan: QueryPlan,
  segment: Segment,
  segmentIndex: number,
  scratch: Scratch,
  deadline: Deadline,
  lead: Uint8Array,
  singleScores: SingleScores,
): number {
  const { terms, bm25 } = plan;
  const { sums, flags, touched, leadSums, leadFlags, leads } = scratch;
  let leadCount = 0;
  const deleted = segment.liveCount < segment.size ? segment.deletions() : undefined;
  let touchedCount = 0;
  for (let index = 0; index < terms.length; index += 1) {
    const planned = terms[index]!;
    const postings = planned.postings[segmentIndex];
    if (postings === undefined) continue;
    if (deadline.passed()) break;
    const { docs, freqs, lengths, end } = postings;
    const termFlags = planned.flags;
    const onLead = weighsOnLead(planned, plan);
    const single = end - postings.start >= SINGLE_SCORES_FROM ? singleScores.of(index) : -1;
    for (let at = postings.start; at < end; at += 1) {
      const doc = docs[at]!;
      if (deleted !== undefined && deleted[doc] === 1) continue;
      const frequency = freqs[at]!;
      const kept = lengths[at]!;
      const score =
        frequency === 1 && single >= 0 && kept < LONG_FIELD
          ? SINGLE_SCORE_TABLES[single + kept]!
          : scorePosting(frequency, scoredLength(kept, postings, doc), planned, bm25);
      if (onLead && lead[doc] === 1) {
        // A title's match on a lead paragraph is summed apart too (see `withLeadTitle`): from 0, in
        // plan order, as the pruning scorer sums it.
        if (leadFlags[doc] === 0) {
          leads[leadCount++] = doc;
          leadSums[doc] = score;
        } else leadSums[doc] = leadSums[doc]! + score;
        leadFlags[doc] = leadFlags[doc]! | termFlags;
      }
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
  scratch.leadCount = leadCount;
  return touchedCount;
}

/**
 * The words and required words each touched document matches, for a query of too many words for flag
 * bits. Past `deadline` it counts no further word (a document then lacks the words not counted).
 */
function countWords(
  plan: QueryPlan,
  segmentIndex: number,
  scratch: Scratch,
  touchedCount: number,
  deadline: Deadline,
): { words: Uint16Array; required: Uint16Array } {
  const { touched } = scratch;
  const position = (scratch.position ??= new Int32Array(scratch.size));
  // A sparse set: `position` is trusted only where `touched` agrees, so it is never cleared (a posting
  // of a deleted document, or of a list the deadline left unscored, was not touched).
  for (let at = 0; at < touchedCount; at += 1) position[touched[at]!] = at;
  const words = new Uint16Array(touchedCount);
  const required = new Uint16Array(touchedCount);
  const isRequired = new Uint8Array(plan.words.length);
  for (const word of plan.required) isRequired[word] = 1;
  const termsOf: number[][] = plan.words.map(() => []);
  plan.terms.forEach((term, index) => {
    if (term.postings[segmentIndex] !== undefined) for (const word of term.covers) termsOf[word]!.push(index);
  });
  const lastWord = new Int32Array(touchedCount).fill(-1);
  for (let word = 0; word < plan.words.length; word += 1) {
    if (termsOf[word]!.length > 0 && deadline.passed()) break;
    for (const term of termsOf[word]!) {
      const { docs, start, end } = plan.terms[term]!.postings[segmentIndex]!;
      for (let at = start; at < end; at += 1) {
        const doc = docs[at]!;
        const where = position[doc]!;
        if (where >= touchedCount || touched[where] !== doc || lastWord[where] === word) continue;
        lastWord[where] = word;
        words[where]! += 1;
        required[where]! += isRequired[word]!;
      }
    }
  }
  return { words, required };
}
