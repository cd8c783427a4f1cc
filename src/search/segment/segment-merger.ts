/** Merging compact segments into one without re-analysing: dictionaries merged, postings renumbered. */
import { FIELD_COUNT } from '../fields.js';
import { SIGNATURE_WORDS, writeSignature } from './signatures.js';
import type { CompactSegment, CompactSegmentData } from './compact-segment.js';
import { growableFloat32, growableUint8, growableUint32 } from './growable.js';
import { paretoImpacts } from './segment-writer.js';
import { postingBlocks } from './posting-blocks.js';
import { codeBytes } from '../vectors/quantized-vectors.js';
import { TermList } from './term-list.js';

/**
 * Merges compact segments into one, as Lucene merges segments: their live documents in order (segment
 * after segment), the deleted ones dropped, without analysing any text again — term dictionaries are
 * merged, token types and postings renumbered.
 */
export function mergeSegments(segments: readonly CompactSegment[]): CompactSegmentData {
  const { terms, termMaps, localIds } = mergeDictionaries(segments.map((segment) => segment.terms.terms()));

  // Token types: each segment's, one after the other, their terms renumbered. A type two segments share
  // is kept twice, which costs 12 bytes and spares a look-up per type.
  const typeTerms = new Int32Array(segments.reduce((sum, segment) => sum + segment.data.typeTerms.length, 0));
  const typeOffsets: number[] = [];
  let typeAt = 0;
  segments.forEach((segment, index) => {
    typeOffsets.push(typeAt / 3);
    const termMap = termMaps[index]!;
    for (const term of segment.data.typeTerms) typeTerms[typeAt++] = term < 0 ? -1 : termMap[term]!;
  });

  // Documents: the live ones, renumbered; articles with at least one live document.
  const articleIds: string[] = [];
  const docArticle = growableUint32();
  const docPara = growableUint32();
  const docSignatures = growableUint32();
  const signature = new Uint32Array(SIGNATURE_WORDS);
  const docTokenStart = growableUint32();
  // At most every token of every segment: written in place, no growing.
  const docTokens = new Uint32Array(
    segments.reduce((sum, segment) => sum + segment.data.docTokens.length, 0),
  );
  let docTokenCount = 0;
  const titleTokenStart = growableUint32();
  const titleTokens = growableUint32();
  const fieldLengthRows = Array.from({ length: FIELD_COUNT }, growableUint32);
  docTokenStart.push(0);
  titleTokenStart.push(0);
  const docMaps = segments.map((segment, index) => {
    const { data } = segment;
    const typeOffset = typeOffsets[index]!;
    const docMap = new Int32Array(segment.size).fill(-1);
    const articleMap = new Map<number, number>();
    for (let doc = 0; doc < segment.size; doc += 1) {
      if (!segment.isLive(doc)) continue;
      const oldArticle = data.docArticle[doc]!;
      let article = articleMap.get(oldArticle);
      if (article === undefined) {
        article = articleIds.length;
        articleMap.set(oldArticle, article);
        articleIds.push(data.articleIds[oldArticle]!);
        for (
          let at = data.titleTokenStart[oldArticle]!;
          at < data.titleTokenStart[oldArticle + 1]!;
          at += 1
        ) {
          titleTokens.push(typeOffset + data.titleTokens[at]!);
        }
        titleTokenStart.push(titleTokens.length);
      }
      docMap[doc] = docArticle.length;
      docArticle.push(article);
      docPara.push(data.docPara[doc]!);
      // Kept as they are; a segment file written before they were kept has them computed once, here.
      if (data.docSignatures.length === segment.size * SIGNATURE_WORDS) {
        docSignatures.pushAll(
          data.docSignatures.subarray(doc * SIGNATURE_WORDS, (doc + 1) * SIGNATURE_WORDS),
        );
      } else {
        writeSignature(segment.exactWords(doc), signature);
        docSignatures.pushAll(signature);
      }
      for (let at = data.docTokenStart[doc]!; at < data.docTokenStart[doc + 1]!; at += 1) {
        docTokens[docTokenCount++] = typeOffset + data.docTokens[at]!;
      }
      docTokenStart.push(docTokenCount);
      for (let field = 0; field < FIELD_COUNT; field += 1) {
        fieldLengthRows[field]!.push(data.fieldLengths[field * segment.size + doc]!);
      }
    }
    return docMap;
  });
  const documents = docArticle.length;
  const fieldLengths = new Uint32Array(FIELD_COUNT * documents);
  fieldLengthRows.forEach((lengths, field) => fieldLengths.set(lengths.finish(), field * documents));

  // Vectors: those of the live documents, which stay in document order, with their codes as they are
  // (a row is quantized on its own: merging changes none).
  const vectorDocs = growableUint32();
  const vectors = growableFloat32();
  const vectorNorms = growableFloat32();
  const vectorCodes = growableUint8();
  const vectorScales = growableFloat32();
  segments.forEach((segment, index) => {
    const rows = segment.vectors();
    if (rows === undefined) return;
    const docMap = docMaps[index]!;
    const bytes = codeBytes(rows.dimensions);
    for (let row = 0; row < rows.rows; row += 1) {
      const doc = docMap[rows.docs[row]!]!;
      if (doc < 0) continue;
      vectorDocs.push(doc);
      vectors.pushAll(rows.values.subarray(row * rows.dimensions, (row + 1) * rows.dimensions));
      vectorNorms.push(rows.norms[row]!);
      vectorCodes.pushAll(segment.data.vectorCodes.subarray(row * bytes, (row + 1) * bytes));
      vectorScales.push(segment.data.vectorScales[row]!);
    }
  });

  // Postings: for each term and field, each segment's live postings in turn (documents stay ascending).
  const termEntryStart = new Uint32Array(terms.length + 1);
  const entryFields: number[] = [];
  const entryStarts = growableUint32();
  // At most every posting of every segment: written in place, trimmed at the end.
  const postingCapacity = segments.reduce((sum, segment) => sum + segment.data.postingDocs.length, 0);
  const postingDocs = new Uint32Array(postingCapacity);
  const postingFreqs = new Uint8Array(postingCapacity);
  const postingLengths = new Uint8Array(postingCapacity);
  let postings = 0;
  const holders: number[] = [];
  for (let term = 0; term < terms.length; term += 1) {
    holders.length = 0;
    for (let index = 0; index < segments.length; index += 1)
      if (localIds[index]![term]! >= 0) holders.push(index);
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      const start = postings;
      for (const index of holders) {
        const {
          termEntryStart: starts,
          entryField,
          entryPostingStart,
          postingDocs: docs,
        } = segments[index]!.data;
        const { postingFreqs: oldFreqs, postingLengths: oldLengths } = segments[index]!.data;
        const local = localIds[index]![term]!;
        const docMap = docMaps[index]!;
        for (let entry = starts[local]!; entry < starts[local + 1]!; entry += 1) {
          if (entryField[entry] !== field) continue;
          for (let at = entryPostingStart[entry]!; at < entryPostingStart[entry + 1]!; at += 1) {
            const doc = docMap[docs[at]!]!;
            if (doc < 0) continue;
            postingDocs[postings] = doc;
            postingFreqs[postings] = oldFreqs[at]!;
            postingLengths[postings] = oldLengths[at]!;
            postings += 1;
          }
        }
      }
      if (postings > start) {
        entryFields.push(field);
        entryStarts.push(start);
      }
    }
    termEntryStart[term + 1] = entryFields.length;
  }
  entryStarts.push(postings);
  const entryPostingStart = entryStarts.finish();
  const freqs = postingFreqs.slice(0, postings);
  const lengths = postingLengths.slice(0, postings);
  const blocks = postingBlocks(freqs, lengths);
  // Terms left without postings (every document holding them deleted) stay as empty entries: harmless.
  return {
    ...TermList.encode(terms),
    articleIds,
    termEntryStart,
    entryField: Uint8Array.from(entryFields),
    entryPostingStart,
    ...paretoImpacts(entryFields.length, entryPostingStart, freqs, lengths),
    postingDocs: postingDocs.slice(0, postings),
    postingFreqs: freqs,
    postingLengths: lengths,
    blockMaxFrequency: blocks.maxFrequency,
    blockMinLength: blocks.minLength,
    fieldLengths,
    docArticle: docArticle.finish(),
    docPara: docPara.finish(),
    docSignatures: docSignatures.finish(),
    typeTerms,
    docTokenStart: docTokenStart.finish(),
    docTokens: docTokens.slice(0, docTokenCount),
    titleTokenStart: titleTokenStart.finish(),
    titleTokens: titleTokens.finish(),
    vectorDocs: vectorDocs.finish(),
    vectors: vectors.finish(),
    vectorNorms: vectorNorms.finish(),
    vectorCodes: vectorCodes.finish(),
    vectorScales: vectorScales.finish(),
  };
}

/**
 * The union of sorted term dictionaries, by a k-way merge (each is sorted already): the merged terms,
 * each segment's term ids in it, and each merged term's id in each segment (-1: not there).
 */
function mergeDictionaries(dictionaries: readonly (readonly string[])[]): {
  terms: string[];
  termMaps: Int32Array[];
  localIds: Int32Array[];
} {
  const terms: string[] = [];
  const termMaps = dictionaries.map((dictionary) => new Int32Array(dictionary.length));
  const positions = dictionaries.map(() => 0);
  const owners: number[][] = [];
  for (;;) {
    // The smallest next term of any dictionary (k is ten at most: a scan beats a heap).
    let smallest: string | undefined;
    for (let index = 0; index < dictionaries.length; index += 1) {
      const term = dictionaries[index]![positions[index]!];
      if (term !== undefined && (smallest === undefined || term < smallest)) smallest = term;
    }
    if (smallest === undefined) break;
    const id = terms.length;
    terms.push(smallest);
    const holders: number[] = [];
    for (let index = 0; index < dictionaries.length; index += 1) {
      if (dictionaries[index]![positions[index]!] !== smallest) continue;
      termMaps[index]![positions[index]!] = id;
      holders.push(index, positions[index]!);
      positions[index]! += 1;
    }
    owners.push(holders);
  }
  const localIds = dictionaries.map(() => new Int32Array(terms.length).fill(-1));
  owners.forEach((holders, id) => {
    for (let at = 0; at < holders.length; at += 2) localIds[holders[at]!]![id] = holders[at + 1]!;
  });
  return { terms, termMaps, localIds };
}
