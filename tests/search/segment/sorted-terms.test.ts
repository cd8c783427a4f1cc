import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexOfTerm, prefixRange, termsOneEditAway } from '../../../src/search/segment/sorted-terms.js';
import { TermList } from '../../../src/search/segment/term-list.js';

/** A sorted dictionary as compact segments keep it. */
const listOf = (terms: readonly string[]) => {
  const { termText, termEnds } = TermList.encode(terms);
  return new TermList(termText, termEnds);
};

/** Whether two strings are exactly one insertion, deletion or substitution apart (a plain definition). */
function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length === b.length) return [...a].filter((unit, at) => unit !== b[at]).length === 1;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length - short.length !== 1) return false;
  return Array.from({ length: long.length }, (_, at) => long.slice(0, at) + long.slice(at + 1)).includes(
    short,
  );
}

// Few letters, so random dictionaries are dense with near neighbours; Arabic letters and a digit.
const term = fc.string({
  unit: fc.constantFrom('ك', 'ب', 'ح', 'ر', 'ا', 'ل', '1'),
  minLength: 1,
  maxLength: 6,
});
const dictionary = fc.uniqueArray(term, { maxLength: 300 }).map((terms) => terms.sort());

describe('look-ups in a sorted term dictionary', () => {
  it('finds exactly the terms one edit away, whatever the dictionary', () => {
    fc.assert(
      fc.property(dictionary, term, (terms, query) => {
        expect([...termsOneEditAway(listOf(terms), query)].sort()).toEqual(
          terms.filter((other) => oneEditApart(other, query)),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('finds a term, and the range of terms with a prefix', () => {
    fc.assert(
      fc.property(dictionary, term, (terms, query) => {
        expect(indexOfTerm(listOf(terms), query)).toBe(terms.indexOf(query));
        const prefix = query.slice(0, 2);
        const [from, to] = prefixRange(listOf(terms), prefix);
        expect(terms.slice(from, to)).toEqual(terms.filter((other) => other.startsWith(prefix)));
      }),
      { numRuns: 500 },
    );
  });

  it.each<[string, string[], string, string[]]>([
    ['an empty dictionary', [], 'كبح', []],
    ['a substitution at the end', ['كبح', 'كبر'], 'كبر', ['كبح']],
    ['a deleted first letter', ['كبح', 'لكبح'], 'لكبح', ['كبح']],
    ['an inserted last letter', ['كبر', 'كبرى'], 'كبر', ['كبرى']],
    ['not the term itself, nor two edits away', ['كبر', 'كتب'], 'كبر', []],
    ['Latin and digits alike', ['f16', 'f15', 'f1'], 'f16', ['f1', 'f15']],
  ])('%s', (_name, terms, query, expected) => {
    expect([...termsOneEditAway(listOf(terms), query)].sort()).toEqual(expected);
  });
});
