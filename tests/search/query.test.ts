import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ParsedQuery,
  parseQuery,
  positiveWords,
  queryWords,
  relaxPhrases,
  wordKey,
} from '../../src/search/query.js';

/** The words of a text as the query analyses them. */
const words = (text: string) => queryWords(text, undefined);

/** A parsed query with only the given parts non-empty. */
const parsed = (parts: Partial<ParsedQuery>): ParsedQuery => ({
  optional: [],
  required: [],
  excluded: [],
  phrases: [],
  excludedPhrases: [],
  ...parts,
});

describe('parseQuery', () => {
  it.each([
    { rule: 'an empty query has no words', query: '', expected: parsed({}) },
    { rule: 'white space alone has no words', query: ' \t\n ', expected: parsed({}) },
    { rule: 'stop words alone have no words', query: 'في من', expected: parsed({}) },
    { rule: 'punctuation alone has no words', query: '؟! ،', expected: parsed({}) },
    {
      rule: 'plain words are optional, as the analyser gives them',
      query: 'أسعار النفط',
      expected: parsed({ optional: words('أسعار النفط') }),
    },
    {
      rule: 'non-Arabic words pass through',
      query: 'OPEC 2024',
      expected: parsed({ optional: words('OPEC 2024') }),
    },
    { rule: '+word is required', query: '+النفط', expected: parsed({ required: words('النفط') }) },
    { rule: '-word is excluded', query: '-الفضة', expected: parsed({ excluded: words('الفضة') }) },
    {
      rule: '"…" is a phrase',
      query: '"أسعار الذهب"',
      expected: parsed({ phrases: [words('أسعار الذهب')] }),
    },
    {
      rule: '«…» is a phrase',
      query: '«وزير الخارجية»',
      expected: parsed({ phrases: [words('وزير الخارجية')] }),
    },
    {
      rule: '“…” is a phrase',
      query: '“وزير الخارجية”',
      expected: parsed({ phrases: [words('وزير الخارجية')] }),
    },
    {
      rule: '”…” is a phrase',
      query: '”وزير الخارجية”',
      expected: parsed({ phrases: [words('وزير الخارجية')] }),
    },
    {
      rule: '+"…" is a phrase, as without the sign',
      query: '+"أسعار الذهب"',
      expected: parsed({ phrases: [words('أسعار الذهب')] }),
    },
    {
      rule: '-"…" is an excluded phrase',
      query: '-"أسعار الذهب"',
      expected: parsed({ excludedPhrases: [words('أسعار الذهب')] }),
    },
    {
      rule: 'a quoted single word is required',
      query: '"النفط"',
      expected: parsed({ required: words('النفط') }),
    },
    {
      rule: 'an excluded quoted single word is an excluded word',
      query: '-«النفط»',
      expected: parsed({ excluded: words('النفط') }),
    },
    {
      rule: 'quoted stop words alone have no words',
      query: '"في من"',
      expected: parsed({}),
    },
    {
      rule: 'an unbalanced quote runs to the end of the query',
      query: 'النفط "أسعار الذهب',
      expected: parsed({ optional: words('النفط'), phrases: [words('أسعار الذهب')] }),
    },
    {
      rule: 'an unbalanced guillemet runs to the end of the query',
      query: '«أسعار الذهب',
      expected: parsed({ phrases: [words('أسعار الذهب')] }),
    },
    {
      rule: 'a lone + or - is ignored',
      query: '+ النفط -',
      expected: parsed({ optional: words('النفط') }),
    },
    {
      rule: '- inside a word splits two plain words',
      query: 'وزير-الخارجية',
      expected: parsed({ optional: words('وزير الخارجية') }),
    },
    {
      rule: '+ inside a word splits two plain words',
      query: 'النفط+الغاز',
      expected: parsed({ optional: words('النفط الغاز') }),
    },
    {
      rule: 'a required word of several terms is a phrase',
      query: '+F-16',
      expected: parsed({ phrases: [words('F 16')] }),
    },
    {
      rule: 'an excluded word of several terms is an excluded phrase',
      query: '-F-16',
      expected: parsed({ excludedPhrases: [words('F 16')] }),
    },
    {
      rule: 'a quote ends the word before it',
      query: 'النفط"أسعار الذهب"',
      expected: parsed({ optional: words('النفط'), phrases: [words('أسعار الذهب')] }),
    },
    {
      rule: 'a quote after a proclitic alone is a quotation mark, not a phrase',
      query: 'فيسبوك تتمسك بـ"تطبيق الأطفال"',
      expected: parsed({ optional: words('فيسبوك تتمسك بـ تطبيق الأطفال') }),
    },
    {
      rule: 'a guillemet after و is a quotation mark too',
      query: 'الحج يبدأ و«مكة مغلقة»',
      expected: parsed({ optional: words('الحج يبدأ و مكة مغلقة') }),
    },
    {
      rule: 'every kind at once',
      query: 'الذهب +النفط "أسعار الذهب" -الفضة -"وزير الخارجية"',
      expected: parsed({
        optional: words('الذهب'),
        required: words('النفط'),
        excluded: words('الفضة'),
        phrases: [words('أسعار الذهب')],
        excludedPhrases: [words('وزير الخارجية')],
      }),
    },
  ])('$rule: $query', ({ query, expected }) => {
    expect(parseQuery(query)).toStrictEqual(expected);
  });

  it('gives the words of its example', () => {
    expect(parseQuery('+النفط "أسعار الذهب" -الفضة').required).toStrictEqual([
      { exact: 'النفط', stem: 'نفط' },
    ]);
  });

  it.each([
    { options: { stem: false }, query: 'الحكومات', optional: [{ exact: 'الحكومات', stem: 'الحكومات' }] },
    { options: { stopWords: false }, query: 'في', optional: [{ exact: 'في', stem: 'في' }] },
  ])('analyses with the options given: $options', ({ options, query, optional }) => {
    expect(parseQuery(query, options)).toStrictEqual(parsed({ optional }));
  });

  it('never throws, and never yields an empty phrase or a one-word phrase', () => {
    const char = fc.constantFrom(...'النفط الذهب في +-"«»“”', ' ', '\t');
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 30 }), (query) => {
        const result = parseQuery(query);
        for (const phrase of [...result.phrases, ...result.excludedPhrases]) {
          expect(phrase.length).toBeGreaterThan(1);
        }
      }),
    );
  });
});

describe('queryWords', () => {
  it.each([
    { text: '', expected: [] },
    { text: 'في', expected: [] },
    { text: 'OPEC', expected: [{ exact: 'opec', stem: 'opec' }] },
    { text: 'النفط', expected: [{ exact: 'النفط', stem: 'نفط' }] },
    { text: 'الحكومات', expected: [{ exact: 'الحكومات', stem: 'حكوم' }] },
    { text: 'بتقديم', expected: [{ exact: 'بتقديم', stem: 'بتقديم', alternative: 'تقديم' }] },
  ])('$text → $expected (alternative only when there is one)', ({ text, expected }) => {
    expect(queryWords(text, undefined)).toStrictEqual(expected);
  });
});

describe('wordKey', () => {
  const [word] = words('الحكومات');
  it.each([
    { rule: 'the same word', a: word!, b: words('الحكومات')[0]!, same: true },
    { rule: 'another spelling of the same stem', a: word!, b: words('والحكومة')[0]!, same: false },
    { rule: 'another word', a: word!, b: words('النفط')[0]!, same: false },
    {
      rule: 'the same word with variants',
      a: word!,
      b: { ...word!, variants: [{ ...words('الحكومة')[0]!, weight: 0.6, kind: 'synonym' as const }] },
      same: true,
    },
  ])('$rule: same key is $same', ({ a, b, same }) => {
    expect(wordKey(a) === wordKey(b)).toBe(same);
  });
});

describe('positiveWords', () => {
  it.each([
    { rule: 'an empty query has none', query: '', expected: [] },
    { rule: 'excluded words and phrases are left out', query: '-الفضة -"أسعار الذهب"', expected: [] },
    { rule: 'the same word twice counts once', query: 'النفط النفط', expected: words('النفط') },
    {
      rule: 'two spellings of one stem are two words',
      query: 'الحكومات الحكومة',
      expected: words('الحكومات الحكومة'),
    },
    {
      rule: 'optional, then required, then phrase words, each once',
      query: '"أسعار الذهب" +الذهب النفط -الفضة',
      expected: words('النفط الذهب أسعار'),
    },
  ])('$rule: $query', ({ query, expected }) => {
    expect(positiveWords(parseQuery(query))).toStrictEqual(expected);
  });
});

describe('relaxPhrases', () => {
  it.each([
    { rule: 'an empty query stays empty', query: '', expected: parsed({}) },
    {
      rule: 'phrase words become optional words after the others',
      query: '"أسعار الذهب" النفط',
      expected: parsed({ optional: words('النفط أسعار الذهب') }),
    },
    {
      rule: 'required, excluded words and excluded phrases must not change',
      query: '+النفط -الفضة -"وزير الخارجية"',
      expected: parsed({
        required: words('النفط'),
        excluded: words('الفضة'),
        excludedPhrases: [words('وزير الخارجية')],
      }),
    },
  ])('$rule: $query', ({ query, expected }) => {
    expect(relaxPhrases(parseQuery(query))).toStrictEqual(expected);
  });

  it('leaves the query it is given unchanged', () => {
    const query = parseQuery('النفط "أسعار الذهب"');
    const before = structuredClone(query);
    relaxPhrases(query);
    expect(query).toStrictEqual(before);
  });
});
