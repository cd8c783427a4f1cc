import { ArshifError } from '../errors.js';
import { isBlankParagraph } from '../search/segment/segment.js';

/** An article of the archive, as stored and returned: text exactly as given. */
export interface Article {
  id: string;
  title: string;
  /** `YYYY-MM-DD` or an ISO 8601 date-time; absent when unknown. */
  published?: string;
  source?: string;
  section?: string;
  url?: string;
  /** The body, one string per paragraph, in order. */
  paragraphs: string[];
}

/** Paragraphs an index of these articles holds: blank ones are skipped. */
export function countParagraphs(articles: Iterable<{ paragraphs: readonly string[] }>): number {
  let count = 0;
  for (const article of articles)
    for (const text of article.paragraphs) if (!isBlankParagraph(text)) count += 1;
  return count;
}

/** What an index needs of an article without reading its text: the values filters use and its size. */
export interface ArticleFacts {
  id: string;
  /** The calendar day it was published, `YYYY-MM-DD`. */
  day: string | undefined;
  source: string | undefined;
  section: string | undefined;
  /** Paragraphs an index holds of it. */
  paragraphs: number;
}

export function articleFacts(article: Article): ArticleFacts {
  return {
    id: article.id,
    day: article.published === undefined ? undefined : publishedDay(article.published),
    source: article.source,
    section: article.section,
    paragraphs: countParagraphs([article]),
  };
}

/** Longest article id accepted. */
export const MAX_ID_LENGTH = 200;

/** `YYYY-MM-DD`, optionally `THH:MM[:SS[.fraction]]` and `Z` or an offset `±HH[:]MM` (ISO 8601, RFC 3339). */
const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/u;
const BLANK_LINES = /\n[ \t\r\f\v]*\n/u;

/**
 * Parses a date of the article format to its calendar day, `YYYY-MM-DD`, or `undefined` when it is
 * not a valid date.
 *
 * @example publishedDay('2024-02-29T10:00:00Z') // → '2024-02-29'
 */
export function publishedDay(value: string): string | undefined {
  const match = DATE.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match;
  // Each part of the time within its range: `T25:00` or `T24:61` is no time of day.
  const limits: [string | undefined, number][] = [
    [hour, 23],
    [minute, 59],
    [second, 59],
    [offsetHours, 23],
    [offsetMinutes, 59],
  ];
  if (limits.some(([part, max]) => part !== undefined && Number(part) > max)) return undefined;
  const date = new Date(`${year}-${month}-${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${year}-${month}-${day}`) {
    return undefined;
  }
  return `${year}-${month}-${day}`;
}

function optionalString(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ArshifError('INVALID_ARTICLE', `field "${field}" must be a string, got ${typeof value}`);
  }
  return value;
}

/**
 * Validates an untrusted value against the article format and returns the article.
 *
 * - `id`: required string of 1–200 characters; `title`, `published`, `source`, `section`, `url`:
 *   optional strings; `published` must be `YYYY-MM-DD` or an ISO 8601 date-time.
 * - The body is `paragraphs` (array of strings, kept exactly, so `para` indexes stay the caller's) or
 *   `body` (split into paragraphs on blank lines, each trimmed, empty ones dropped).
 * - Throws `ArshifError('INVALID_ARTICLE')` with a message naming the field.
 *
 * @example parseArticle({ id: 'a1', body: 'الفقرة الأولى\n\nالفقرة الثانية' }).paragraphs.length // → 2
 */
export function parseArticle(value: unknown): Article {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ArshifError('INVALID_ARTICLE', 'an article must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new ArshifError('INVALID_ARTICLE', `field "id" must be a string of 1–${MAX_ID_LENGTH} characters`);
  }
  // Kept exactly as given (never trimmed), but an id of nothing but spaces names nothing.
  if (id.trim() === '') throw new ArshifError('INVALID_ARTICLE', 'field "id" must not be blank');
  const article: Article = { id, title: optionalString(record, 'title') ?? '', paragraphs: [] };
  const published = optionalString(record, 'published');
  if (published !== undefined) {
    if (publishedDay(published) === undefined) {
      throw new ArshifError(
        'INVALID_ARTICLE',
        `field "published" must be YYYY-MM-DD or an ISO 8601 date-time, got "${published.slice(0, 40)}"`,
      );
    }
    article.published = published;
  }
  for (const field of ['source', 'section', 'url'] as const) {
    const text = optionalString(record, field);
    if (text !== undefined) article[field] = text;
  }
  article.paragraphs = parseBody(record);
  return article;
}

function parseBody(record: Record<string, unknown>): string[] {
  const { paragraphs, body } = record;
  if (paragraphs !== undefined && paragraphs !== null) {
    if (!Array.isArray(paragraphs) || !paragraphs.every((p) => typeof p === 'string')) {
      throw new ArshifError('INVALID_ARTICLE', 'field "paragraphs" must be an array of strings');
    }
    return paragraphs;
  }
  if (body !== undefined && body !== null) {
    if (typeof body !== 'string') {
      throw new ArshifError('INVALID_ARTICLE', 'field "body" must be a string');
    }
    return body
      .split(BLANK_LINES)
      .map((p) => p.trim())
      .filter((p) => p !== '');
  }
  throw new ArshifError(
    'INVALID_ARTICLE',
    'an article needs "paragraphs" (array of strings) or "body" (string)',
  );
}
