/**
 * The fields every paragraph document has. Each text is indexed more than once: by exact normalised
 * words, by stems, and (paragraph text only) by the alternative stems of ambiguous first letters, so
 * an exact match can rank above a match on another inflection of the word.
 *
 * The numbers are the fields' ids in segments and segment files: never renumber them.
 */
export const FIELD = Object.freeze({
  /** Exact normalised words of the paragraph. */
  text: 0,
  /** Exact normalised words of the article title, repeated on each of its paragraphs. */
  title: 1,
  /** Light stems of the paragraph's words. */
  textStem: 2,
  /** Light stems of the title's words. */
  titleStem: 3,
  /** Stems of the other reading of an ambiguous first letter (`بتقديم` → `تقديم`). */
  textAlternative: 4,
});

/** A field id. */
export type Field = (typeof FIELD)[keyof typeof FIELD];

export const FIELD_COUNT = 5;

/** Whether a field holds paragraph text (a hit must match there, not only in the title). */
export function isTextField(field: Field): boolean {
  return field !== FIELD.title && field !== FIELD.titleStem;
}
