/** A term's postings: field id → document short id → term frequency. */
export type TermData = Map<number, Map<number, number>>;

/**
 * The MiniSearch 7.2 internals that the snapshot codec and the scorer read; checked at run time, see
 * {@link internalsOf}. MiniSearch is pinned to an exact version for this reason.
 */
export interface MiniSearchInternals {
  _documentCount: number;
  _nextId: number;
  _fieldIds: Record<string, number>;
  _avgFieldLength: number[];
  _dirtCount: number;
  _documentIds: Map<number, string>;
  _idToShortId: Map<string, number>;
  _fieldLength: Map<number, number[]>;
  _storedFields: Map<number, unknown>;
  _index: Iterable<[string, TermData]> & {
    set(term: string, data: TermData): unknown;
    get(term: string): TermData | undefined;
    atPrefix(prefix: string): Iterable<[string, TermData]>;
    fuzzyGet(term: string, maxDistance: number): Map<string, [TermData, number]>;
  };
  /** Lowers a discarded document's posting, as MiniSearch does when a search meets it. */
  removeTerm(fieldId: number, documentId: number, term: string): void;
}

/**
 * MiniSearch's private fields, after checking they are what this codec expects: a MiniSearch upgrade
 * that changes them fails here, loudly, instead of producing a wrong index.
 */
export function internalsOf(miniSearch: object): MiniSearchInternals {
  const internals = miniSearch as unknown as Partial<MiniSearchInternals>;
  const maps = [
    internals._documentIds,
    internals._idToShortId,
    internals._fieldLength,
    internals._storedFields,
  ];
  if (
    !maps.every((map) => map instanceof Map) ||
    typeof internals._index?.set !== 'function' ||
    typeof internals._index.atPrefix !== 'function' ||
    typeof internals._index.fuzzyGet !== 'function' ||
    typeof internals.removeTerm !== 'function' ||
    typeof internals._documentCount !== 'number' ||
    !Array.isArray(internals._avgFieldLength)
  ) {
    throw new Error('MiniSearch internals are not those of version 7.2: the codec and scorer need updating');
  }
  return internals as MiniSearchInternals;
}

/**
 * Deletes the postings of discarded documents, synchronously, and resets MiniSearch's dirt count.
 *
 * MiniSearch's own vacuum does this across timer waits and also deletes emptied terms from the term
 * tree while walking it; a write in between, or a merge of tree nodes, can break the walk. This touches
 * only the posting maps, never the tree: an emptied term stays as an entry with no postings.
 */
export function purgeDiscarded(miniSearch: object): void {
  const internals = internalsOf(miniSearch);
  for (const [, fields] of internals._index) {
    for (const [fieldId, frequencies] of fields) {
      for (const shortId of frequencies.keys()) {
        if (!internals._documentIds.has(shortId)) frequencies.delete(shortId);
      }
      if (frequencies.size === 0) fields.delete(fieldId);
    }
  }
  internals._dirtCount = 0;
}
