/** A document that matched a query: its segment (index), its number there, its score and its rank key. */
export interface ScoredDocument {
  segment: number;
  doc: number;
  score: number;
  /** Ranked before the score, highest first (see {@link DocumentOrder}); 0 when ranked by score alone. */
  key: number;
}

/** A number per document that ranks matches before their score, highest first (a publication day, say). */
export type DocumentOrder = (segment: number, doc: number) => number;

/**
 * A condition on a document beyond its postings (filters on its article, phrases), asked only of
 * documents that match otherwise.
 */
export type DocumentFilter = (segment: number, doc: number) => boolean;

/** How documents of equal key and score are ordered: negative when `a` comes first. */
export type TieOrder = (a: ScoredDocument, b: ScoredDocument) => number;

/** Ties by place: earlier segment, then lower document number. */
export const BY_PLACE: TieOrder = (a, b) => a.segment - b.segment || a.doc - b.doc;

/** Best first: higher key, then higher score, then as `ties` orders them — one order for every scorer. */
export function scoredOrder(ties: TieOrder = BY_PLACE): (a: ScoredDocument, b: ScoredDocument) => number {
  return (a, b) => b.key - a.key || b.score - a.score || ties(a, b);
}

/** {@link scoredOrder} with ties by place. */
export const compareScored = scoredOrder();
