/** Near-duplicate paragraphs found by MinHash over word shingles, with LSH bands. */
import { FNV_BASIS, FNV_PRIME, HASHES, type Signature } from './segment/signatures.js';

export { type Signature, signatureOf, signatureOfWords } from './segment/signatures.js';

/**
 * Near-duplicate paragraphs — the same wire story republished by several outlets, a word changed or a
 * dateline added — found by MinHash over word shingles (Broder 1997), with LSH bands so that only
 * likely pairs are compared.
 *
 * Two paragraphs are copies when their normalised words are the same, or when the Jaccard similarity
 * of their sets of 3-word shingles is at least {@link COPY_SIMILARITY}, as estimated by the share of
 * {@link HASHES} min-hashes they agree on.
 */

/** Least shingle similarity of two copies: a few words changed in a 40-word paragraph. */
export const COPY_SIMILARITY = 0.8;

/** Min-hashes per LSH band: a pair at 0.8 shares one of the bands with p ≈ 0.98. */
const ROWS = 4;

/** Estimated shingle similarity of two paragraphs: the share of min-hashes they agree on. */
export function similarity(a: Signature, b: Signature): number {
  if (a.words === b.words) return 1;
  let same = 0;
  for (let h = 0; h < HASHES; h += 1) if (a.minHashes[h] === b.minHashes[h]) same += 1;
  return same / HASHES;
}

/**
 * Groups paragraphs that are copies of each other, in the order given: each group is listed by its
 * first member's position, with the positions of the others in order. Paragraphs are compared only
 * when they share a band of min-hashes (or their words), then kept together when {@link similarity}
 * reaches {@link COPY_SIMILARITY}; a copy of a copy joins the group.
 */
export function groupCopies(signatures: readonly (Signature | undefined)[]): number[][] {
  const parent = signatures.map((_, at) => at);
  const root = (at: number): number => {
    while (parent[at] !== at) {
      parent[at] = parent[parent[at]!]!;
      at = parent[at]!;
    }
    return at;
  };
  // The first paragraph of each text: a later one with the same words joins it and is not compared
  // again, as its bands are the same (boilerplate listed hundreds of times made grouping quadratic).
  const firstWithWords = new Map<string, number>();
  // Buckets by a 32-bit hash of each band (its number and min-hashes): two bands that collide only cost
  // a comparison, as `similarity` decides. Numbers, not strings built for every band, keep grouping a
  // page's copies a small part of a search.
  const byBand = new Map<number, number[]>();
  const join = (key: number, at: number, signature: Signature) => {
    const members = byBand.get(key);
    if (members === undefined) {
      byBand.set(key, [at]);
      return;
    }
    for (const other of members) {
      if (root(other) === root(at)) continue;
      if (similarity(signature, signatures[other]!) >= COPY_SIMILARITY) {
        // The earlier one stays the root: a group is known by its best-ranked member.
        const [first, second] = [root(other), root(at)].sort((x, y) => x - y) as [number, number];
        parent[second] = first;
      }
    }
    members.push(at);
  };
  signatures.forEach((signature, at) => {
    if (signature === undefined || signature.words === '') return;
    const same = firstWithWords.get(signature.words);
    if (same !== undefined) {
      // Compared with nothing yet, it is a group of its own: it joins the earlier text's.
      parent[at] = root(same);
      return;
    }
    firstWithWords.set(signature.words, at);
    const { minHashes } = signature;
    for (let band = 0; band < HASHES / ROWS; band += 1) {
      let key = Math.imul(FNV_BASIS ^ band, FNV_PRIME);
      for (let row = band * ROWS; row < band * ROWS + ROWS; row += 1) {
        key = Math.imul(key ^ minHashes[row]!, FNV_PRIME);
      }
      join(key, at, signature);
    }
  });
  const groups = new Map<number, number[]>();
  signatures.forEach((_, at) => {
    const top = root(at);
    const group = groups.get(top);
    if (group === undefined) groups.set(top, [at]);
    else group.push(at);
  });
  return [...groups.values()].sort((a, b) => a[0]! - b[0]!);
}
