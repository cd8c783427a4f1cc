/** A document that matched a query: its segment (index), its number there and its score. */
export interface ScoredDocument {
  segment: number;
  doc: number;
  score: number;
}

/**
 * A condition on a document beyond its postings (filters on its article, phrases), asked only of
 * documents that match otherwise.
 */
export type DocumentFilter = (segment: number, doc: number) => boolean;

/** Best first: higher score, then earlier segment, then lower document number — one order for every scorer. */
export function compareScored(a: ScoredDocument, b: ScoredDocument): number {
  return b.score - a.score || a.segment - b.segment || a.doc - b.doc;
}
