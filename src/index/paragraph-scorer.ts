import { internalsOf, type MiniSearchInternals, type TermData } from './minisearch-internals.js';

/** One MiniSearch term query: a term looked up in some fields, with their boosts. */
export interface TermQuery {
  term: string;
  /** `[field, boost]` in the order MiniSearch would visit them. */
  fields: readonly (readonly [string, number])[];
  /** Also match longer terms that start with `term`, at `prefixWeight`. */
  prefix?: boolean;
  /** Also match terms this many edits away, at `fuzzyWeight`. */
  fuzzy?: number;
  prefixWeight?: number;
  fuzzyWeight?: number;
}

/** A query word: term queries whose scores add up (MiniSearch's OR). */
export type WordQuery = readonly TermQuery[];

/** BM25+ parameters, as MiniSearch names them. */
export interface Bm25 {
  k: number;
  b: number;
  d: number;
}

/** Most distinct source terms a query may have: one bit each in a 32-bit integer. */
export const MAX_SOURCE_TERMS = 31;

/** Per-document accumulators for one level of the query tree, reused from query to query. */
class Accumulator {
  readonly scores: Float64Array;
  readonly touched: Int32Array;
  private readonly seen: Uint8Array;
  count = 0;

  constructor(size: number) {
    this.scores = new Float64Array(size);
    this.touched = new Int32Array(size);
    this.seen = new Uint8Array(size);
  }

  add(shortId: number, score: number): void {
    if (this.seen[shortId] === 0) {
      this.seen[shortId] = 1;
      this.touched[this.count++] = shortId;
    }
    this.scores[shortId] = this.scores[shortId]! + score;
  }

  /** Adds this level into `into`, in first-touch order, and clears it. */
  drainInto(into: Accumulator): void {
    for (let index = 0; index < this.count; index += 1) {
      const shortId = this.touched[index]!;
      into.add(shortId, this.scores[shortId]!);
    }
    this.clear();
  }

  clear(): void {
    for (let index = 0; index < this.count; index += 1) {
      const shortId = this.touched[index]!;
      this.scores[shortId] = 0;
      this.seen[shortId] = 0;
    }
    this.count = 0;
  }
}

/**
 * Scores a query over MiniSearch's index without MiniSearch's per-match objects: the same BM25+, boosts,
 * prefix and fuzzy weights, the same order of additions and of results — so the same scores to the last
 * bit — in typed arrays reused from query to query.
 *
 * MiniSearch builds three objects per posting it scores and merges maps per sub-query; on the ANT archive
 * (266,711 paragraphs) that was most of a search's time and most of its garbage.
 */
export class ParagraphScorer {
  private readonly internals: MiniSearchInternals;
  private levels: [Accumulator, Accumulator, Accumulator] | undefined;
  private sourceTerms = new Uint32Array(0);
  private inText = new Uint8Array(0);

  constructor(
    miniSearch: object,
    private readonly bm25: Bm25,
  ) {
    this.internals = internalsOf(miniSearch);
  }

  /**
   * Scores query words (summed, MiniSearch's OR) and drops paragraphs holding an excluded term.
   *
   * - `sourceTermIndex` gives each term query's bit in the `sourceTerms` that `visit` receives.
   * - Calls `visit` for every matching paragraph, in MiniSearch's result order before sorting, with its
   *   summed score, the bits of the term queries it matched, and whether a match was in a field whose
   *   name starts with `text` (not only the title).
   */
  score(
    words: readonly WordQuery[],
    sourceTermIndex: ReadonlyMap<string, number>,
    excluded: readonly TermQuery[],
    visit: (shortId: number, score: number, sourceTerms: number, inText: boolean) => void,
  ): void {
    const size = this.internals._nextId;
    if (this.levels === undefined || this.levels[0].scores.length < size) {
      this.levels = [new Accumulator(size), new Accumulator(size), new Accumulator(size)];
      this.sourceTerms = new Uint32Array(size);
      this.inText = new Uint8Array(size);
    }
    const [term, word, total] = this.levels;
    try {
      for (const queries of words) {
        for (const query of queries) {
          const bit = 1 << (sourceTermIndex.get(query.term) ?? 0);
          this.termQuery(query, term, bit);
          term.drainInto(word);
        }
        word.drainInto(total);
      }
      const excludedIds = new Set<number>();
      for (const query of excluded) this.collectDocuments(query, excludedIds);
      for (let index = 0; index < total.count; index += 1) {
        const shortId = total.touched[index]!;
        if (excludedIds.has(shortId)) continue;
        visit(shortId, total.scores[shortId]!, this.sourceTerms[shortId]!, this.inText[shortId] === 1);
      }
    } finally {
      // Whatever happened, the next query starts from zeros. Every document a term query touched has
      // reached `total` unless an exception stopped it, so clear all three levels.
      for (const level of this.levels) {
        for (let index = 0; index < level.count; index += 1) {
          const shortId = level.touched[index]!;
          this.sourceTerms[shortId] = 0;
          this.inText[shortId] = 0;
        }
        level.clear();
      }
    }
  }

  /** The live documents holding a term in the query's fields (an excluded word: no scores needed). */
  private collectDocuments(query: TermQuery, into: Set<number>): void {
    const data = this.internals._index.get(query.term);
    if (data === undefined) return;
    for (const [field] of query.fields) {
      const fieldId = this.internals._fieldIds[field]!;
      const frequencies = data.get(fieldId);
      if (frequencies === undefined) continue;
      for (const shortId of frequencies.keys()) {
        if (this.internals._documentIds.has(shortId)) into.add(shortId);
        else this.internals.removeTerm(fieldId, shortId, query.term);
      }
    }
  }

  /** MiniSearch's `executeQuerySpec`: the term, then its prefix extensions, then its fuzzy neighbours. */
  private termQuery(query: TermQuery, into: Accumulator, bit: number): void {
    const index = this.internals._index;
    this.termResults(query, query.term, 1, index.get(query.term), into, bit);
    const fuzzyMatches = query.fuzzy ? index.fuzzyGet(query.term, query.fuzzy) : undefined;
    if (query.prefix) {
      for (const [term, data] of index.atPrefix(query.term)) {
        const distance = term.length - query.term.length;
        if (distance === 0) continue;
        fuzzyMatches?.delete(term);
        const weight = ((query.prefixWeight ?? 0) * term.length) / (term.length + 0.3 * distance);
        this.termResults(query, term, weight, data, into, bit);
      }
    }
    if (fuzzyMatches) {
      for (const [term, [data, distance]] of fuzzyMatches) {
        if (distance === 0) continue;
        const weight = ((query.fuzzyWeight ?? 0) * term.length) / (term.length + distance);
        this.termResults(query, term, weight, data, into, bit);
      }
    }
  }

  /** MiniSearch's `termResults`, accumulating into typed arrays. */
  private termResults(
    query: TermQuery,
    derivedTerm: string,
    termWeight: number,
    data: TermData | undefined,
    into: Accumulator,
    bit: number,
  ): void {
    if (data === undefined) return;
    const { _fieldIds, _avgFieldLength, _documentIds, _fieldLength, _documentCount, _dirtCount } =
      this.internals;
    const { k, b, d } = this.bm25;
    const { sourceTerms, inText: inTextFlags } = this;
    for (const [field, fieldBoost] of query.fields) {
      const fieldId = _fieldIds[field]!;
      const frequencies = data.get(fieldId);
      if (frequencies === undefined) continue;
      let matching = frequencies.size;
      const averageLength = _avgFieldLength[fieldId]!;
      const inText = field.startsWith('text');
      // termBoost and docBoost are 1, as in MiniSearch without boostTerm/boostDocument; multiplying
      // termWeight by the field boost first keeps MiniSearch's order of operations, hence its bits.
      const weight = termWeight * fieldBoost;
      let idf = Math.log(1 + (_documentCount - matching + 0.5) / (matching + 0.5));
      const score = (frequency: number, shortId: number) => {
        const length = _fieldLength.get(shortId)![fieldId]!;
        const raw =
          idf * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * length) / averageLength)));
        into.add(shortId, weight * raw);
        sourceTerms[shortId]! |= bit;
        if (inText) inTextFlags[shortId] = 1;
      };
      if (_dirtCount === 0) {
        frequencies.forEach(score);
        continue;
      }
      // Discarded documents still have postings: skip them and lower them as MiniSearch does, which also
      // lowers the document frequency of the documents after them.
      for (const [shortId, frequency] of frequencies) {
        if (!_documentIds.has(shortId)) {
          this.internals.removeTerm(fieldId, shortId, derivedTerm);
          matching -= 1;
          idf = Math.log(1 + (_documentCount - matching + 0.5) / (matching + 0.5));
          continue;
        }
        score(frequency, shortId);
      }
    }
  }
}
