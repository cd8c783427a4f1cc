/** The compact segment: an immutable segment in typed arrays, built in bulk or loaded from a file. */
import { FIELD, FIELD_COUNT, type Field } from '../fields.js';
import { matchForms, type QueryWord } from '../query.js';
import { matchWords, NO_WORDS } from './token-matching.js';
import type { Postings, Segment, SegmentVectors, TokenTerms } from './segment.js';
import { type Signature, SIGNATURE_UNITS, signatureFromRow, signatureOfWords } from './signatures.js';
import { indexOfTerm, prefixRange, termsOneEditAway } from './sorted-terms.js';
import { nearTerms, sortedTermsTrie, type TermTrie } from './near-terms.js';
import { POSTING_BLOCK, type PostingBlocks, postingBlocks } from './posting-blocks.js';
import { TermList } from './term-list.js';
import { readTokenTypes } from './token-types.js';

/**
 * One entry's posting list, over the segment's arrays. A query plans hundreds of lists over an archive's
 * segments and the common scorer never reads their impacts: those are sliced when asked.
 */
class CompactPostings implements Postings {
  readonly docs: Uint32Array;
  readonly freqs: Uint8Array;
  readonly lengths: Uint8Array;

  constructor(
    private readonly data: CompactSegmentData,
    private readonly entry: number,
    private readonly field: Field,
    private readonly size: number,
    readonly start: number,
    readonly end: number,
    readonly documentFrequency: number,
    readonly blocks: PostingBlocks,
  ) {
    this.docs = data.postingDocs;
    this.freqs = data.postingFreqs;
    this.lengths = data.postingLengths;
  }

  get impactFrequencies(): Uint32Array {
    const { entryImpactStart, impactFrequency } = this.data;
    return impactFrequency.subarray(entryImpactStart[this.entry]!, entryImpactStart[this.entry + 1]!);
  }

  get impactLengths(): Uint32Array {
    const { entryImpactStart, impactLength } = this.data;
    return impactLength.subarray(entryImpactStart[this.entry]!, entryImpactStart[this.entry + 1]!);
  }

  exactLength(doc: number): number {
    return this.data.fieldLengths[this.field * this.size + doc]!;
  }
}

/**
 * The arrays of a compact segment: everything it holds, as a segment writer builds it and as a segment
 * file stores it (each typed array as it is, so loading is making views over the file's bytes).
 */
export interface CompactSegmentData {
  /**
   * Every term of the segment, sorted by UTF-16 code units, as a {@link TermList}: their code units one
   * after another, and where each ends.
   */
  termText: Uint16Array;
  termEnds: Uint32Array;
  /** Ids of the articles whose paragraphs the segment holds, in document order. */
  articleIds: string[];
  /** `entries[termEntryStart[t] .. termEntryStart[t + 1])` are term `t`'s fields, by field id. */
  termEntryStart: Uint32Array;
  /** The field of each (term, field) entry. */
  entryField: Uint8Array;
  /** `postingDocs[entryPostingStart[e] .. entryPostingStart[e + 1])`: entry `e`'s documents. */
  entryPostingStart: Uint32Array;
  /**
   * `impact*[entryImpactStart[e] .. entryImpactStart[e + 1])`: the (frequency, field length) pairs of
   * entry `e` that no other of its postings beats on both (a higher frequency in a field no longer):
   * its highest BM25 score is at one of them, whatever the average field length.
   */
  entryImpactStart: Uint32Array;
  impactFrequency: Uint32Array;
  impactLength: Uint32Array;
  postingDocs: Uint32Array;
  /** Each posting's term frequency, capped at `MAX_POSTING_FREQUENCY`. */
  postingFreqs: Uint8Array;
  /** The field length of each posting's document, as postings keep it (see `postingLength`). */
  postingLengths: Uint8Array;
  /**
   * Each block's highest frequency and shortest length (see `PostingBlocks`); empty in segment files
   * written before they were kept, whose segments then compute them when opened.
   */
  blockMaxFrequency: Uint16Array;
  blockMinLength: Uint16Array;
  /** `fieldLengths[field * documents + doc]`: distinct terms of a document's field. */
  fieldLengths: Uint32Array;
  /** Each document's article (index into `articleIds`) and paragraph number. */
  docArticle: Uint32Array;
  docPara: Uint32Array;
  /**
   * Each document's near-duplicate signature, `SIGNATURE_UNITS` values a document (see
   * `writeSignature`); empty in segment files written before they were kept, whose documents'
   * signatures are then computed when asked for.
   */
  docSignatures: Uint16Array;
  /** The (exact, stem, alternative or -1) term ids of each token type. */
  typeTerms: Int32Array;
  /**
   * `docTokens[docTokenStart[d] .. docTokenStart[d + 1])`: document `d`'s token types, in order, in one
   * or two 16-bit units each (see `token-types.ts`).
   */
  docTokenStart: Uint32Array;
  docTokens: Uint16Array;
  /** The same for each article's title, a type a value. */
  titleTokenStart: Uint32Array;
  titleTokens: Uint32Array;
  /** The documents that have a vector, ascending: row `r` of {@link vectors} is `vectorDocs[r]`'s. */
  vectorDocs: Uint32Array;
  /** The vectors, as given, row after row (`vectors.length / vectorDocs.length` values each). */
  vectors: Float32Array;
  /** Each row's Euclidean length. */
  vectorNorms: Float32Array;
  /** The rows in 4 bits a value and their scales (see `quantizeRows`): what large segments are scanned by. */
  vectorCodes: Uint8Array;
  vectorScales: Float32Array;
}

/** The named arrays of {@link CompactSegmentData}, in file order. */
export const COMPACT_ARRAYS = [
  'termText',
  'termEnds',
  'termEntryStart',
  'entryField',
  'entryPostingStart',
  'entryImpactStart',
  'impactFrequency',
  'impactLength',
  'postingDocs',
  'postingFreqs',
  'postingLengths',
  'blockMaxFrequency',
  'blockMinLength',
  'fieldLengths',
  'docArticle',
  'docPara',
  'docSignatures',
  'typeTerms',
  'docTokenStart',
  'docTokens',
  'titleTokenStart',
  'titleTokens',
  'vectorDocs',
  'vectors',
  'vectorNorms',
  'vectorCodes',
  'vectorScales',
] as const satisfies readonly (keyof CompactSegmentData)[];

/**
 * Typed words whose near terms (one edit away, or within a typo distance) a segment remembers: the
 * words looked up are rare ones, so a memo helps queries asked again, not a stream of distinct ones.
 */
const NEAR_TERMS_MEMO = 2_000;

/**
 * Token types whose terms a segment keeps decoded, for the tokens of hits: a page's words are mostly
 * common ones, met again on the next page, and the bound keeps a stream of pages from filling memory.
 */
const TYPE_OBJECTS_MEMO = 8_192;

/** The paragraph text fields, whose terms a document's tokens give. */
const TOKEN_FIELDS: readonly [Field, 0 | 1 | 2][] = [
  [FIELD.text, 0],
  [FIELD.textStem, 1],
  [FIELD.textAlternative, 2],
];
const TITLE_FIELDS: readonly [Field, 0 | 1][] = [
  [FIELD.title, 0],
  [FIELD.titleStem, 1],
];

/** Bits of a {@link termFilter}: a query's few dozen terms leave most of them unset. */
const FILTER_BITS = 4096;

/**
 * A test that a term id may be one of the given ones (ids below 0, which no term has, left out): false
 * only for ids that are not, so a token it turns away surely matches none.
 */
function termFilter(idLists: readonly Int32Array[]): (id: number) => boolean {
  const bits = new Uint32Array(FILTER_BITS / 32);
  // Term ids of one stem or prefix are neighbours: a multiplicative hash spreads them over the bits.
  const bitOf = (id: number) => Math.imul(id, 0x9e3779b1) >>> 20;
  for (const ids of idLists) {
    for (const id of ids) {
      if (id < 0) continue;
      const bit = bitOf(id);
      bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
  return (id) => {
    if (id < 0) return false;
    const bit = bitOf(id);
    return (bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  };
}

/**
 * An immutable segment in typed arrays: a sorted term dictionary, postings with term frequencies,
 * field lengths, and each document's token types (for phrases and proximity without re-analysing).
 *
 * - Built in bulk by the segment writer or loaded from a segment file; never added to.
 * - Deleting a document clears its live bit and takes it out of every statistic exactly, by walking its
 *   tokens, so scores are those of a segment built without it.
 */
export class CompactSegment implements Segment {
  readonly size: number;
  private live: number;
  private readonly deleted: Uint8Array;
  private readonly lengthSums: number[];
  /** Deleted documents per entry, taken off its document frequency. */
  private readonly deletedPerEntry = new Map<number, number>();
  /** By type id: a map, as an array indexed by type would hold a slot for every type up to the last asked. */
  private readonly typeObjects = new Map<number, TokenTerms>();
  private articleDocuments: Map<string, number[]> | undefined;
  /** The token types of the document {@link readTypes} read last. */
  private readonly docTypes: number[] = [];
  /** The term {@link postings} looked up last, and its id (-1: absent). */
  private lastTerm: string | undefined;
  private lastTermId = -1;
  private readonly oneEditAway = new Map<string, readonly string[]>();
  private trie: TermTrie<readonly [number, number]> | undefined;
  private readonly typoMemo = new Map<string, ReadonlyMap<string, number>>();
  private readonly vectorRows: SegmentVectors | undefined;
  private readonly blocks: PostingBlocks;
  /** The term dictionary, sorted: a term's id is its index. */
  readonly terms: TermList;

  constructor(
    readonly data: CompactSegmentData,
    deletedDocs: Iterable<number> = [],
  ) {
    this.size = data.docArticle.length;
    this.terms = new TermList(data.termText, data.termEnds);
    this.live = this.size;
    this.deleted = new Uint8Array(this.size);
    this.lengthSums = Array.from({ length: FIELD_COUNT }, (_, field) => {
      let sum = 0;
      const lengths = data.fieldLengths.subarray(field * this.size, (field + 1) * this.size);
      for (let doc = 0; doc < lengths.length; doc += 1) sum += lengths[doc]!;
      return sum;
    });
    for (const doc of deletedDocs) this.delete(doc);
    const { postingFreqs, postingLengths, blockMaxFrequency, blockMinLength } = data;
    this.blocks =
      blockMaxFrequency.length === Math.ceil(postingFreqs.length / POSTING_BLOCK)
        ? { maxFrequency: blockMaxFrequency, minLength: blockMinLength }
        : postingBlocks(postingFreqs, postingLengths);
    const rows = data.vectorDocs.length;
    if (rows > 0) {
      this.vectorRows = {
        dimensions: data.vectors.length / rows,
        rows,
        values: data.vectors,
        norms: data.vectorNorms,
        docs: data.vectorDocs,
        quantized: { codes: data.vectorCodes, scales: data.vectorScales },
      };
    }
  }

  vectors(): SegmentVectors | undefined {
    return this.vectorRows;
  }

  vectorOf(doc: number): Float32Array | undefined {
    const vectors = this.vectorRows;
    if (vectors === undefined) return undefined;
    const row = binarySearch(vectors.docs as Uint32Array, doc);
    if (row < 0) return undefined;
    return vectors.values.subarray(row * vectors.dimensions, (row + 1) * vectors.dimensions);
  }

  get liveCount(): number {
    return this.live;
  }

  /** The deleted documents, ascending. */
  deletedDocuments(): number[] {
    const docs: number[] = [];
    for (let doc = 0; doc < this.size; doc += 1) if (this.deleted[doc] === 1) docs.push(doc);
    return docs;
  }

  deletions(): Uint8Array {
    return this.deleted;
  }

  fieldLengthSum(field: Field): number {
    return this.lengthSums[field]!;
  }

  isLive(doc: number): boolean {
    return this.deleted[doc] === 0;
  }

  fieldLength(doc: number, field: Field): number {
    return this.data.fieldLengths[field * this.size + doc]!;
  }

  postings(term: string, field: Field): Postings | undefined {
    // A query plan asks for one term in each of its fields in turn: the term is looked up once.
    if (term !== this.lastTerm) {
      this.lastTerm = term;
      this.lastTermId = indexOfTerm(this.terms, term);
    }
    const termId = this.lastTermId;
    if (termId < 0) return undefined;
    const entry = this.entryOf(termId, field);
    if (entry < 0) return undefined;
    const { entryPostingStart } = this.data;
    const start = entryPostingStart[entry]!;
    const end = entryPostingStart[entry + 1]!;
    const documentFrequency = end - start - (this.deletedPerEntry.get(entry) ?? 0);
    if (documentFrequency === 0) return undefined;
    return new CompactPostings(
      this.data,
      entry,
      field,
      this.size,
      start,
      end,
      documentFrequency,
      this.blocks,
    );
  }

  frequency(term: string, field: Field): number {
    if (term !== this.lastTerm) {
      this.lastTerm = term;
      this.lastTermId = indexOfTerm(this.terms, term);
    }
    if (this.lastTermId < 0) return 0;
    const entry = this.entryOf(this.lastTermId, field);
    if (entry < 0) return 0;
    const { entryPostingStart } = this.data;
    return entryPostingStart[entry + 1]! - entryPostingStart[entry]! - (this.deletedPerEntry.get(entry) ?? 0);
  }

  termsWithPrefix(prefix: string): Iterable<string> {
    const [from, to] = prefixRange(this.terms, prefix);
    return this.terms.terms(from, to);
  }

  termsOneEditAway(term: string): Iterable<string> {
    let found = this.oneEditAway.get(term);
    if (found === undefined) {
      found = [...termsOneEditAway(this.terms, term)];
      // Query words are Zipfian: a small memo answers most look-ups; emptied when full.
      if (this.oneEditAway.size >= NEAR_TERMS_MEMO) this.oneEditAway.clear();
      this.oneEditAway.set(term, found);
    }
    return found;
  }

  nearTerms(typed: string, maxDistance: number, fixed = 0): ReadonlyMap<string, number> {
    const key = `${maxDistance} ${fixed} ${typed}`;
    let found = this.typoMemo.get(key);
    if (found === undefined) {
      found = nearTerms((this.trie ??= sortedTermsTrie(this.terms)), typed, maxDistance, fixed);
      if (this.typoMemo.size >= NEAR_TERMS_MEMO) this.typoMemo.clear();
      this.typoMemo.set(key, found);
    }
    return found;
  }

  articleId(doc: number): string {
    return this.data.articleIds[this.data.docArticle[doc]!]!;
  }

  para(doc: number): number {
    return this.data.docPara[doc]!;
  }

  tokens(doc: number): readonly TokenTerms[] {
    const count = this.readTypes(doc);
    const tokens: TokenTerms[] = [];
    for (let at = 0; at < count; at += 1) tokens.push(this.typeObject(this.docTypes[at]!));
    return tokens;
  }

  /** Reads a document's token types into {@link docTypes} (the first of it) and returns how many. */
  private readTypes(doc: number): number {
    const { docTokenStart, docTokens } = this.data;
    return readTokenTypes(docTokens, docTokenStart[doc]!, docTokenStart[doc + 1]!, this.docTypes);
  }

  signature(doc: number): Signature {
    const { docSignatures } = this.data;
    if (docSignatures.length === this.size * SIGNATURE_UNITS) {
      return signatureFromRow(docSignatures, doc * SIGNATURE_UNITS);
    }
    return signatureOfWords(this.exactWords(doc));
  }

  exactWords(doc: number): string[] {
    // Straight from the arrays: no token objects for a word that only needs its exact form.
    const { typeTerms } = this.data;
    const count = this.readTypes(doc);
    const words: string[] = [];
    for (let at = 0; at < count; at += 1) words.push(this.terms.term(typeTerms[this.docTypes[at]! * 3]!));
    return words;
  }

  wordMatcher(words: readonly QueryWord[]): (doc: number) => (readonly number[])[] {
    // Phrase variants are found token run by token run, as matchWords does.
    if (words.some((word) => word.phraseVariants !== undefined)) {
      return (doc) => matchWords(this.tokens(doc), words);
    }
    // The words' forms (their own and their variants', a word's consecutive) as this segment's term
    // ids; a form it lacks matches nothing (-2, not -1).
    const idOf = (term: string | undefined) => {
      const id = term === undefined ? -1 : indexOfTerm(this.terms, term);
      return id < 0 ? -2 : id;
    };
    const forms = matchForms(words);
    const wordOf = Int32Array.from(forms, (form) => form.word);
    const exact = Int32Array.from(forms, (form) => idOf(form.exact));
    const stem = Int32Array.from(forms, (form) => idOf(form.stem));
    const alternative = Int32Array.from(forms, (form) => idOf(form.alternative));
    const { typeTerms } = this.data;
    const mayMatch = termFilter([exact, stem, alternative]);
    // What a token matching one word matches, shared: most matching tokens match one word.
    const justWord = Array.from({ length: words.length }, (_, word): readonly number[] =>
      Object.freeze([word]),
    );
    // The matcher's own, overwritten document after document: proximity reads one before asking for the next.
    const matches: (readonly number[])[] = [];
    return (doc) => {
      const count = this.readTypes(doc);
      matches.length = count;
      for (let at = 0; at < count; at += 1) {
        const type = this.docTypes[at]! * 3;
        const tokenExact = typeTerms[type]!;
        const tokenStem = typeTerms[type + 1]!;
        const tokenAlternative = typeTerms[type + 2]!;
        // Most tokens match no form: those the filter turns away need no comparison.
        if (!mayMatch(tokenExact) && !mayMatch(tokenStem) && !mayMatch(tokenAlternative)) {
          matches[at] = NO_WORDS;
          continue;
        }
        // The first word matched, and an array only once a second one is.
        let first = -1;
        let matched: number[] | undefined;
        // As tokenMatches: the stem, the exact form, the token's alternative stem, the form's alternative.
        for (let form = 0; form < forms.length; form += 1) {
          if (
            tokenStem === stem[form] ||
            tokenExact === exact[form] ||
            tokenAlternative === stem[form] ||
            tokenStem === alternative[form]
          ) {
            const word = wordOf[form]!;
            // A word's forms are consecutive: a word is counted once.
            if (first === -1) first = word;
            else if (matched === undefined) {
              if (word !== first) matched = [first, word];
            } else if (matched[matched.length - 1] !== word) matched.push(word);
          }
        }
        matches[at] = matched ?? (first === -1 ? NO_WORDS : justWord[first]!);
      }
      return matches;
    };
  }

  documentsOf(articleId: string): readonly number[] {
    if (this.articleDocuments === undefined) {
      // Built on the first replace or delete: most segments are only ever searched.
      this.articleDocuments = new Map();
      const { docArticle, articleIds } = this.data;
      for (let doc = 0; doc < this.size; doc += 1) {
        const id = articleIds[docArticle[doc]!]!;
        const docs = this.articleDocuments.get(id);
        if (docs === undefined) this.articleDocuments.set(id, [doc]);
        else docs.push(doc);
      }
    }
    return this.articleDocuments.get(articleId) ?? [];
  }

  delete(doc: number): void {
    if (doc < 0 || doc >= this.size || this.deleted[doc] === 1) return;
    this.deleted[doc] = 1;
    this.live -= 1;
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      this.lengthSums[field]! -= this.data.fieldLengths[field * this.size + doc]!;
    }
    const { titleTokenStart, titleTokens, typeTerms, docArticle } = this.data;
    const seen = new Set<number>();
    const drop = (termId: number, field: Field) => {
      const entry = this.entryOf(termId, field);
      if (entry < 0 || seen.has(entry)) return;
      seen.add(entry);
      this.deletedPerEntry.set(entry, (this.deletedPerEntry.get(entry) ?? 0) + 1);
    };
    const count = this.readTypes(doc);
    for (let at = 0; at < count; at += 1) {
      const type = this.docTypes[at]!;
      for (const [field, slot] of TOKEN_FIELDS) {
        const termId = typeTerms[type * 3 + slot]!;
        if (termId >= 0) drop(termId, field);
      }
    }
    const article = docArticle[doc]!;
    for (let at = titleTokenStart[article]!; at < titleTokenStart[article + 1]!; at += 1) {
      const type = titleTokens[at]!;
      for (const [field, slot] of TITLE_FIELDS) drop(typeTerms[type * 3 + slot]!, field);
    }
  }

  /** The entry of a term in a field, or -1. */
  private entryOf(termId: number, field: Field): number {
    const { termEntryStart, entryField } = this.data;
    for (let entry = termEntryStart[termId]!; entry < termEntryStart[termId + 1]!; entry += 1) {
      if (entryField[entry] === field) return entry;
    }
    return -1;
  }

  private typeObject(type: number): TokenTerms {
    let object = this.typeObjects.get(type);
    if (object === undefined) {
      const { terms } = this;
      const { typeTerms } = this.data;
      const alternative = typeTerms[type * 3 + 2]!;
      object = { exact: terms.term(typeTerms[type * 3]!), term: terms.term(typeTerms[type * 3 + 1]!) };
      if (alternative >= 0) object.alternative = terms.term(alternative);
      // Emptied when full, as the memos of near terms are.
      if (this.typeObjects.size >= TYPE_OBJECTS_MEMO) this.typeObjects.clear();
      this.typeObjects.set(type, object);
    }
    return object;
  }
}

/** The index of `value` in an ascending array, or -1. */
function binarySearch(sorted: Uint32Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const found = sorted[middle]!;
    if (found === value) return middle;
    if (found < value) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
