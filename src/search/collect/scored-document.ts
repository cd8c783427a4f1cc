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

/**
 * Best first: higher key, then higher score, then earlier segment, then lower document number — one
 * order for every scorer.
 */
export function compareScored(a: ScoredDocument, b: ScoredDocument): number {
  return b.key - a.key || b.score - a.score || a.segment - b.segment || a.doc - b.doc;
}
