import { describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../../src/analysis/analyze.js';
import { type QueryWord, parseQuery, queryWords } from '../../../src/search/query.js';
import {
  containsPhrase,
  matchWords,
  phraseOccurrences,
  tokenMatches,
} from '../../../src/search/segment/token-matching.js';

/** The one query word a text analyses to. */
function word(text: string, options?: { stem: boolean }): QueryWord {
  const [only, ...rest] = queryWords(text, options);
  if (only === undefined || rest.length > 0) throw new Error(`not one word: ${text}`);
  return only;
}

/** The one token a paragraph's word analyses to. */
function token(text: string) {
  const [only, ...rest] = analyzeForIndex(text);
  if (only === undefined || rest.length > 0) throw new Error(`not one token: ${text}`);
  return only;
}

/** The index of the token of `text` whose surface is `surface`. */
function at(text: string, surface: string): number {
  const index = analyzeForIndex(text).findIndex((t) => t.text === surface);
  if (index === -1) throw new Error(`no token ${surface} in ${text}`);
  return index;
}

const typo = (text: string): QueryWord => ({
  ...word('الحكموة'),
  variants: [{ ...word(text), weight: 0.5, kind: 'typo', distance: 1 }],
});

describe('tokenMatches', () => {
  it.each([
    { rule: 'the same word', token: 'الحكومة', word: word('الحكومة'), matches: true },
    { rule: 'another inflection: the stem', token: 'الحكومات', word: word('والحكومة'), matches: true },
    {
      rule: 'the exact form, though the stems differ',
      token: 'الحكومات',
      word: word('الحكومات', { stem: false }),
      matches: true,
    },
    {
      rule: 'neither exact form nor stem',
      token: 'الحكومات',
      word: word('الحكومة', { stem: false }),
      matches: false,
    },
    { rule: "the token's alternative stem", token: 'بتقديم', word: word('تقديم'), matches: true },
    { rule: "the word's alternative stem", token: 'تقديم', word: word('بتقديم'), matches: true },
    { rule: 'another word', token: 'النفط', word: word('الذهب'), matches: false },
    { rule: 'a non-Arabic word', token: 'OPEC', word: word('opec'), matches: true },
    { rule: "a typo's correction", token: 'الحكومات', word: typo('الحكومة'), matches: true },
    { rule: 'the misspelt word alone', token: 'الحكومات', word: word('الحكموة'), matches: false },
    { rule: 'a correction that does not fit', token: 'النفط', word: typo('الحكومة'), matches: false },
    {
      rule: 'a synonym',
      token: 'رئيس',
      word: { ...word('الزعيم'), variants: [{ ...word('الرئيس'), weight: 0.6, kind: 'synonym' as const }] },
      matches: true,
    },
    {
      rule: "a synonym's alternative stem",
      token: 'تقديم',
      word: { ...word('عرض'), variants: [{ ...word('بتقديم'), weight: 0.6, kind: 'synonym' as const }] },
      matches: true,
    },
  ])('$rule: $token matches is $matches', ({ token: text, word: queryWord, matches }) => {
    expect(tokenMatches(token(text), queryWord)).toBe(matches);
  });
});

describe('matchWords', () => {
  const isd = (phrases: readonly string[]): QueryWord => ({
    ...word('قسد'),
    phraseVariants: phrases.map((phrase) => ({ words: queryWords(phrase, undefined), weight: 0.6, span: 1 })),
  });

  it.each([
    { rule: 'no tokens', text: '', words: parseQuery('النفط').optional, expected: {} },
    { rule: 'no words', text: 'ارتفعت أسعار النفط', words: [], expected: {} },
    {
      rule: 'each token the words it matches',
      text: 'ارتفعت أسعار النفط والذهب',
      words: parseQuery('الذهب النفط').optional,
      expected: { النفط: [1], والذهب: [0] },
    },
    {
      rule: 'a token matching several words lists them in order',
      text: 'قالت الحكومة إن النفط',
      words: parseQuery('الحكومات النفط حكومة').optional,
      expected: { الحكومة: [0, 2], النفط: [1] },
    },
    {
      rule: "an occurrence of a word's phrase variant matches the word",
      text: 'أعلنت قوات سوريا الديمقراطية السيطرة',
      words: [isd(['قوات سوريا الديمقراطية'])],
      expected: { قوات: [0], سوريا: [0], الديمقراطية: [0] },
    },
    {
      rule: 'a part of a phrase variant matches nothing',
      text: 'أعلنت قوات سوريا السيطرة',
      words: [isd(['قوات سوريا الديمقراطية'])],
      expected: {},
    },
    {
      rule: 'phrase matches are listed in order with direct ones',
      text: 'أعلنت قوات سوريا الديمقراطية السيطرة',
      words: [isd(['قوات سوريا الديمقراطية']), word('سوريا')],
      expected: { قوات: [0], سوريا: [0, 1], الديمقراطية: [0] },
    },
    {
      rule: 'a word matched twice at one token is listed once',
      text: 'أعلنت قوات سوريا الديمقراطية السيطرة',
      words: [isd(['قوات سوريا الديمقراطية', 'سوريا الديمقراطية'])],
      expected: { قوات: [0], سوريا: [0], الديمقراطية: [0] },
    },
  ])('$rule', ({ text, words, expected }) => {
    const tokens = analyzeForIndex(text);
    const wanted = tokens.map(() => [] as number[]);
    for (const [surface, indexes] of Object.entries(expected)) wanted[at(text, surface)] = indexes;
    expect(matchWords(tokens, words)).toStrictEqual(wanted);
  });
});

describe('containsPhrase and phraseOccurrences', () => {
  const phrase = parseQuery('"وزير الخارجية"').phrases[0]!;

  it.each([
    { rule: 'an empty paragraph', text: '', phrase, count: 0 },
    { rule: 'an empty phrase', text: 'وزير الخارجية', phrase: [], count: 0 },
    { rule: 'a paragraph shorter than the phrase', text: 'وزير', phrase, count: 0 },
    { rule: 'the phrase', text: 'قال وزير الخارجية السعودي', phrase, count: 1 },
    { rule: 'the phrase inflected', text: 'وزير خارجية السعودية', phrase, count: 1 },
    { rule: 'the phrase twice', text: 'قال وزير الخارجية إن وزير الخارجية سيزور الرياض', phrase, count: 2 },
    { rule: 'a stop word between its words, skipped', text: 'وزير في الخارجية', phrase, count: 1 },
    { rule: 'its words in the other order', text: 'الخارجية وزير', phrase, count: 0 },
    { rule: 'its words apart', text: 'وزير المالية والخارجية', phrase, count: 0 },
    {
      rule: 'a non-Arabic phrase',
      text: 'طائرات F-16 الأمريكية',
      phrase: parseQuery('+F-16').phrases[0]!,
      count: 1,
    },
  ])('$rule: $count', ({ text, phrase: words, count }) => {
    const tokens = analyzeForIndex(text);
    expect(phraseOccurrences(tokens, words)).toBe(count);
    expect(containsPhrase(tokens, words)).toBe(count > 0);
  });
});
