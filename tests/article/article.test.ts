import { describe, expect, it } from 'vitest';
import { ARTICLE_LIMITS, isOlderVersion, parseArticle, publishedDay } from '../../src/article/article.js';

const refusal = (value: unknown) => {
  try {
    parseArticle(value);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('parseArticle: the limits of one article', () => {
  const { paragraphLength, paragraphs, fieldLength } = ARTICLE_LIMITS;

  it('accepts an article at every limit', () => {
    const article = parseArticle({
      id: 'big',
      title: 'ع'.repeat(fieldLength),
      paragraphs: ['ن'.repeat(paragraphLength), ...Array.from({ length: paragraphs - 1 }, () => 'نص')],
    });
    expect(article.paragraphs).toHaveLength(paragraphs);
  });

  it.each([
    [
      'a paragraph one character too long, named by its position from 1',
      { paragraphs: ['نص', 'ن'.repeat(paragraphLength + 1)] },
      /^paragraph 2 has 50,001 characters; the limit is 50,000$/u,
    ],
    [
      'the same through "body"',
      { body: `نص\n\n${'ن'.repeat(paragraphLength + 1)}` },
      /^paragraph 2 has 50,001 characters/u,
    ],
    [
      'one paragraph too many',
      { paragraphs: Array.from({ length: paragraphs + 1 }, () => 'نص') },
      /^the article has 2,001 paragraphs; the limit is 2,000$/u,
    ],
    [
      'too many characters in all',
      { paragraphs: Array.from({ length: 11 }, () => 'ن'.repeat(paragraphLength)) },
      /^the article has 550,000 characters; the limit is 500,000$/u,
    ],
    [
      'a title too long',
      { title: 'ع'.repeat(fieldLength + 1), paragraphs: ['نص'] },
      /^field "title" has 2,001 characters; the limit is 2,000$/u,
    ],
    ['a url too long', { url: `https://x/${'a'.repeat(fieldLength)}`, paragraphs: ['نص'] }, /^field "url"/u],
  ])('refuses %s', (_name, fields, message) => {
    expect(refusal({ id: 'a', ...fields })).toMatch(message);
  });

  it('refuses an id of only spaces, and keeps any other id exactly as given', () => {
    expect(refusal({ id: ' \t ', paragraphs: ['نص'] })).toMatch(/"id" must not be blank/u);
    expect(parseArticle({ id: ' a ', paragraphs: ['نص'] }).id).toBe(' a ');
  });
});

describe('publishedDay: ISO 8601 dates and times, each part in its range', () => {
  it.each([
    ['2024-02-29', '2024-02-29'],
    ['2024-02-29T23:59:59Z', '2024-02-29'],
    ['2024-02-29T00:00', '2024-02-29'],
    ['2024-02-29T10:00:00.123+03:00', '2024-02-29'],
    ['2024-02-29T10:00:00-0530', '2024-02-29'],
  ])('%s → %s', (value, day) => {
    expect(publishedDay(value)).toBe(day);
  });

  it.each([
    '2023-02-29',
    '2024-02-29T24:00:00Z',
    '2024-02-29T25:00:00Z',
    '2024-02-29T23:60',
    '2024-02-29T24:61:00Z',
    '2024-02-29T10:00:60Z',
    '2024-02-29T10:00:00+24:00',
    '2024-02-29T10:00:00+03:60',
    '2024-02-29T',
    '2024-2-29',
  ])('%s is no date', (value) => {
    expect(publishedDay(value)).toBeUndefined();
  });
});

describe('an article whose body is HTML', () => {
  it('is split into paragraphs by its markup, the HTML kept as given', () => {
    const body = '<p>الفقرة <i>الأولى</i></p>\n<p>الثانية</p>';
    const article = parseArticle({ id: 'h1', body });
    expect(article.paragraphs).toEqual(['الفقرة الأولى', 'الثانية']);
    expect(article.html).toBe(body);
  });

  it('a plain body with a stray < stays plain text', () => {
    const article = parseArticle({ id: 'h2', body: 'السعر < 5\n\nفقرة' });
    expect(article.paragraphs).toEqual(['السعر < 5', 'فقرة']);
    expect(article.html).toBeUndefined();
  });

  it.each([
    ['subjects not strings', { subjects: [1] }, /"subjects" must be an array/u],
    ['html not a string', { html: 5 }, /"html" must be a string/u],
    ['a version too long', { version: 'v'.repeat(2001) }, /"version"/u],
  ])('refuses %s', (_name, fields, message) => {
    expect(() => parseArticle({ id: 'h3', paragraphs: ['نص'], ...fields })).toThrow(message);
  });
});

describe('parseArticle: vectors', () => {
  const two = { id: 'v', paragraphs: ['الفقرة الأولى', 'الفقرة الثانية'] };

  it('keeps one 32-bit vector per paragraph, null for a paragraph without one', () => {
    const article = parseArticle({ ...two, vectors: [[0.5, -1, 2], null] });
    expect(article.vectors).toEqual([Float32Array.from([0.5, -1, 2]), null]);
    expect(
      parseArticle({
        ...two,
        vectors: [
          [0.1, 0.2],
          [0.3, 0.4],
        ],
      }).vectors?.[1],
    ).toEqual(Float32Array.from([0.3, 0.4]));
  });

  it.each([
    ['no vectors', undefined],
    ['null', null],
    ['only nulls', [null, null]],
  ])('has no vectors with %s', (_name, vectors) => {
    expect(parseArticle({ ...two, vectors }).vectors).toBeUndefined();
  });

  it('takes back the typed arrays it gave, as a program storing what it read does', () => {
    const article = parseArticle({
      ...two,
      vectors: [
        [1, 2],
        [3, 4],
      ],
    });
    expect(parseArticle(article).vectors).toEqual(article.vectors);
  });

  it.each([
    ['not an array', 'x', /^field "vectors" must be an array of one vector \(or null\) per paragraph$/u],
    [
      'fewer than the paragraphs',
      [[1, 2]],
      /^field "vectors" has 1 entries for 2 paragraphs: one per paragraph, null for none$/u,
    ],
    ['more than the paragraphs', [[1], [2], [3]], /has 3 entries for 2 paragraphs/u],
    [
      'a vector that is no array',
      [[1, 2], 'x'],
      /^the vector of paragraph 2 \(para 1\) must be an array of numbers$/u,
    ],
    ['an empty vector', [[], null], /^the vector of paragraph 1 \(para 0\) is empty$/u],
    [
      'a string in a vector',
      [[1, '2'], null],
      /^the vector of paragraph 1 \(para 0\) has a value that is not a number at index 1$/u,
    ],
    ['NaN', [[1, Number.NaN], null], /^the vector of paragraph 1 \(para 0\) has NaN at index 1$/u],
    [
      'Infinity',
      [null, [Number.POSITIVE_INFINITY]],
      /^the vector of paragraph 2 \(para 1\) has Infinity at index 0$/u,
    ],
    ['beyond a 32-bit float', [[1e39], null], /has 1e\+39 at index 0, beyond a 32-bit float$/u],
    [
      'two dimensions in one article',
      [
        [1, 2],
        [1, 2, 3],
      ],
      /^the vector of paragraph 2 \(para 1\) has 3 dimensions, that of paragraph 1 2$/u,
    ],
    [
      'too many dimensions',
      [new Array(4097).fill(0), null],
      /^the vector of paragraph 1 \(para 0\) has 4,097 dimensions; the limit is 4,096$/u,
    ],
  ])('refuses %s, naming the paragraph', (_name, vectors, message) => {
    expect(refusal({ ...two, vectors })).toMatch(message);
  });

  it('aligns vectors with the paragraphs a body is split into', () => {
    expect(parseArticle({ id: 'b', body: 'أولى\n\nثانية', vectors: [[1], [2]] }).vectors).toHaveLength(2);
    expect(refusal({ id: 'b', body: 'أولى\n\nثانية', vectors: [[1]] })).toMatch(
      /1 entries for 2 paragraphs/u,
    );
  });
});

describe('versions', () => {
  it.each([
    ['1', '2', true],
    ['10', '9', false],
    ['2', '2', false],
    ['2024-05-01T10:00:00Z', '2024-05-01T10:30:00+01:00', false],
    ['2024-05-01T10:00:00Z', '2024-05-01T10:30:00Z', true],
    [undefined, '3', false],
    ['3', undefined, false],
    ['beta', 'alpha', false],
  ] as const)('%s is older than %s: %s', (incoming, stored, older) => {
    expect(isOlderVersion(incoming, stored)).toBe(older);
  });
});
