/** Which documents of a segment are lead paragraphs: what a match in the title alone makes a hit. */
import type { Segment } from '../segment/segment.js';

const leads = new WeakMap<Segment, Uint8Array>();

/**
 * 1 for each document of a segment that is its article's first paragraph, else 0: read once per
 * document and kept, as scorers ask it of every title posting. A live segment only grows (a replaced
 * article gets new documents), so what was read stays true and only new documents are read; a document
 * removed since it was read is in no posting list any more.
 */
export function leadParagraphs(segment: Segment): Uint8Array {
  const known = leads.get(segment);
  if (known !== undefined && known.length === segment.size) return known;
  const made = new Uint8Array(segment.size);
  const from = known === undefined || known.length > segment.size ? 0 : known.length;
  if (from > 0) made.set(known!);
  // A removed document has no paragraph number left in a live segment; it is matched no more either.
  for (let doc = from; doc < segment.size; doc += 1) {
    made[doc] = segment.isLive(doc) && segment.para(doc) === 0 ? 1 : 0;
  }
  leads.set(segment, made);
  return made;
}
