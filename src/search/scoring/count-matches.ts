/** Counting the documents that match a query without scoring them. */
import type { Segment } from '../segment/segment.js';
import { Deadline } from '../collect/deadline.js';
import type { QueryPlan } from './plan.js';
import { leadParagraphs } from './lead-paragraphs.js';
import type { DocumentFilter } from '../collect/scored-document.js';

/** How many documents match a query. */
export interface MatchCount {
  /** Every match when `exact`, else a lower bound (at least `limit`). */
  total: number;
  exact: boolean;
}

/** Documents counted together: a window's marks are reused for the next. */
const COUNT_WINDOW = 1 << 16;

/**
 * Counts the documents matching a query without scoring them: the union of its text-field posting
 * lists and of its title-field lists' lead paragraphs, less documents missing a required word or
 * holding an excluded one, less those `filter` (article filters, phrases) refuses.
 *
 * - Exact up to `limit` matches; past them the count stops, at a lower bound, as Lucene's total hits
 *   threshold does: what it costs stops growing with the archive. It is a lower bound too when
 *   `deadline` passes before every segment is counted.
 * - A window of documents at a time, so that the count can stop within a segment.
 */
export function countMatches(
  plan: QueryPlan,
  segments: readonly Segment[],
  filter: DocumentFilter | undefined,
  limit: number,
  deadline: Deadline = Deadline.NEVER,
): MatchCount {
  const { terms, required } = plan;
  const seen = new Uint8Array(COUNT_WINDOW);
  const hasWord = new Uint8Array(COUNT_WINDOW);
  const candidates = new Int32Array(COUNT_WINDOW);
  let total = 0;
  for (let segmentIndex = 0; segmentIndex < segments.length; segmentIndex += 1) {
    if (deadline.passed()) return { total, exact: false };
    const segment = segments[segmentIndex]!;
    const lead = leadParagraphs(segment);
    const lists = terms.map((term) => term.postings[segmentIndex]);
    const position = Int32Array.from(lists, (list) => list?.start ?? 0);
    const next = new Int32Array(lists.length);
    const excluded = plan.excluded[segmentIndex]!;
    const excludedPosition = Int32Array.from(excluded, (list) => list.start);
    for (let windowMin = 0; windowMin < segment.size; windowMin += COUNT_WINDOW) {
      const windowEnd = windowMin + COUNT_WINDOW;
      let count = 0;
      next.set(position);
      terms.forEach((term, at) => {
        const postings = lists[at];
        if (postings === undefined) return;
        const { docs, end } = postings;
        let place = position[at]!;
        for (; place < end && docs[place]! < windowEnd; place += 1) {
          const doc = docs[place]!;
          // A match in the title alone is the lead paragraph's (see the scorers).
          if (!term.inText && lead[doc] === 0) continue;
          if (seen[doc - windowMin] === 0) {
            seen[doc - windowMin] = 1;
            candidates[count++] = doc;
          }
        }
        next[at] = place;
      });
      // Documents missing a required word or holding an excluded one are marked 0 again.
      for (const word of required) {
        terms.forEach((term, at) => {
          const postings = lists[at];
          if (postings === undefined || !term.covers.includes(word)) return;
          const { docs } = postings;
          for (let place = position[at]!; place < next[at]!; place += 1)
            hasWord[docs[place]! - windowMin] = 1;
        });
        for (let index = 0; index < count; index += 1) {
          const offset = candidates[index]! - windowMin;
          if (hasWord[offset] === 0) seen[offset] = 0;
        }
        hasWord.fill(0);
      }
      excluded.forEach(({ docs, end }, at) => {
        let place = excludedPosition[at]!;
        for (; place < end && docs[place]! < windowEnd; place += 1) seen[docs[place]! - windowMin] = 0;
        excludedPosition[at] = place;
      });
      position.set(next);
      let stopped = false;
      for (let index = 0; index < count; index += 1) {
        const doc = candidates[index]!;
        if (seen[doc - windowMin] === 0) continue;
        seen[doc - windowMin] = 0;
        if (stopped || !segment.isLive(doc)) continue;
        if (total >= limit) {
          // Past the limit: the rest are not counted (their marks are still cleared).
          stopped = true;
          continue;
        }
        if (filter === undefined || filter(segmentIndex, doc)) total += 1;
      }
      if (stopped) return { total, exact: false };
    }
  }
  return { total, exact: true };
}
