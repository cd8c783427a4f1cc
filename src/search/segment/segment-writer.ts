/** The segment writer: analyses paragraphs once and lays out a compact segment's arrays. */
import { type AnalysisOptions, compoundHeadAt, compoundTerms, wordTerms } from '../../analysis/analyze.js';
import { SIGNATURE_UNITS, writeSignature } from './signatures.js';

import { forEachWord } from '../../analysis/word-scanner.js';
import { FIELD, FIELD_COUNT, type Field } from '../fields.js';
import type { CompactSegmentData } from './compact-segment.js';
import { growableFloat32, growableInt32, growableUint16, growableUint32 } from './growable.js';
import { norm } from '../vectors/vector-math.js';
import { quantizeRows } from '../vectors/quantized-vectors.js';
import { WrittenWords } from './written-words.js';
import { isBlankParagraph, MAX_POSTING_FREQUENCY, postingFrequency, postingLength } from './segment.js';
import { postingBlocks } from './posting-blocks.js';
import { TermList } from './term-list.js';
import { pushTokenType } from './token-types.js';

/** An article as a segment indexes it: its id, title and paragraphs (blank ones are skipped). */
export interface SegmentSource {
  id: string;
  title: string;
  paragraphs: readonly string[];
  /** One vector per paragraph, or none for a paragraph (`null`); all of one archive's of one dimension. */
  vectors?: readonly (Float32Array | null | undefined)[];
}

/** Where each field of a document takes its terms from: the text or the title, and which slot of a token type. */
const TEXT_SLOTS: readonly [Field, number][] = [
  [FIELD.text, 0],
  [FIELD.textStem, 1],
  [FIELD.textAlternative, 2],
];
const TITLE_SLOTS: readonly [Field, number][] = [
  [FIELD.title, 0],
  [FIELD.titleStem, 1],
];

/** A field's distinct terms and their frequencies in one text. */
interface FieldTerms {
  termIds: number[];
  frequencies: number[];
}

/**
 * Builds compact segments: analyses paragraphs once each and lays out postings, field lengths and token
 * types in typed arrays.
 *
 * - Each distinct written word is analysed once; after that a word costs one hash probe, which gives
 *   its token types (exact, stem and alternative term ids).
 * - Postings are collected as (term, field, document, frequency) in document order, then placed by a
 *   counting sort on (term, field) once the terms are sorted.
 */
export class SegmentWriter {
  private readonly termIds = new Map<string, number>();
  private readonly termList: string[] = [];
  private readonly typeIds = new Map<string, number>();
  private readonly typeTerms = growableInt32();
  private readonly writtenWords = new WrittenWords();
  private readonly articleIds: string[] = [];
  private readonly docArticle = growableUint32();
  private readonly docPara = growableUint32();
  private readonly docSignatures = growableUint16();
  private readonly signature = new Uint16Array(SIGNATURE_UNITS);
  /**
   * The words of the paragraph being signed, reused from paragraph to paragraph (never shortened:
   * emptying an array lets go of its storage, which each paragraph then grew again).
   */
  private readonly signatureWords: string[] = [];
  private readonly docTokenStart = growableUint32();
  private readonly docTokens = growableUint16();
  private readonly titleTokenStart = growableUint32();
  private readonly titleTokens = growableUint32();
  private readonly fieldLengths = Array.from({ length: FIELD_COUNT }, growableUint32);
  private readonly postingKeys = growableUint32();
  private readonly postingDocs = growableUint32();
  private readonly postingFreqs = growableUint32();
  private readonly vectorDocs = growableUint32();
  private readonly vectors = growableFloat32();
  private readonly vectorNorms = growableFloat32();
  private vectorDimensions = 0;
  /** Per term id, its count in the text being counted; reset after each text. */
  private counts = new Uint32Array(1 << 16);
  private readonly touched: number[] = [];
  private readonly types: number[] = [];

  constructor(private readonly analysis: AnalysisOptions) {
    this.docTokenStart.push(0);
    this.titleTokenStart.push(0);
  }

  /** Documents added so far. */
  get documents(): number {
    return this.docArticle.length;
  }

  /** Adds an article's non-blank paragraphs as documents. */
  add(article: SegmentSource): void {
    const articleIndex = this.articleIds.length;
    this.articleIds.push(article.id);
    this.tokenTypes(article.title);
    for (const type of this.types) this.titleTokens.push(type);
    this.titleTokenStart.push(this.titleTokens.length);
    const titleFields = TITLE_SLOTS.map(([, slot]) => this.distinctTerms(slot));
    const { paragraphs } = article;
    for (let para = 0; para < paragraphs.length; para += 1) {
      const text = paragraphs[para]!;
      if (isBlankParagraph(text)) continue;
      const doc = this.docArticle.length;
      this.docArticle.push(articleIndex);
      this.docPara.push(para);
      const vector = article.vectors?.[para];
      if (vector !== undefined && vector !== null) this.addVector(doc, vector);
      this.tokenTypes(text);
      for (let at = 0; at < this.types.length; at += 1) pushTokenType(this.docTokens, this.types[at]!);
      this.docTokenStart.push(this.docTokens.length);
      this.writeSignature();
      this.docSignatures.pushAll(this.signature);
      for (const [field, slot] of TEXT_SLOTS) this.addTextPostings(doc, field, slot);
      for (let index = 0; index < TITLE_SLOTS.length; index += 1) {
        this.addPostings(doc, TITLE_SLOTS[index]![0], titleFields[index]!);
      }
    }
  }

  /** Signs the paragraph whose token types `types` holds, into `signature`. */
  private writeSignature(): void {
    const { signatureWords: words, types, termList } = this;
    // Read after the text's words were added: a new one may have grown the array.
    const typeTerms = this.typeTerms.values;
    for (let at = 0; at < types.length; at += 1) words[at] = termList[typeTerms[types[at]! * 3]!]!;
    writeSignature(words, this.signature, 0, types.length);
  }

  private addVector(doc: number, vector: Float32Array): void {
    if (this.vectorDimensions === 0) this.vectorDimensions = vector.length;
    if (vector.length !== this.vectorDimensions) {
      throw new Error(
        `bug: a vector of ${vector.length} dimensions in a segment of ${this.vectorDimensions}`,
      );
    }
    this.vectorDocs.push(doc);
    this.vectors.pushAll(vector);
    this.vectorNorms.push(norm(vector));
  }

  /** Adds a document's postings in one text field: its distinct terms in one slot of its token types. */
  private addTextPostings(doc: number, field: Field, slot: number): void {
    const { counts, touched, types } = this;
    const typeTerms = this.typeTerms.values;
    for (let at = 0; at < types.length; at += 1) {
      const termId = typeTerms[types[at]! * 3 + slot]!;
      if (termId < 0) continue;
      if (counts[termId] === 0) touched.push(termId);
      counts[termId]! += 1;
    }
    this.fieldLengths[field]!.push(touched.length);
    for (let at = 0; at < touched.length; at += 1) {
      const termId = touched[at]!;
      this.postingKeys.push(termId * FIELD_COUNT + field);
      this.postingDocs.push(doc);
      this.postingFreqs.push(counts[termId]!);
      counts[termId] = 0;
    }
    touched.length = 0;
  }

  /** The segment's arrays; the writer must not be used afterwards. */
  finish(): CompactSegmentData {
    // Terms without postings (the alternative stem of a word seen only in titles, which index none)
    // stay out of the dictionary, so expansions never meet them.
    const keys = this.postingKeys.finish();
    const hasPostings = new Uint8Array(this.termList.length);
    for (let at = 0; at < keys.length; at += 1) hasPostings[Math.floor(keys[at]! / FIELD_COUNT)] = 1;
    // Sorted by UTF-16 code units, as the default sort compares strings (natively: a comparison
    // function called from the sort took twice as long).
    const terms = this.termList.filter((_, id) => hasPostings[id] === 1).sort();
    const termCount = terms.length;
    const rank = new Int32Array(this.termList.length).fill(-1);
    terms.forEach((term, sorted) => (rank[this.termIds.get(term)!] = sorted));

    const typeTerms = this.typeTerms.finish();
    for (let at = 0; at < typeTerms.length; at += 1) {
      if (typeTerms[at]! >= 0) typeTerms[at] = rank[typeTerms[at]!]!;
    }

    // Counting sort of the postings by (sorted term, field); documents stay ascending within each.
    const keyCount = termCount * FIELD_COUNT;
    for (let at = 0; at < keys.length; at += 1) {
      const key = keys[at]!;
      keys[at] = rank[Math.floor(key / FIELD_COUNT)]! * FIELD_COUNT + (key % FIELD_COUNT);
    }
    const keyStart = new Uint32Array(keyCount + 1);
    for (let at = 0; at < keys.length; at += 1) keyStart[keys[at]! + 1]! += 1;
    let entries = 0;
    for (let key = 0; key < keyCount; key += 1) {
      if (keyStart[key + 1]! > 0) entries += 1;
      keyStart[key + 1]! += keyStart[key]!;
    }
    const termEntryStart = new Uint32Array(termCount + 1);
    const entryField = new Uint8Array(entries);
    const entryPostingStart = new Uint32Array(entries + 1);
    let entry = 0;
    for (let key = 0; key < keyCount; key += 1) {
      if (keyStart[key + 1]! > keyStart[key]!) {
        entryField[entry] = key % FIELD_COUNT;
        entryPostingStart[entry] = keyStart[key]!;
        entry += 1;
      }
      if (key % FIELD_COUNT === FIELD_COUNT - 1) termEntryStart[(key + 1) / FIELD_COUNT] = entry;
    }
    entryPostingStart[entries] = keys.length;

    const documents = this.documents;
    const fieldLengths = new Uint32Array(FIELD_COUNT * documents);
    this.fieldLengths.forEach((lengths, field) => fieldLengths.set(lengths.finish(), field * documents));
    const docs = this.postingDocs.finish();
    const freqs = this.postingFreqs.finish();
    const postingDocs = new Uint32Array(keys.length);
    const postingFreqs = new Uint8Array(keys.length);
    const postingLengths = new Uint8Array(keys.length);
    const next = keyStart.subarray(0, keyCount);
    for (let at = 0; at < keys.length; at += 1) {
      const key = keys[at]!;
      const place = next[key]!++;
      postingDocs[place] = docs[at]!;
      postingFreqs[place] = postingFrequency(freqs[at]!);
      postingLengths[place] = postingLength(fieldLengths[(key % FIELD_COUNT) * documents + docs[at]!]!);
    }
    const impacts = paretoImpacts(entries, entryPostingStart, postingFreqs, postingLengths);
    const blocks = postingBlocks(postingFreqs, postingLengths);
    return {
      ...TermList.encode(terms),
      articleIds: this.articleIds,
      termEntryStart,
      entryField,
      entryPostingStart,
      ...impacts,
      postingDocs,
      postingFreqs,
      postingLengths,
      blockMaxFrequency: blocks.maxFrequency,
      blockMinLength: blocks.minLength,
      fieldLengths,
      docArticle: this.docArticle.finish(),
      docPara: this.docPara.finish(),
      docSignatures: this.docSignatures.finish(),
      typeTerms,
      docTokenStart: this.docTokenStart.finish(),
      docTokens: this.docTokens.finish(),
      titleTokenStart: this.titleTokenStart.finish(),
      titleTokens: this.titleTokens.finish(),
      ...vectorArrays(this.vectorDocs.finish(), this.vectors.finish(), this.vectorNorms.finish()),
    };
  }

  /** Fills `types` with the token types of a text, analysing only words not seen before. */
  private tokenTypes(text: string): void {
    this.types.length = 0;
    this.text = text;
    this.head = undefined;
    forEachWord(text, this.addWord);
  }

  /** A name's first word written apart (`عبد`), as analyzeForIndex waits with it for the next word. */
  private head: { start: number; end: number; typesAt: number } | undefined;

  /** The text {@link tokenTypes} is reading, for {@link addWord}. */
  private text = '';

  private readonly addWord = (start: number, end: number): void => {
    const { writtenWords, text } = this;
    const head = this.head;
    if (head !== undefined) {
      this.head = undefined;
      const joined = compoundTerms(text.slice(head.start, head.end), text.slice(start, end), this.analysis);
      if (joined.length > 0) {
        // The head's own types give way to the joined spelling's, then the word's own.
        this.types.length = head.typesAt;
        for (const { exact, term, alternative } of joined)
          this.types.push(this.typeId(exact, term, alternative));
        return;
      }
    }
    if (compoundHeadAt(text, start, end)) this.head = { start, end, typesAt: this.types.length };
    const word = writtenWords.find(this.text, start, end, this.typesOfWord);
    const types = writtenWords.types.values;
    for (let at = writtenWords.typeStart(word); at < writtenWords.typeEnd(word); at += 1) {
      this.types.push(types[at]!);
    }
  };

  private readonly typesOfWord = (word: string): number[] =>
    wordTerms(word, this.analysis).map(({ exact, term, alternative }) =>
      this.typeId(exact, term, alternative),
    );

  private typeId(exact: string, term: string, alternative: string | undefined): number {
    const key = `${exact}\u0000${term}\u0000${alternative ?? ''}`;
    let type = this.typeIds.get(key);
    if (type === undefined) {
      type = this.typeIds.size;
      this.typeIds.set(key, type);
      this.typeTerms.push(this.termId(exact));
      this.typeTerms.push(this.termId(term));
      this.typeTerms.push(alternative === undefined ? -1 : this.termId(alternative));
    }
    return type;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termList.length;
      this.termIds.set(term, id);
      this.termList.push(term);
      if (id >= this.counts.length) {
        const grown = new Uint32Array(this.counts.length * 2);
        grown.set(this.counts);
        this.counts = grown;
      }
    }
    return id;
  }

  /** The distinct terms of `types` in one slot (exact, stem, alternative) with their frequencies. */
  private distinctTerms(slot: number): FieldTerms {
    const { counts, touched, types } = this;
    const typeTerms = this.typeTerms.values;
    for (const type of types) {
      const termId = typeTerms[type * 3 + slot]!;
      if (termId < 0) continue;
      if (counts[termId] === 0) touched.push(termId);
      counts[termId]! += 1;
    }
    const field: FieldTerms = { termIds: touched.slice(), frequencies: touched.map((id) => counts[id]!) };
    for (const termId of touched) counts[termId] = 0;
    touched.length = 0;
    return field;
  }

  private addPostings(doc: number, field: Field, { termIds, frequencies }: FieldTerms): void {
    this.fieldLengths[field]!.push(termIds.length);
    for (let index = 0; index < termIds.length; index += 1) {
      this.postingKeys.push(termIds[index]! * FIELD_COUNT + field);
      this.postingDocs.push(doc);
      this.postingFreqs.push(frequencies[index]!);
    }
  }
}

/** A segment's vector arrays: its rows' documents, values and lengths, and their 4-bit codes made now. */
export function vectorArrays(
  vectorDocs: Uint32Array,
  vectors: Float32Array,
  vectorNorms: Float32Array,
): Pick<CompactSegmentData, 'vectorDocs' | 'vectors' | 'vectorNorms' | 'vectorCodes' | 'vectorScales'> {
  const rows = vectorDocs.length;
  const { codes, scales } = quantizeRows(vectors, rows === 0 ? 0 : vectors.length / rows, rows);
  return { vectorDocs, vectors, vectorNorms, vectorCodes: codes, vectorScales: scales };
}

/** Builds a compact segment of articles in this thread. */
export function buildCompactSegment(
  articles: Iterable<SegmentSource>,
  analysis: AnalysisOptions,
): CompactSegmentData {
  const writer = new SegmentWriter(analysis);
  for (const article of articles) writer.add(article);
  return writer.finish();
}

/**
 * For each entry, the (frequency, length) pairs of its postings that no other posting beats on both:
 * for each frequency, the shortest field length among postings at least that frequent, kept where it
 * is shorter than for every higher frequency.
 */
export function paretoImpacts(
  entries: number,
  entryPostingStart: Uint32Array,
  postingFreqs: Uint8Array,
  postingLengths: Uint8Array,
): Pick<CompactSegmentData, 'entryImpactStart' | 'impactFrequency' | 'impactLength'> {
  const entryImpactStart = new Uint32Array(entries + 1);
  const frequencies = growableUint32();
  const lengths = growableUint32();
  const shortest = new Uint32Array(MAX_POSTING_FREQUENCY + 1).fill(0xffffffff);
  const seen: number[] = [];
  for (let entry = 0; entry < entries; entry += 1) {
    for (let at = entryPostingStart[entry]!; at < entryPostingStart[entry + 1]!; at += 1) {
      const frequency = postingFreqs[at]!;
      const length = postingLengths[at]!;
      if (shortest[frequency] === 0xffffffff) seen.push(frequency);
      if (length < shortest[frequency]!) shortest[frequency] = length;
    }
    seen.sort((a, b) => b - a);
    let best = 0xffffffff;
    for (const frequency of seen) {
      if (shortest[frequency]! < best) {
        best = shortest[frequency]!;
        frequencies.push(frequency);
        lengths.push(best);
      }
      shortest[frequency] = 0xffffffff;
    }
    seen.length = 0;
    entryImpactStart[entry + 1] = frequencies.length;
  }
  return { entryImpactStart, impactFrequency: frequencies.finish(), impactLength: lengths.finish() };
}
