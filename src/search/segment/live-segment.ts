/** The live segment: the MiniSearch index that takes fresh writes, the one module that touches MiniSearch. */
import MiniSearch from 'minisearch';
import { type Signature, signatureOfWords } from './signatures.js';
import { type AnalysisOptions, analyzeForIndex, type IndexToken } from '../../analysis/analyze.js';
import { FIELD, FIELD_COUNT, type Field } from '../fields.js';
import type { QueryWord } from '../query.js';
import { matchWords } from './token-matching.js';
import { nearTerms, type TermTrie } from './near-terms.js';
import {
  isBlankParagraph,
  postingFrequency,
  postingLength,
  type Postings,
  type Segment,
  type SegmentVectors,
  type TokenTerms,
} from './segment.js';
import { growableFloat32, growableUint32 } from './growable.js';
import { norm } from '../vectors/vector-math.js';

/** A paragraph of the live segment. */
export interface LiveParagraph {
  articleId: string;
  para: number;
  text: string;
  title: string;
  /** Its vector, as given, if it has one. */
  vector?: Float32Array | undefined;
}

/** MiniSearch's fields, in {@link FIELD} order: MiniSearch numbers them as listed. */
const FIELD_NAMES = Object.entries(FIELD)
  .sort(([, a], [, b]) => a - b)
  .map(([name]) => name);

type LiveDocument = LiveParagraph & { id: number };

/**
 * The segment that takes fresh writes: a MiniSearch index, whose term tree also gives prefix and fuzzy
 * expansion. The only module that touches MiniSearch; it reads MiniSearch's protected fields as a
 * subclass, so a MiniSearch upgrade that changes them fails to compile rather than misreads.
 *
 * - Documents are MiniSearch short ids, ascending in the order paragraphs were added.
 * - Kept small: the engine seals it into a compact segment when it grows.
 */
export class LiveSegment extends MiniSearch<LiveDocument> implements Segment {
  private readonly paragraphs: (LiveDocument | undefined)[] = [];
  private readonly byArticle = new Map<string, number[]>();
  /**
   * MiniSearch's postings of each term (the very objects its term tree holds), found by hashing: the tree
   * is walked key by key at every level, so it is kept for what needs it, prefixes and new terms.
   */
  private readonly postingsByTerm = new Map<string, Map<number, Map<number, number>>>();
  private readonly lengthSums = new Array<number>(FIELD_COUNT).fill(0);
  private noDeletions = new Uint8Array(0);
  /** Every UTF-16 code unit of the terms ever added (what an edit may put into a term): flags and list. */
  private readonly hasCodeUnit = new Uint8Array(0x10000);
  private readonly codeUnits: string[] = [];
  /** Exact words whose forms' code units are recorded: most words repeat, and are not scanned again. */
  private readonly scannedWords = new Set<string>();
  /**
   * The analyses of the paragraph being added and of its title, which the article's next paragraph
   * repeats: one remembered analysis would miss every time.
   */
  private analyzed: { text: string; tokens: IndexToken[] }[] = [];
  /** The vectors of the paragraphs that have one, deleted ones included (see {@link isLive}). */
  private readonly vectorDocs = growableUint32();
  private readonly vectorValues = growableFloat32();
  private readonly vectorNorms = growableFloat32();

  constructor(private readonly analysis: AnalysisOptions) {
    // Documents are written to MiniSearch's index by termCounts' callers, never through add() or
    // remove(): MiniSearch's own tokenizer and vacuum are not used.
    super({ fields: FIELD_NAMES, autoVacuum: false });
  }

  get size(): number {
    return this._nextId;
  }

  get liveCount(): number {
    return this._documentCount;
  }

  /** Adds a paragraph; blank paragraphs are skipped. Returns its document number, or -1. */
  addParagraph(paragraph: LiveParagraph): number {
    if (isBlankParagraph(paragraph.text)) return -1;
    const doc = this._nextId;
    this._nextId += 1;
    this._documentCount += 1;
    this._documentIds.set(doc, doc);
    this._idToShortId.set(doc, doc);
    const document = { ...paragraph, id: doc };
    const counts = this.termCounts(document);
    for (const [term, perField] of counts) {
      let fields = this.postingsByTerm.get(term);
      if (fields === undefined) {
        fields = this._index.fetch(term, () => new Map());
        this.postingsByTerm.set(term, fields);
      }
      for (let field = 0; field < FIELD_COUNT; field += 1) {
        const count = perField[field]!;
        if (count === 0) continue;
        const docs = fields.get(field);
        if (docs === undefined) fields.set(field, new Map([[doc, count]]));
        else docs.set(doc, count);
      }
    }
    this.paragraphs[doc] = document;
    const docs = this.byArticle.get(paragraph.articleId);
    if (docs === undefined) this.byArticle.set(paragraph.articleId, [doc]);
    else docs.push(doc);
    const lengths = this._fieldLength.get(doc)!;
    for (let field = 0; field < FIELD_COUNT; field += 1) this.lengthSums[field]! += lengths[field] ?? 0;
    const { vector } = paragraph;
    if (vector !== undefined) {
      this.vectorDocs.push(doc);
      this.vectorValues.pushAll(vector);
      this.vectorNorms.push(norm(vector));
    }
    return doc;
  }

  vectors(): SegmentVectors | undefined {
    const rows = this.vectorDocs.length;
    if (rows === 0) return undefined;
    const values = this.vectorValues.view();
    return {
      dimensions: values.length / rows,
      rows,
      values,
      norms: this.vectorNorms.view(),
      docs: this.vectorDocs.view(),
    };
  }

  vectorOf(doc: number): Float32Array | undefined {
    return this.paragraphs[doc]?.vector;
  }

  /** The live paragraphs, in document order: what sealing turns into a compact segment. */
  *liveParagraphs(): IterableIterator<LiveParagraph> {
    for (const document of this.paragraphs) {
      if (document !== undefined) yield document;
    }
  }

  /** None: removing a paragraph removes its postings. */
  deletions(): Uint8Array {
    if (this.noDeletions.length < this._nextId) this.noDeletions = new Uint8Array(2 * this._nextId);
    return this.noDeletions;
  }

  fieldLengthSum(field: Field): number {
    return this.lengthSums[field]!;
  }

  isLive(doc: number): boolean {
    return this.paragraphs[doc] !== undefined;
  }

  fieldLength(doc: number, field: Field): number {
    return this._fieldLength.get(doc)?.[field] ?? 0;
  }

  postings(term: string, field: Field): Postings | undefined {
    const frequencies = this.postingsByTerm.get(term)?.get(field);
    if (frequencies === undefined || frequencies.size === 0) return undefined;
    const docs = new Uint32Array(frequencies.size);
    const freqs = new Uint8Array(frequencies.size);
    let at = 0;
    let maxFrequency = 0;
    let minLength = Number.MAX_SAFE_INTEGER;
    const lengths = new Uint8Array(frequencies.size);
    for (const [doc, frequency] of frequencies) {
      docs[at] = doc;
      freqs[at] = postingFrequency(frequency);
      lengths[at] = postingLength(this.fieldLength(doc, field));
      maxFrequency = Math.max(maxFrequency, freqs[at]!);
      minLength = Math.min(minLength, lengths[at]!);
      at += 1;
    }
    return {
      docs,
      freqs,
      start: 0,
      end: at,
      documentFrequency: at,
      impactFrequencies: [maxFrequency],
      impactLengths: [minLength],
      lengths,
      exactLength: (doc) => this.fieldLength(doc, field),
    };
  }

  frequency(term: string, field: Field): number {
    return this.postingsByTerm.get(term)?.get(field)?.size ?? 0;
  }

  nearTerms(typed: string, maxDistance: number, fixed = 0): ReadonlyMap<string, number> {
    return nearTerms(
      radixTrie(this._index._tree, (term) => this.postingsByTerm.has(term)),
      typed,
      maxDistance,
      fixed,
    );
  }

  termsWithPrefix(prefix: string): Iterable<string> {
    return this._index.atPrefix(prefix).keys();
  }

  /**
   * Generated and looked up rather than taken from MiniSearch's `fuzzyGet`, which (in 7.2) misses some
   * terms one edit away: `كبح` for `كبر`, `كبح` for `لكبح`.
   */
  termsOneEditAway(term: string): Iterable<string> {
    const found = new Set<string>();
    const probe = (candidate: string) => {
      if (candidate !== term && this.postingsByTerm.has(candidate)) found.add(candidate);
    };
    for (let at = 0; at <= term.length; at += 1) {
      const [head, tail] = [term.slice(0, at), term.slice(at)];
      if (at < term.length) probe(head + tail.slice(1));
      for (const unit of this.codeUnits) {
        if (at < term.length) probe(head + unit + tail.slice(1));
        probe(head + unit + tail);
      }
    }
    return found;
  }

  articleId(doc: number): string {
    return this.paragraphs[doc]!.articleId;
  }

  para(doc: number): number {
    return this.paragraphs[doc]!.para;
  }

  exactWords(doc: number): string[] {
    return this.tokens(doc).map((token) => token.exact);
  }

  signature(doc: number): Signature {
    // Fresh writes are few and sealed soon: their signatures are computed when asked for.
    return signatureOfWords(this.exactWords(doc));
  }

  tokens(doc: number): readonly TokenTerms[] {
    return analyzeForIndex(this.paragraphs[doc]!.text, this.analysis);
  }

  wordMatcher(words: readonly QueryWord[]): (doc: number) => (readonly number[])[] {
    return (doc) => matchWords(this.tokens(doc), words);
  }

  documentsOf(articleId: string): readonly number[] {
    return this.byArticle.get(articleId) ?? [];
  }

  delete(doc: number): void {
    const document = this.paragraphs[doc];
    if (document === undefined) return;
    const lengths = this._fieldLength.get(doc)!;
    for (let field = 0; field < FIELD_COUNT; field += 1) this.lengthSums[field]! -= lengths[field] ?? 0;
    // Re-analysed, so that exactly its postings are deleted and no empty term is left behind.
    for (const term of this.termCounts(document).keys()) {
      const fields = this.postingsByTerm.get(term)!;
      for (const [field, docs] of fields) {
        docs.delete(doc);
        if (docs.size === 0) fields.delete(field);
      }
      if (fields.size === 0) {
        this._index.delete(term);
        this.postingsByTerm.delete(term);
      }
    }
    this._documentIds.delete(doc);
    this._idToShortId.delete(doc);
    this._fieldLength.delete(doc);
    this._documentCount -= 1;
    this.paragraphs[doc] = undefined;
    const docs = this.byArticle.get(document.articleId)!.filter((other) => other !== doc);
    if (docs.length === 0) this.byArticle.delete(document.articleId);
    else this.byArticle.set(document.articleId, docs);
  }

  /**
   * How often each term occurs in each field of a paragraph, and (as MiniSearch counts a field's length)
   * the number of distinct terms of each field recorded in `_fieldLength`. Written to MiniSearch's index
   * directly rather than through `add()`, which looks a term up in the term tree once per occurrence and
   * field: a paragraph's words repeat, and its exact word and stem are often the same term.
   */
  private termCounts(document: LiveDocument): Map<string, Uint16Array> {
    const counts = new Map<string, Uint16Array>();
    const lengths = new Array<number>(FIELD_COUNT).fill(0);
    const count = (term: string, field: Field) => {
      if (term === '') return;
      let perField = counts.get(term);
      if (perField === undefined) counts.set(term, (perField = new Uint16Array(FIELD_COUNT)));
      if (perField[field] === 0) lengths[field]! += 1;
      if (perField[field]! < 0xffff) perField[field]! += 1;
    };
    for (const token of this.tokensOf(document.text)) {
      count(token.exact, FIELD.text);
      count(token.term, FIELD.textStem);
      if (token.alternative !== undefined) count(token.alternative, FIELD.textAlternative);
    }
    for (const token of this.tokensOf(document.title)) {
      count(token.exact, FIELD.title);
      count(token.term, FIELD.titleStem);
    }
    this._fieldLength.set(document.id, lengths);
    return counts;
  }

  /** Analyses a text once for the fields that read it (see {@link analyzed}). */
  private tokensOf(text: string): IndexToken[] {
    const known = this.analyzed.find((entry) => entry.text === text);
    if (known !== undefined) return known.tokens;
    const tokens = analyzeForIndex(text, this.analysis);
    for (const token of tokens) {
      if (this.scannedWords.has(token.exact)) continue;
      this.scannedWords.add(token.exact);
      for (const form of [token.exact, token.term, token.alternative ?? '']) {
        for (let at = 0; at < form.length; at += 1) {
          const unit = form.charCodeAt(at);
          if (this.hasCodeUnit[unit] === 1) continue;
          this.hasCodeUnit[unit] = 1;
          this.codeUnits.push(form[at]!);
        }
      }
    }
    this.analyzed = [{ text, tokens }, ...this.analyzed.slice(0, 1)];
    return tokens;
  }
}

/** MiniSearch's radix tree: edges labelled by one or more code units, `''` keying a term's value. */
type RadixTree = Map<string, unknown>;

/** A place in a radix tree: `at` code units into the edge `label`, which leads to `tree`. */
interface RadixPlace {
  tree: RadixTree;
  label: string;
  at: number;
}

/** MiniSearch's term tree as a trie walked code unit by code unit. */
function radixTrie(root: RadixTree, contains: (term: string) => boolean): TermTrie<RadixPlace> {
  return {
    root: { tree: root, label: '', at: 0 },
    children({ tree, label, at }, _depth, visit) {
      if (at < label.length) {
        visit(label[at]!, { tree, label, at: at + 1 });
        return;
      }
      for (const [key, child] of tree) {
        if (key !== '') visit(key[0]!, { tree: child as RadixTree, label: key, at: 1 });
      }
    },
    isTerm({ tree, label, at }) {
      return at === label.length && tree.has('');
    },
    contains: (_place, term) => contains(term),
  };
}
