/** A phrase's documents in a segment, as a posting list the scorers can score like a term's. */
import { FIELD } from '../fields.js';
import type { QueryWord } from '../query.js';
import { containsPhrase, phraseOccurrences } from '../segment/token-matching.js';
import { CompactSegment } from '../segment/compact-segment.js';
import { postingFrequency, postingLength, type Postings, type Segment } from '../segment/segment.js';

/**
 * The documents of a segment that hold a phrase, as a posting list of the paragraph text's stems (the
 * phrase's occurrences as its frequency): what a phrase that counts as a query word (a synonym of
 * several words) is scored as. `undefined` when none does.
 *
 * Candidates are the documents holding every word's stem, walked from the rarest list and looked up in
 * the others by bisection; each is then read token by token.
 */
export function phrasePostings(segment: Segment, phrase: readonly QueryWord[]): Postings | undefined {
  if (!(segment instanceof CompactSegment)) return findPhrase(segment, phrase);
  // A compact segment's documents never change, only get deleted: its phrase lists are kept, and their
  // document frequency counted again when deletions came since. A synonym group's phrases recur across
  // queries (`الولايات المتحدة` for `أمريكا`), and finding one costs a walk of two long lists.
  let memo = phraseMemos.get(segment);
  if (memo === undefined) {
    memo = new Map();
    phraseMemos.set(segment, memo);
  }
  const key = phrase.map((word) => `${word.exact} ${word.stem}`).join('\u0000');
  let kept = memo.get(key);
  if (kept === undefined) {
    if (memo.size >= PHRASE_MEMO_SIZE) memo.clear();
    kept = { postings: findPhrase(segment, phrase), liveCount: segment.liveCount };
    memo.set(key, kept);
  }
  const { postings } = kept;
  if (postings === undefined || kept.liveCount === segment.liveCount) return postings;
  let documentFrequency = 0;
  for (let at = postings.start; at < postings.end; at += 1) {
    if (segment.isLive(postings.docs[at]!)) documentFrequency += 1;
  }
  kept.postings = documentFrequency === 0 ? undefined : { ...postings, documentFrequency };
  kept.liveCount = segment.liveCount;
  return kept.postings;
}

/** Phrase lists kept per compact segment, at most this many (emptied when full). */
const PHRASE_MEMO_SIZE = 1_000;
const phraseMemos = new WeakMap<
  CompactSegment,
  Map<string, { postings: Postings | undefined; liveCount: number }>
>();

function findPhrase(segment: Segment, phrase: readonly QueryWord[]): Postings | undefined {
  const lists: Postings[] = [];
  for (const word of phrase) {
    const list = segment.postings(word.stem, FIELD.textStem);
    if (list === undefined) return undefined;
    lists.push(list);
  }
  lists.sort((a, b) => a.end - a.start - (b.end - b.start));
  const [rarest, ...others] = lists;
  const docs: number[] = [];
  const freqs: number[] = [];
  const lengths: number[] = [];
  const cursors = others.map((list) => list.start);
  for (let at = rarest!.start; at < rarest!.end; at += 1) {
    const doc = rarest!.docs[at]!;
    if (!segment.isLive(doc)) continue;
    let inAll = true;
    for (let other = 0; other < others.length && inAll; other += 1) {
      const list = others[other]!;
      let low = cursors[other]!;
      let high = list.end;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (list.docs[middle]! < doc) low = middle + 1;
        else high = middle;
      }
      cursors[other] = low;
      inAll = low < list.end && list.docs[low] === doc;
    }
    if (!inAll) continue;
    const tokens = segment.tokens(doc);
    if (!containsPhrase(tokens, phrase)) continue;
    docs.push(doc);
    freqs.push(postingFrequency(phraseOccurrences(tokens, phrase)));
    lengths.push(postingLength(segment.fieldLength(doc, FIELD.textStem)));
  }
  if (docs.length === 0) return undefined;
  let bestFrequency = 0;
  let shortest = Number.POSITIVE_INFINITY;
  for (let at = 0; at < docs.length; at += 1) {
    bestFrequency = Math.max(bestFrequency, freqs[at]!);
    shortest = Math.min(shortest, lengths[at]!);
  }
  return {
    docs: Uint32Array.from(docs),
    freqs: Uint8Array.from(freqs),
    lengths: Uint8Array.from(lengths),
    exactLength: (doc) => segment.fieldLength(doc, FIELD.textStem),
    start: 0,
    end: docs.length,
    documentFrequency: docs.length,
    // The largest frequency with the shortest length: a loose but valid bound of the list's best score.
    impactFrequencies: [bestFrequency],
    impactLengths: [shortest],
  };
}
