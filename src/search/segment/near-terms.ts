/** Terms within a typo distance of a typed word, found by walking a term dictionary as a trie. */
import { indexOfTerm, unitRunEnd } from './sorted-terms.js';
import type { TermList } from './term-list.js';
import { CHEAP_EDIT, nextRow, TRANSPOSITION_COST, typedWord } from '../typo-distance.js';

/**
 * A term dictionary walked letter by letter, as a trie: what {@link nearTerms} needs of a compact
 * segment's sorted terms or of the live segment's radix tree.
 */
export interface TermTrie<Node> {
  readonly root: Node;
  /** Calls `visit` with each code unit that continues the node's prefix, and the node it leads to. */
  children(node: Node, depth: number, visit: (unit: string, child: Node) => void): void;
  /** Whether the node's prefix is itself a term. */
  isTerm(node: Node, depth: number): boolean;
  /**
   * Whether the dictionary holds a term that continues the node's prefix: a sorted dictionary looks
   * only among the node's terms.
   */
  contains(node: Node, term: string): boolean;
}

/**
 * The terms of a dictionary within `maxDistance` of a typed word by {@link typoDistance}, with their
 * distances; the word itself is left out. The typed word's first `fixed` code units (an article, say)
 * are matched as they are: the distance is that of the rest.
 *
 * One row of the distance table is computed per trie node, and a branch is left as soon as its row's
 * smallest value passes `maxDistance` (Schulz & Mihov's idea, without building the automaton). Words
 * start alike, so most of the walk is near the root: the costlier edit of the first letter, and an
 * article held fixed, keep it to some thousands of nodes of a dictionary of 200,000 terms.
 */
export function nearTerms<Node>(
  trie: TermTrie<Node>,
  typed: string,
  maxDistance: number,
  fixed = 0,
  maxVisits = MAX_VISITS,
): Map<string, number> {
  const found = new Map<string, number>();
  let visits = 0;
  let start: Node | undefined = trie.root;
  for (let depth = 0; depth < fixed && start !== undefined; depth += 1) {
    let next: Node | undefined;
    trie.children(start, depth, (unit, child) => {
      if (unit === typed[depth]) next = child;
    });
    start = next;
  }
  if (start === undefined) return found;
  const head = typed.slice(0, fixed);
  const rest = typedWord(typed.slice(fixed));
  const rows = [rest.firstRow];
  // The units of the walk's path below the head: `units[0 .. level)` spell the node's prefix.
  const units: string[] = [];
  const spelled = (level: number) => {
    let prefix = head;
    for (let at = 0; at < level; at += 1) prefix += units[at]!;
    return prefix;
  };
  const restText = typed.slice(fixed);
  const probe = (node: Node, term: string, distance: number) => {
    if (trie.contains(node, term)) add(term, distance);
  };
  const add = (term: string, distance: number) => {
    if (term !== typed && distance < (found.get(term) ?? Number.POSITIVE_INFINITY)) found.set(term, distance);
  };
  const walk = (node: Node, level: number, smallest: number): void => {
    const row = rows[level]!;
    if (level > 0 && trie.isTerm(node, fixed + level) && row[rest.length]! <= maxDistance) {
      add(spelled(level), row[rest.length]!);
    }
    if (level >= rest.length + maxDistance / CHEAP_EDIT) return;
    if (level > 0 && smallest <= maxDistance && maxDistance - smallest < CHEAP_EDIT) {
      // No edit is left: only the typed word's rest, after some letter of it, can follow (or, after the
      // last letter swapped with the next, what follows the swap). Look those up instead of walking
      // every child: most of a walk is spent here, one edit into the word.
      const previous = rows[level - 1]!;
      const unit = units[level - 1]!;
      const swaps: number[] = [];
      for (let j = 2; j <= rest.length; j += 1) {
        if (restText[j - 1] === unit && previous[j - 2]! + TRANSPOSITION_COST <= maxDistance) swaps.push(j);
      }
      if (swaps.every((j) => maxDistance - previous[j - 2]! - TRANSPOSITION_COST < CHEAP_EDIT)) {
        const prefix = spelled(level);
        for (let j = 0; j <= rest.length; j += 1) {
          if (row[j]! <= maxDistance) probe(node, prefix + restText.slice(j), row[j]!);
        }
        for (const j of swaps) {
          probe(node, prefix + restText[j - 2]! + restText.slice(j), previous[j - 2]! + TRANSPOSITION_COST);
        }
        return;
      }
    }
    trie.children(node, fixed + level, (unit, child) => {
      visits += 1;
      if (visits > maxVisits) return;
      units[level] = unit;
      const next = (rows[level + 1] ??= new Float64Array(rest.length + 1));
      const before = level > 0 ? units[level - 1]!.charCodeAt(0) : -1;
      const code = unit.charCodeAt(0);
      const childSmallest = nextRow(rest, code, before, row, rows[level - 1] ?? row, next);
      if (childSmallest <= maxDistance || swapMayFollow(rest.units, code, row, maxDistance)) {
        walk(child, level + 1, childSmallest);
      }
    });
  };
  walk(start, 0, 0);
  return found;
}

/**
 * Trie nodes one look-up visits, at most: the budget that keeps a typo from making a query slow, whatever
 * the word. On ANT's dictionaries a two-edit walk visits 2,000–8,000 nodes; past the budget, the terms
 * found so far are the answer.
 */
export const MAX_VISITS = 40_000;

/**
 * Whether a word whose prefix ends in `unit`, and whose row without it is `row`, may still come back under
 * `maxDistance` by a transposition with its next letter: the transposition reads that row two letters on.
 */
function swapMayFollow(typed: Uint16Array, unit: number, row: Float64Array, maxDistance: number): boolean {
  for (let j = 2; j <= typed.length; j += 1) {
    if (typed[j - 1] === unit && row[j - 2]! + TRANSPOSITION_COST <= maxDistance) return true;
  }
  return false;
}

/** A sorted array of terms as a trie: a node is the range of terms sharing a prefix. */
export function sortedTermsTrie(terms: TermList): TermTrie<readonly [number, number]> {
  return {
    root: [0, terms.length],
    children([from, to], depth, visit) {
      // The terms of the range share `depth` code units, so they are sorted by the next one (the
      // prefix itself, which has none, first): each run of one next code unit is found by bisection.
      let at = from;
      while (at < to && terms.termLength(at) <= depth) at += 1;
      while (at < to) {
        const unit = terms.unitAt(at, depth);
        const low = unitRunEnd(terms, depth, at, to);
        visit(String.fromCharCode(unit), [at, low]);
        at = low;
      }
    },
    contains([from, to], term) {
      return indexOfTerm(terms, term, from, to) >= 0;
    },
    isTerm([from, to], depth) {
      // The prefix itself sorts first among the terms that start with it.
      return from < to && terms.termLength(from) === depth;
    },
  };
}
