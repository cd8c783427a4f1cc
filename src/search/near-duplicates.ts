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

/** LSH bands of a signature. */
const BANDS = HASHES / ROWS;

/**
 * The scratch of {@link groupCopies}, grown as needed and kept: a hash table of bands (open addressing),
 * each slot heading a list of the entries (a paragraph's band) that fell in it. A page's 500 candidates
 * have 2,500 bands; buckets as maps of arrays were a fifth of what a search allocated.
 */
let slotKeys = new Int32Array(0);
let slotHeads = new Int32Array(0);
let entryNext = new Int32Array(0);
let entryOwner = new Int32Array(0);
let parents = new Int32Array(0);
let groupIndexes = new Int32Array(0);

/**
 * Groups paragraphs that are copies of each other, in the order given: each group is listed by its
 * first member's position, with the positions of the others in order. Paragraphs are compared only
 * when they share a band of min-hashes (or their words), then kept together when {@link similarity}
 * reaches {@link COPY_SIMILARITY}; a copy of a copy joins the group.
 */
export function groupCopies(signatures: readonly (Signature | undefined)[]): number[][] {
  const count = signatures.length;
  let slots = 1;
  while (slots < count * BANDS * 2) slots *= 2;
  if (slotKeys.length < slots) [slotKeys, slotHeads] = [new Int32Array(slots), new Int32Array(slots)];
  if (entryNext.length < count * BANDS) {
    [entryNext, entryOwner] = [new Int32Array(count * BANDS), new Int32Array(count * BANDS)];
  }
  if (parents.length < count) [parents, groupIndexes] = [new Int32Array(count), new Int32Array(count)];
  slotHeads.fill(-1, 0, slots);
  const parent = parents;
  for (let at = 0; at < count; at += 1) parent[at] = at;
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
  let entries = 0;
  // Bands are known by a 32-bit hash of their number and min-hashes: two bands that collide only cost
  // a comparison, as `similarity` decides.
  const join = (key: number, at: number, signature: Signature) => {
    let slot = key & (slots - 1);
    while (slotHeads[slot] !== -1 && slotKeys[slot] !== key) slot = (slot + 1) & (slots - 1);
    slotKeys[slot] = key;
    for (let entry = slotHeads[slot]!; entry !== -1; entry = entryNext[entry]!) {
      const other = entryOwner[entry]!;
      if (root(other) === root(at)) continue;
      if (similarity(signature, signatures[other]!) >= COPY_SIMILARITY) {
        // The earlier one stays the root: a group is known by its best-ranked member.
        const [first, second] = [root(other), root(at)].sort((x, y) => x - y) as [number, number];
        parent[second] = first;
      }
    }
    entryOwner[entries] = at;
    entryNext[entries] = slotHeads[slot]!;
    slotHeads[slot] = entries;
    entries += 1;
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
    for (let band = 0; band < BANDS; band += 1) {
      let key = Math.imul(FNV_BASIS ^ band, FNV_PRIME);
      for (let row = band * ROWS; row < band * ROWS + ROWS; row += 1) {
        key = Math.imul(key ^ minHashes[row]!, FNV_PRIME);
      }
      join(key, at, signature);
    }
  });
  // A root is its group's first member, so a group is met, and listed, before its other members.
  const groups: number[][] = [];
  for (let at = 0; at < count; at += 1) {
    const top = root(at);
    if (top === at) {
      groupIndexes[at] = groups.length;
      groups.push([at]);
    } else groups[groupIndexes[top]!]!.push(at);
  }
  return groups;
}
