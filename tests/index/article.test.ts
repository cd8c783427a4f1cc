import { describe, expect, it } from 'vitest';
import { ARTICLE_LIMITS, parseArticle, publishedDay } from '../../src/index/article.js';

const refusal = (value: unknown) => {
  try {
    parseArticle(value);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('parseArticle: the limits of one article', () => {
  const { paragraphLength, paragraphs, articleLength, fieldLength } = ARTICLE_LIMITS;

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
