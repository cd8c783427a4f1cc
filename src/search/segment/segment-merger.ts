/** Merging compact segments into one without re-analysing: dictionaries merged, postings renumbered. */
import { FIELD_COUNT } from '../fields.js';
import { SIGNATURE_UNITS, writeSignature } from './signatures.js';
import type { CompactSegment, CompactSegmentData } from './compact-segment.js';
import { growableFloat32, growableUint8, growableUint16, growableUint32 } from './growable.js';
import { paretoImpacts } from './segment-writer.js';
import { postingBlocks } from './posting-blocks.js';
import { codeBytes } from '../vectors/quantized-vectors.js';
import { TermList } from './term-list.js';
import { pushTokenType, readTokenTypes } from './token-types.js';

/**
 * Merges compact segments into one, as Lucene merges segments: their live documents in order (segment
 * after segment), the deleted ones dropped, without analysing any text again — term dictionaries are
 * merged, token types and postings renumbered.
 */
export function mergeSegments(segments: readonly CompactSegment[]): CompactSegmentData {
  const { terms, termMaps, localIds } = mergeDictionaries(segments.map((segment) => segment.terms.terms()));

  // Token types: each segment's, their terms renumbered, numbered again by how often the live documents
  // use them (the most used first, in one unit each: see token-types.ts). A type two segments share is
  // kept twice, which costs 12 bytes and spares a look-up per type.
  const typeOffsets: number[] = [];
  let typeCount = 0;
  for (const segment of segments) {
    typeOffsets.push(typeCount);
    typeCount += segment.data.typeTerms.length / 3;
  }
  const types: number[] = [];
  const uses = new Float64Array(typeCount);
  segments.forEach((segment, index) => {
    const { docTokenStart, docTokens } = segment.data;
    const typeOffset = typeOffsets[index]!;
    for (let doc = 0; doc < segment.size; doc += 1) {
      if (!segment.isLive(doc)) continue;
      const count = readTokenTypes(docTokens, docTokenStart[doc]!, docTokenStart[doc + 1]!, types);
      for (let at = 0; at < count; at += 1) uses[typeOffset + types[at]!]! += 1;
    }
  });
  const typeIds = typeIdsByUse(uses);
  const typeTerms = new Int32Array(3 * typeCount);
  segments.forEach((segment, index) => {
    const termMap = termMaps[index]!;
    const typeOffset = typeOffsets[index]!;
    const oldTerms = segment.data.typeTerms;
    for (let type = 0; type < oldTerms.length / 3; type += 1) {
      const to = 3 * typeIds[typeOffset + type]!;
      for (let slot = 0; slot < 3; slot += 1) {
        const term = oldTerms[3 * type + slot]!;
        typeTerms[to + slot] = term < 0 ? -1 : termMap[term]!;
      }
    }
  });

  // Documents: the live ones, renumbered; articles with at least one live document.
  const articleIds: string[] = [];
  const docArticle = growableUint32();
  const docPara = growableUint32();
  const docSignatures = growableUint16();
  const signature = new Uint16Array(SIGNATURE_UNITS);
  const docTokenStart = growableUint32();
  const docTokens = growableUint16();
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
          titleTokens.push(typeIds[typeOffset + data.titleTokens[at]!]!);
        }
        titleTokenStart.push(titleTokens.length);
      }
      docMap[doc] = docArticle.length;
      docArticle.push(article);
      docPara.push(data.docPara[doc]!);
      // Kept as they are; a segment file written before they were kept has them computed once, here.
      if (data.docSignatures.length === segment.size * SIGNATURE_UNITS) {
        docSignatures.pushAll(
          data.docSignatures.subarray(doc * SIGNATURE_UNITS, (doc + 1) * SIGNATURE_UNITS),
        );
      } else {
        writeSignature(segment.exactWords(doc), signature);
        docSignatures.pushAll(signature);
      }
      const count = readTokenTypes(
        data.docTokens,
        data.docTokenStart[doc]!,
        data.docTokenStart[doc + 1]!,
        types,
      );
      for (let at = 0; at < count; at += 1) pushTokenType(docTokens, typeIds[typeOffset + types[at]!]!);
      docTokenStart.push(docTokens.length);
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
    docTokens: docTokens.finish(),
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
 * New ids of types, `uses` giving how often each is used: the most used gets 0, then by use, ties in
 * their order.
 */
function typeIdsByUse(uses: Float64Array): Int32Array {
  const count = uses.length;
  let most = 0;
  for (let type = 0; type < count; type += 1) most = Math.max(most, uses[type]!);
  // One key a type, sorted as numbers (natively, no comparator): fewer uses, then a later type, sort
  // after. Exact: uses × types stays far below 2^53.
  const keys = new Float64Array(count);
  for (let type = 0; type < count; type += 1) keys[type] = (most - uses[type]!) * count + type;
  keys.sort();
  const ids = new Int32Array(count);
  for (let id = 0; id < count; id += 1) ids[keys[id]! % count] = id;
  return ids;
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
