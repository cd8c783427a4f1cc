import { FIELD_COUNT } from '../fields.js';
import type { CompactSegment, CompactSegmentData } from './compact-segment.js';
import { growableUint32 } from './growable.js';
import { paretoImpacts } from './segment-writer.js';

/**
 * Merges compact segments into one, as Lucene merges segments: their live documents in order (segment
 * after segment), the deleted ones dropped, without analysing any text again — term dictionaries are
 * merged, token types and postings renumbered.
 */
export function mergeSegments(segments: readonly CompactSegment[]): CompactSegmentData {
  // The union of the term dictionaries, and each segment's term ids in it.
  const terms = [...new Set(segments.flatMap((segment) => segment.data.terms))].sort();
  const termIndex = new Map(terms.map((term, id) => [term, id]));
  const termMaps = segments.map((segment) =>
    Int32Array.from(segment.data.terms, (term) => termIndex.get(term)!),
  );

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
  const docTokenStart = growableUint32();
  const docTokens = growableUint32();
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
      for (let at = data.docTokenStart[doc]!; at < data.docTokenStart[doc + 1]!; at += 1) {
        docTokens.push(typeOffset + data.docTokens[at]!);
      }
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

  // Postings: for each term and field, each segment's live postings in turn (documents stay ascending).
  const termEntryStart = new Uint32Array(terms.length + 1);
  const entryFields: number[] = [];
  const entryStarts = growableUint32();
  const postingDocs = growableUint32();
  const postingFreqs = growableUint32();
  const postingLengths = growableUint32();
  // Each merged term's id in each segment (-1: not there).
  const localIds = segments.map((segment) => {
    const local = new Int32Array(terms.length).fill(-1);
    termMaps[segments.indexOf(segment)]!.forEach((merged, id) => (local[merged] = id));
    return local;
  });
  const holders: number[] = [];
  for (let term = 0; term < terms.length; term += 1) {
    holders.length = 0;
    for (let index = 0; index < segments.length; index += 1)
      if (localIds[index]![term]! >= 0) holders.push(index);
    for (let field = 0; field < FIELD_COUNT; field += 1) {
      const start = postingDocs.length;
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
            postingDocs.push(doc);
            postingFreqs.push(oldFreqs[at]!);
            postingLengths.push(oldLengths[at]!);
          }
        }
      }
      if (postingDocs.length > start) {
        entryFields.push(field);
        entryStarts.push(start);
      }
    }
    termEntryStart[term + 1] = entryFields.length;
  }
  entryStarts.push(postingDocs.length);
  const entryPostingStart = entryStarts.finish();
  const freqs = Uint16Array.from(postingFreqs.finish());
  const lengths = Uint16Array.from(postingLengths.finish());
  // Terms left without postings (every document holding them deleted) stay as empty entries: harmless.
  return {
    terms,
    articleIds,
    termEntryStart,
    entryField: Uint8Array.from(entryFields),
    entryPostingStart,
    ...paretoImpacts(entryFields.length, entryPostingStart, freqs, lengths),
    postingDocs: postingDocs.finish(),
    postingFreqs: freqs,
    postingLengths: lengths,
    fieldLengths,
    docArticle: docArticle.finish(),
    docPara: docPara.finish(),
    typeTerms,
    docTokenStart: docTokenStart.finish(),
    docTokens: docTokens.finish(),
    titleTokenStart: titleTokenStart.finish(),
    titleTokens: titleTokens.finish(),
  };
}
