/**
 * An Arabic sense of how far a typed word is from a word of the archive: a weighted Damerau–Levenshtein
 * distance (optimal string alignment) over normalised words, in which the errors people make most cost
 * half an edit.
 *
 * - A letter for one that sounds alike: the emphatic and plain pairs and the dental fricatives
 *   (`ض ظ د ذ ز`, `س ص ث ش`, `ت ط ث`), the uvular and velar stops (`ق غ ك ج`), the pharyngeal and
 *   glottal fricatives (`ح ه خ`), `ع` and the hamza/alef it is heard as.
 * - A long-vowel letter (`ا و ي`) added or dropped: transliterated names are written with or without
 *   them (`ترامب`/`ترمب`, `نتنياهو`/`نتانياهو`).
 * - A letter doubled, or a double letter written once.
 * - Everything else, and two neighbouring letters swapped, costs one edit.
 * - An edit of a word's first letter costs twice as much (as Meilisearch counts it): people seldom get
 *   it wrong, and a different first letter mostly makes another word. It also keeps a walk of the term
 *   dictionary from fanning out at its root.
 */

const SOUND_ALIKE_CLASSES: readonly string[] = ['ضظدذز', 'سصثش', 'تطث', 'قغكج', 'حهخ', 'عءا'];

/** Code unit → bit set of its sound-alike classes (0: none); a table, as the walk reads it per cell. */
const SOUND_CLASS = new Uint8Array(0x10000);
SOUND_ALIKE_CLASSES.forEach((letters, index) => {
  for (const letter of letters) SOUND_CLASS[letter.charCodeAt(0)]! |= 1 << index;
});

const LONG_VOWEL = new Uint8Array(0x10000);
for (const letter of ['ا', 'و', 'ي']) LONG_VOWEL[letter.charCodeAt(0)] = 1;

/** The cost of one edit that people make often. */
export const CHEAP_EDIT = 0.5;

/** Cost of writing `b` where `a` was meant (0 when equal). */
export function substitutionCost(a: number, b: number): number {
  if (a === b) return 0;
  return (SOUND_CLASS[a]! & SOUND_CLASS[b]!) !== 0 ? CHEAP_EDIT : 1;
}

/** Cost of adding or dropping the letter `unit` next to `neighbour` (the letter before it, or -1). */
export function insertionCost(unit: number, neighbour: number): number {
  return LONG_VOWEL[unit] === 1 || unit === neighbour ? CHEAP_EDIT : 1;
}

/** Cost of writing two neighbouring letters the other way round. */
export const TRANSPOSITION_COST = 1;

/** What an edit of a word's first letter costs, times the edit's cost elsewhere. */
const FIRST_LETTER_FACTOR = 2;

/**
 * The largest distance a typed word of this many letters (normalised) is corrected over: none below 4
 * letters, where one edit mostly makes another real word; one edit from 4; two from 9; none past
 * {@link MAX_TYPO_LENGTH}, which no word of a language reaches (a pasted URL or a run of one letter).
 * A four-letter word is corrected only when the archive never holds it (`MIN_KNOWN_WORD_CORRECTED`),
 * which keeps what it costs within noise of typos off. From 4 rather than 5 letters, a typo costs
 * less relevance on every set measured (MRR@10 with one typo: headlines 0.919 → 0.937, ANT known
 * items 0.952 → 0.957, xquad-ar 0.927 → 0.929; see bench/README.md#forgiving-search).
 * `lengths`: the lengths from which one and two edits are allowed, to measure others.
 */
export function maxTypoDistance(length: number, lengths: readonly [number, number] = TYPO_LENGTHS): number {
  if (length > MAX_TYPO_LENGTH) return 0;
  if (length >= lengths[1]) return MAX_TYPO_DISTANCE;
  if (length >= lengths[0]) return 1;
  return 0;
}

/** The most edits a typed word is corrected over (a long word's). */
export const MAX_TYPO_DISTANCE = 2;

/** The lengths from which one and two edits are corrected. */
export const TYPO_LENGTHS: readonly [number, number] = Object.freeze([4, 9]) as readonly [number, number];

/** The longest typed word corrected. */
export const MAX_TYPO_LENGTH = 30;

/** A typed word ready to be compared letter by letter: its code units and what dropping each costs. */
export interface TypedWord {
  readonly length: number;
  readonly units: Uint16Array;
  /** Cost of the word compared with lacking its `j`-th letter (first letter doubled). */
  readonly dropCost: Float64Array;
  /** The distances of the empty word to each prefix: the first row of the table. */
  readonly firstRow: Float64Array;
}

export function typedWord(typed: string): TypedWord {
  const units = Uint16Array.from(typed, (_, at) => typed.charCodeAt(at));
  const dropCost = Float64Array.from(units, (unit, at) => {
    const cost = insertionCost(unit, at > 0 ? units[at - 1]! : -1);
    return at === 0 ? FIRST_LETTER_FACTOR * cost : cost;
  });
  const firstRow = new Float64Array(units.length + 1);
  for (let j = 1; j <= units.length; j += 1) firstRow[j] = firstRow[j - 1]! + dropCost[j - 1]!;
  return { length: units.length, units, dropCost, firstRow };
}

/**
 * The weighted distance between two normalised words, as {@link nearTerms} computes it while walking a
 * term dictionary (used to check it, and for short lists).
 *
 * @example typoDistance('ترمب', 'ترامب') // → 0.5
 */
export function typoDistance(typed: string, word: string): number {
  const prepared = typedWord(typed);
  let previous = prepared.firstRow;
  let beforePrevious = previous;
  for (let i = 0; i < word.length; i += 1) {
    const row = new Float64Array(typed.length + 1);
    nextRow(prepared, word.charCodeAt(i), i > 0 ? word.charCodeAt(i - 1) : -1, previous, beforePrevious, row);
    beforePrevious = previous;
    previous = row;
  }
  return previous[typed.length]!;
}

/**
 * Fills `row` with the distances between a word's prefix ending in `unit` (after `before`, -1 for none)
 * and each prefix of `typed`, from the rows of the word's prefix without `unit` (`previous`) and
 * without `before` too (`beforePrevious`). Returns the row's smallest value: once it passes the largest
 * distance wanted, no longer word can come back under it.
 */
export function nextRow(
  typed: TypedWord,
  unit: number,
  before: number,
  previous: Float64Array,
  beforePrevious: Float64Array,
  row: Float64Array,
): number {
  const { units, dropCost } = typed;
  const first = before === -1 ? FIRST_LETTER_FACTOR : 1;
  // A letter of the word the typed word lacks.
  const added = first * insertionCost(unit, before);
  row[0] = previous[0]! + added;
  let smallest = row[0]!;
  for (let j = 1; j <= units.length; j += 1) {
    const typedUnit = units[j - 1]!;
    const substitution = (j === 1 ? FIRST_LETTER_FACTOR : first) * substitutionCost(unit, typedUnit);
    let cost = previous[j - 1]! + substitution;
    const skipWord = previous[j]! + added;
    if (skipWord < cost) cost = skipWord;
    const skipTyped = row[j - 1]! + dropCost[j - 1]!;
    if (skipTyped < cost) cost = skipTyped;
    if (j > 1 && unit === units[j - 2] && before === typedUnit) {
      const swapped = beforePrevious[j - 2]! + TRANSPOSITION_COST;
      if (swapped < cost) cost = swapped;
    }
    row[j] = cost;
    if (cost < smallest) smallest = cost;
  }
  return smallest;
}
