/**
 * Look-ups in a term dictionary sorted by UTF-16 code units (JavaScript's default sort), kept as a
 * {@link TermList}: exact, by prefix, and one edit away — what a compact segment needs instead of a tree.
 */
import type { TermList } from './term-list.js';

/** Index of the first term `>= key`. */
export function lowerBound(terms: TermList, key: string, from = 0, to = terms.length): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (terms.compare(middle, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Index of a term within `[from, to)`, or -1. */
export function indexOfTerm(terms: TermList, term: string, from = 0, to = terms.length): number {
  const at = lowerBound(terms, term, from, to);
  return at < to && terms.compare(at, term) === 0 ? at : -1;
}

/** `[from, to)`: the terms that start with `prefix`, within `[from, to)`. */
export function prefixRange(terms: TermList, prefix: string, from = 0, to = terms.length): [number, number] {
  const start = lowerBound(terms, prefix, from, to);
  // The terms from `start` on that start with the prefix come first: every other sorts after them.
  let end = start;
  let high = to;
  while (end < high) {
    const middle = (end + high) >>> 1;
    if (terms.startsWith(middle, prefix)) end = middle + 1;
    else high = middle;
  }
  return [start, end];
}

/**
 * The end of the run of terms that start at `from` with its code unit at `depth`, within `[from, to)`,
 * whose terms all share their first `depth` code units and are longer: they are sorted by that unit.
 */
export function unitRunEnd(terms: TermList, depth: number, from: number, to: number): number {
  const unit = terms.unitAt(from, depth);
  let low = from + 1;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (terms.unitAt(middle, depth) <= unit) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Ranges this small are scanned term by term rather than probed. */
const SCAN_LIMIT = 48;

/**
 * The terms exactly one edit (one code unit inserted, deleted or substituted) away from `term`.
 *
 * A term one edit away agrees with `term` before the edit at some position `i`: for every `i`, the
 * terms sharing `term`'s first `i` code units are a range of the sorted array; a small range is
 * scanned, a large one probed once for the deletion and, for each distinct code unit that follows
 * the shared head, once for the substitution and once for the insertion. The terms of the range are
 * sorted by that code unit, so each unit's run is found by bisecting code units, not whole strings.
 */
export function termsOneEditAway(terms: TermList, term: string): Set<string> {
  const found = new Set<string>();
  const probe = (candidate: string, from: number, to: number) => {
    if (candidate !== term && indexOfTerm(terms, candidate, from, to) >= 0) found.add(candidate);
  };
  let from = 0;
  let to = terms.length;
  for (let i = 0; i <= term.length && from < to; i += 1) {
    if (to - from <= SCAN_LIMIT) {
      for (let at = from; at < to; at += 1) {
        const candidate = terms.term(at);
        if (candidate !== term && isOneEditAfter(candidate, term, i)) found.add(candidate);
      }
      break;
    }
    const head = term.slice(0, i);
    const rest = term.slice(i);
    const afterOwn = term.slice(i + 1);
    const own = i < term.length ? term.charCodeAt(i) : -1;
    if (own >= 0) probe(head + afterOwn, from, to);
    // The head itself, when it is a term, sorts first: every other term of the range continues it.
    let at = from;
    while (at < to && terms.termLength(at) <= i) at += 1;
    let [ownFrom, ownTo] = [at, at];
    while (at < to) {
      const unit = terms.unitAt(at, i);
      const low = unitRunEnd(terms, i, at, to);
      const next = head + String.fromCharCode(unit);
      if (unit === own) [ownFrom, ownTo] = [at, low];
      else if (own >= 0) probe(next + afterOwn, at, low);
      probe(next + rest, at, low);
      at = low;
    }
    // The next round looks only at terms that continue like `term`.
    [from, to] = [ownFrom, ownTo];
  }
  return found;
}

/** Whether `candidate`, which shares `term`'s first `shared` code units, is one edit away from it. */
function isOneEditAfter(candidate: string, term: string, shared: number): boolean {
  const lengthDifference = candidate.length - term.length;
  if (lengthDifference > 1 || lengthDifference < -1) return false;
  let i = shared;
  while (i < term.length && i < candidate.length && term[i] === candidate[i]) i += 1;
  if (lengthDifference === 0) return i < term.length && term.slice(i + 1) === candidate.slice(i + 1);
  if (lengthDifference === 1) return term.slice(i) === candidate.slice(i + 1);
  return term.slice(i + 1) === candidate.slice(i);
}
