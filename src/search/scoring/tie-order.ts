/** The order of documents of equal score: by article id and paragraph, whatever segments hold them. */
import { BY_PLACE, type TieOrder } from '../collect/scored-document.js';
import type { Segment } from '../segment/segment.js';

/**
 * Equal scores ordered by article id, then paragraph: the same order however an archive's documents
 * are cut into segments or shards, so that which of many equal matches (copies of a wire story score
 * the same) make the best `k` does not depend on the order they were written in.
 */
export function byArticle(segments: readonly Segment[]): TieOrder {
  return (a, b) => {
    const first = segments[a.segment]!;
    const second = segments[b.segment]!;
    const idA = first.articleId(a.doc);
    const idB = second.articleId(b.doc);
    if (idA !== idB) return idA < idB ? -1 : 1;
    return first.para(a.doc) - second.para(b.doc) || BY_PLACE(a, b);
  };
}
