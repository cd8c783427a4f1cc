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

/**
 * Counts the documents matching a query without scoring them: the union of its text-field posting
 * lists and of its title-field lists' lead paragraphs, less documents missing a required word or
 * holding an excluded one, less those `filter` refuses.
 *
 * - Postings conditions are counted exactly, whatever the number: marking documents costs little
 *   next to scoring them.
 * - `filter` (article filters, phrases) is asked of at most `limit` matching documents; past them the
 *   count is a lower bound, as it is when `deadline` passes before every segment is counted.
 */
export function countMatches(
  plan: QueryPlan,
  segments: readonly Segment[],
  filter: DocumentFilter | undefined,
  limit: number,
  deadline: Deadline = Deadline.NEVER,
): MatchCount {
  let total = 0;
  let exact = true;
  const { terms, required } = plan;
  segments.forEach((segment, segmentIndex) => {
    if (!exact) return;
    if (deadline.passed()) {
      exact = false;
      return;
    }
    const seen = new Uint8Array(segment.size);
    const lead = leadParagraphs(segment);
    const candidates: number[] = [];
    for (const term of terms) {
      const postings = term.postings[segmentIndex];
      if (postings === undefined) continue;
      for (let at = postings.start; at < postings.end; at += 1) {
        const doc = postings.docs[at]!;
        // A match in the title alone is the lead paragraph's (see the scorers).
        if (!term.inText && lead[doc] === 0) continue;
        if (seen[doc] === 0) {
          seen[doc] = 1;
          if (segment.isLive(doc)) candidates.push(doc);
        }
      }
    }
    const excluded = plan.excluded[segmentIndex]!;
    if (required.length === 0 && excluded.length === 0 && filter === undefined) {
      total += candidates.length;
      return;
    }
    // Documents missing a required word or holding an excluded one are marked 0 again.
    for (const word of required) {
      const hasWord = new Uint8Array(segment.size);
      for (const term of terms) {
        const postings = term.postings[segmentIndex];
        if (postings === undefined || !term.covers.includes(word)) continue;
        for (let at = postings.start; at < postings.end; at += 1) hasWord[postings.docs[at]!] = 1;
      }
      for (const doc of candidates) if (hasWord[doc] === 0) seen[doc] = 0;
    }
    for (const postings of excluded) {
      for (let at = postings.start; at < postings.end; at += 1) seen[postings.docs[at]!] = 0;
    }
    for (const doc of candidates) {
      if (seen[doc] === 0) continue;
      if (filter !== undefined) {
        if (total >= limit) {
          exact = false;
          return;
        }
        if (!filter(segmentIndex, doc)) continue;
      }
      total += 1;
    }
  });
  return { total, exact };
}
