/** Seeded typing errors for `eval --typos`: one plausible Arabic misspelling put into each query. */
import { forEachWord } from '../analysis/word-scanner.js';
import { isStopWord } from '../analysis/stop-words.js';
import { normalize } from '../analysis/normalize.js';

/**
 * The typing errors `eval --typos` puts into queries: one per query, in one content word, as people make
 * them on Arabic keyboards and by ear. Its own model, kept apart from the search's idea of distance
 * (`search/typo-distance.ts`), so that the figures do not merely test the search against itself:
 *
 * - a letter swapped for one that sounds or looks alike (`ض/ظ`, `ذ/ز`, `ث/س`, `ص/س`, `ط/ت`, `ق/غ`, `ح/ه`,
 *   `ك/ق`, `د/ذ`, `ت/ث`, `ع/ء`), when the word has one;
 * - a dropped letter, a doubled letter, two neighbouring letters swapped.
 */
export const SOUND_ALIKE_LETTERS: readonly (readonly [string, string])[] = [
  ['ض', 'ظ'],
  ['ذ', 'ز'],
  ['ث', 'س'],
  ['ص', 'س'],
  ['ط', 'ت'],
  ['ق', 'غ'],
  ['ح', 'ه'],
  ['ك', 'ق'],
  ['د', 'ذ'],
  ['ت', 'ث'],
  ['ع', 'ء'],
];

/** The kinds of error, drawn with these weights. */
const ERROR_KINDS = [
  ['sound-alike', 0.4],
  ['drop', 0.2],
  ['double', 0.2],
  ['swap', 0.2],
] as const;

export type TypoKind = (typeof ERROR_KINDS)[number][0];

/** Words shorter than this (in letters) are left as typed: errors in them are rare and often real words. */
const MIN_WORD_LENGTH = 4;

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same misspelled set. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A query with one typing error, and what was done. */
export interface Misspelling {
  query: string;
  kind: TypoKind;
  /** The word as written and as misspelled. */
  word: string;
  misspelled: string;
}

const ARABIC_LETTER = /^[\u0621-\u064a]$/u;

/**
 * The query with one typing error in one of its Arabic content words (not a stop word, at least
 * {@link MIN_WORD_LENGTH} letters); `undefined` when it has none. The result always differs from the
 * query after normalisation, so it is never a mere spelling variant that the analysis folds.
 */
export function misspell(query: string, random: () => number): Misspelling | undefined {
  const words: [number, number][] = [];
  forEachWord(query, (start, end) => {
    const word = query.slice(start, end);
    const letters = [...word].filter((char) => ARABIC_LETTER.test(char));
    if (letters.length >= MIN_WORD_LENGTH && !isStopWord(normalize(word))) words.push([start, end]);
  });
  for (let attempt = 0; attempt < 20 && words.length > 0; attempt += 1) {
    const [start, end] = words[Math.floor(random() * words.length)]!;
    const word = query.slice(start, end);
    const kind = drawKind(random);
    const misspelled = applyError(word, kind, random);
    if (misspelled === undefined || normalize(misspelled) === normalize(word)) continue;
    return { query: query.slice(0, start) + misspelled + query.slice(end), kind, word, misspelled };
  }
  return undefined;
}

function drawKind(random: () => number): TypoKind {
  let draw = random();
  for (const [kind, weight] of ERROR_KINDS) {
    if (draw < weight) return kind;
    draw -= weight;
  }
  return ERROR_KINDS[0][0];
}

function applyError(word: string, kind: TypoKind, random: () => number): string | undefined {
  const chars = [...word];
  // Only letters are touched, never the first one: people rarely get a word's first letter wrong.
  const letterAt = chars
    .map((char, at) => (at > 0 && ARABIC_LETTER.test(char) ? at : -1))
    .filter((at) => at > 0);
  if (letterAt.length === 0) return undefined;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  switch (kind) {
    case 'sound-alike': {
      const options = letterAt.flatMap((at) =>
        SOUND_ALIKE_LETTERS.flatMap(([a, b]) =>
          chars[at] === a ? [[at, b] as const] : chars[at] === b ? [[at, a] as const] : [],
        ),
      );
      if (options.length === 0) return undefined;
      const [at, letter] = pick(options);
      chars[at] = letter;
      return chars.join('');
    }
    case 'drop': {
      chars.splice(pick(letterAt), 1);
      return chars.join('');
    }
    case 'double': {
      const at = pick(letterAt);
      chars.splice(at, 0, chars[at]!);
      return chars.join('');
    }
    case 'swap': {
      const pairs = letterAt.filter((at) => at + 1 < chars.length && ARABIC_LETTER.test(chars[at + 1]!));
      if (pairs.length === 0) return undefined;
      const at = pick(pairs);
      if (chars[at] === chars[at + 1]) return undefined;
      [chars[at], chars[at + 1]] = [chars[at + 1]!, chars[at]!];
      return chars.join('');
    }
  }
}
