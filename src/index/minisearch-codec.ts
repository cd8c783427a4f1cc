import MiniSearch, { type Options } from 'minisearch';
import { internalsOf } from './minisearch-internals.js';

/**
 * MiniSearch's index as flat arrays: what a snapshot stores.
 *
 * MiniSearch's own `toJSON`/`loadJS` turn every posting into an object property and back (ANT's 16.8
 * million postings took 27 s to save and 35 s to load); typed arrays make both a few seconds.
 */
export interface EncodedIndex {
  documentCount: number;
  nextId: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  /** `[shortId, id]` of every live document. */
  documentIds: [number, string][];
  /** Per live document, in `documentIds` order: one length per field. */
  fieldLength: Uint32Array;
  terms: string[];
  /**
   * Per term, in `terms` order: the number of fields, then per field its id, the number of documents
   * and that many `(shortId, frequency)` pairs.
   */
  postings: Uint32Array;
}

/** Growable Uint32 buffer. */
class Uint32Builder {
  private array = new Uint32Array(1 << 16);
  length = 0;

  push(value: number): void {
    if (this.length === this.array.length) {
      const grown = new Uint32Array(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length++] = value;
  }

  set(index: number, value: number): void {
    this.array[index] = value;
  }

  finish(): Uint32Array {
    return this.array.slice(0, this.length);
  }
}

/**
 * Encodes a MiniSearch index. Postings of discarded documents, which MiniSearch drops lazily, are
 * left out, so the decoded index starts clean.
 */
export function encodeMiniSearch(miniSearch: object): EncodedIndex {
  const internals = internalsOf(miniSearch);
  if (internals._storedFields.size > 0) throw new Error('the snapshot codec does not store fields');
  const fieldCount = Object.keys(internals._fieldIds).length;
  const documentIds = [...internals._documentIds];
  const fieldLength = new Uint32Array(documentIds.length * fieldCount);
  documentIds.forEach(([shortId], index) => {
    const lengths = internals._fieldLength.get(shortId) ?? [];
    for (let field = 0; field < fieldCount; field += 1)
      fieldLength[index * fieldCount + field] = lengths[field] ?? 0;
  });
  const terms: string[] = [];
  const postings = new Uint32Builder();
  for (const [term, fields] of internals._index) {
    const start = postings.length;
    postings.push(0);
    let written = 0;
    for (const [fieldId, frequencies] of fields) {
      const countAt = postings.length + 1;
      let count = 0;
      for (const [shortId, frequency] of frequencies) {
        if (!internals._documentIds.has(shortId)) continue;
        if (count === 0) (postings.push(fieldId), postings.push(0));
        postings.push(shortId);
        postings.push(frequency);
        count += 1;
      }
      if (count > 0) {
        postings.set(countAt, count);
        written += 1;
      }
    }
    if (written === 0) {
      postings.length = start;
      continue;
    }
    postings.set(start, written);
    terms.push(term);
  }
  return {
    documentCount: internals._documentCount,
    nextId: internals._nextId,
    fieldIds: { ...internals._fieldIds },
    averageFieldLength: [...internals._avgFieldLength],
    documentIds,
    fieldLength,
    terms,
    postings: postings.finish(),
  };
}

/** Rebuilds a MiniSearch index from {@link encodeMiniSearch}'s output; throws on inconsistent data. */
export function decodeMiniSearch<T>(encoded: EncodedIndex, options: Options<T>): MiniSearch<T> {
  // loadJS with an empty index is the public way to get an instance with these options and counts.
  const miniSearch = MiniSearch.loadJS(
    {
      documentCount: encoded.documentCount,
      nextId: encoded.nextId,
      documentIds: {},
      fieldIds: encoded.fieldIds,
      fieldLength: {},
      averageFieldLength: encoded.averageFieldLength,
      storedFields: {},
      dirtCount: 0,
      index: [],
      serializationVersion: 2,
    },
    options,
  );
  const internals = internalsOf(miniSearch);
  const fieldCount = Object.keys(encoded.fieldIds).length;
  if (encoded.fieldLength.length !== encoded.documentIds.length * fieldCount) {
    throw new Error('field lengths do not match the documents');
  }
  encoded.documentIds.forEach(([shortId, id], index) => {
    internals._documentIds.set(shortId, id);
    internals._idToShortId.set(id, shortId);
    internals._fieldLength.set(
      shortId,
      Array.from(encoded.fieldLength.subarray(index * fieldCount, (index + 1) * fieldCount)),
    );
  });
  const { postings } = encoded;
  let at = 0;
  const read = () => {
    if (at >= postings.length) throw new Error('postings end early');
    return postings[at++]!;
  };
  for (const term of encoded.terms) {
    const fields = new Map<number, Map<number, number>>();
    for (let fieldsLeft = read(); fieldsLeft > 0; fieldsLeft -= 1) {
      const fieldId = read();
      const frequencies = new Map<number, number>();
      for (let documentsLeft = read(); documentsLeft > 0; documentsLeft -= 1) {
        const shortId = read();
        frequencies.set(shortId, read());
      }
      fields.set(fieldId, frequencies);
    }
    internals._index.set(term, fields);
  }
  if (at !== postings.length) throw new Error('postings hold more than their terms');
  return miniSearch;
}
