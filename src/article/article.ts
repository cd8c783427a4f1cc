/** The article model: its format and limits, validating untrusted input, its vectors and facts. */
import { acronymDefinitions } from '../analysis/acronym-definitions.js';
import { ArshifError } from '../errors.js';
import { htmlParagraphs, looksLikeHtml } from '../ingest/html-paragraphs.js';
import { isBlankParagraph } from '../search/segments.js';

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
  /** The body as HTML, exactly as given, when it came as HTML (its paragraphs are split from it). */
  html?: string;
  /**
   * The version of the article at its source (a ninjs `version`, a number, or a date-time): a version
   * older than the one stored is ignored rather than applied (see {@link isOlderVersion}).
   */
  version?: string;
  /** Its language (BCP 47), as its source gave it. */
  language?: string;
  /** Subjects and genres as its source named them (ninjs `subjects`, `genres`). */
  subjects?: string[];
  genres?: string[];
  /**
   * One embedding per paragraph, computed by the client's own model (`null` for a paragraph without
   * one), as 32-bit floats; absent when it has none. Every vector of an archive has one dimension.
   */
  vectors?: (Float32Array | null)[];
}

/** Most dimensions a vector may have: Elasticsearch's `dense_vector` limit (models give 256–3,072). */
export const MAX_VECTOR_DIMENSIONS = 4096;

/**
 * A vector given as an array of numbers (or a `Float32Array` or `Float64Array`), as 32-bit floats; or, when it is not one, what is wrong with
 * it, to follow its name in a message ("the vector of paragraph 2 …").
 *
 * @example toVector([0.5, -1]) // → Float32Array [0.5, -1]
 * @example toVector([1, 'x']) // → 'has a value that is not a number at index 1'
 */
export function toVector(value: unknown): Float32Array | string {
  // An article parsed before (a program storing what it read back, a bulk load) holds 32-bit floats.
  if (value instanceof Float32Array) return typedVector(value);
  if (value instanceof Float64Array) value = Array.from(value);
  if (!Array.isArray(value)) return 'must be an array of numbers';
  if (value.length === 0) return 'is empty';
  if (value.length > MAX_VECTOR_DIMENSIONS) {
    return `has ${count(value.length)} dimensions; the limit is ${count(MAX_VECTOR_DIMENSIONS)}`;
  }
  const vector = new Float32Array(value.length);
  for (let at = 0; at < value.length; at += 1) {
    const number: unknown = value[at];
    if (typeof number !== 'number') return `has a value that is not a number at index ${at}`;
    if (!Number.isFinite(number)) return `has ${String(number)} at index ${at}`;
    vector[at] = number;
    // Finite as a double, but past the largest 32-bit float (3.4e38).
    if (!Number.isFinite(vector[at]!)) return `has ${number} at index ${at}, beyond a 32-bit float`;
  }
  return vector;
}

/** Paragraphs an index of these articles holds: blank ones are skipped. */
export function countParagraphs(articles: Iterable<{ paragraphs: readonly string[] }>): number {
  let count = 0;
  for (const article of articles)
    for (const text of article.paragraphs) if (!isBlankParagraph(text)) count += 1;
  return count;
}

/**
 * What a hit shows of one paragraph of an article: the paragraph and its article's title and date, read
 * without the rest of the article (a store decodes a few hundred characters, not a whole article).
 */
export interface ArticleParagraph {
  title: string;
  published?: string;
  text: string;
}

/** A paragraph of an article with its title and date, or `undefined` when the article lacks it. */
export function paragraphOfArticle(article: Article, para: number): ArticleParagraph | undefined {
  const text = article.paragraphs[para];
  if (text === undefined) return undefined;
  return article.published === undefined
    ? { title: article.title, text }
    : { title: article.title, published: article.published, text };
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
  /**
   * The acronyms its paragraphs define in place (`قوات سوريا الديمقراطية (قسد)`), as `[short, long]`,
   * each once: what an archive learns synonyms from. Absent when none.
   */
  acronyms?: readonly (readonly [string, string])[];
}

export function articleFacts(article: Article): ArticleFacts {
  const facts: ArticleFacts = {
    id: article.id,
    day: article.published === undefined ? undefined : publishedDay(article.published),
    source: article.source,
    section: article.section,
    paragraphs: countParagraphs([article]),
  };
  const acronyms = articleAcronyms(article);
  if (acronyms.length > 0) facts.acronyms = acronyms;
  return facts;
}

/** The acronym definitions of an article's paragraphs, each pair once, in text order. */
export function articleAcronyms(article: Article): [string, string][] {
  const pairs = new Map<string, [string, string]>();
  for (const paragraph of article.paragraphs) {
    for (const { short, long } of acronymDefinitions(paragraph))
      pairs.set(`${short}\t${long}`, [short, long]);
  }
  return [...pairs.values()];
}

/** Longest article id accepted. */
export const MAX_ID_LENGTH = 200;

/**
 * What one article may hold. The largest in the public corpora measured: a paragraph of 20,107
 * characters, 544 paragraphs, 33,191 characters in all (SaudiNewsNet); these leave room above and keep
 * one article from costing every search that matches it (a 7.7 MB paragraph made a two-word search
 * take 2.5 s and answer 19.9 MB).
 */
export const ARTICLE_LIMITS = Object.freeze({
  /** Characters of one paragraph. */
  paragraphLength: 50_000,
  /** Paragraphs of one article. */
  paragraphs: 2_000,
  /** Characters of the title and every paragraph together. */
  articleLength: 500_000,
  /** Characters of the title, the source, the section and the url, each. */
  fieldLength: 2_000,
});

const count = (n: number) => n.toLocaleString('en-US');

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
  if (value.length > ARTICLE_LIMITS.fieldLength) {
    throw new ArshifError(
      'INVALID_ARTICLE',
      `field "${field}" has ${count(value.length)} characters; the limit is ${count(ARTICLE_LIMITS.fieldLength)}`,
    );
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
  for (const field of ['source', 'section', 'url', 'version', 'language'] as const) {
    const text = optionalString(record, field);
    if (text !== undefined) article[field] = text;
  }
  for (const field of ['subjects', 'genres'] as const) {
    const list = optionalStrings(record, field);
    if (list !== undefined) article[field] = list;
  }
  const html =
    record.html ?? (typeof record.body === 'string' && looksLikeHtml(record.body) ? record.body : undefined);
  if (html !== undefined && html !== null) {
    if (typeof html !== 'string' || html.length > MAX_HTML_LENGTH) {
      throw new ArshifError(
        'INVALID_ARTICLE',
        `field "html" must be a string of at most ${count(MAX_HTML_LENGTH)} characters`,
      );
    }
    article.html = html;
  }
  article.paragraphs =
    html !== undefined && html !== null && record.paragraphs === undefined
      ? htmlParagraphs(html as string)
      : parseBody(record);
  checkSize(article);
  const vectors = parseVectors(record.vectors, article.paragraphs.length);
  if (vectors !== undefined) article.vectors = vectors;
  return article;
}

/** A vector already of 32-bit floats, kept as it is, or what is wrong with it. */
function typedVector(vector: Float32Array): Float32Array | string {
  if (vector.length === 0) return 'is empty';
  if (vector.length > MAX_VECTOR_DIMENSIONS) {
    return `has ${count(vector.length)} dimensions; the limit is ${count(MAX_VECTOR_DIMENSIONS)}`;
  }
  for (let at = 0; at < vector.length; at += 1) {
    if (!Number.isFinite(vector[at]!)) return `has ${String(vector[at])} at index ${at}`;
  }
  return vector;
}

/**
 * An article's `vectors`: one per paragraph (`null` for none), each a vector (see {@link toVector}), all
 * of one dimension; `undefined` when absent or when no paragraph has one.
 */
function parseVectors(value: unknown, paragraphs: number): (Float32Array | null)[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw new ArshifError(
      'INVALID_ARTICLE',
      'field "vectors" must be an array of one vector (or null) per paragraph',
    );
  }
  if (value.length !== paragraphs) {
    throw new ArshifError(
      'INVALID_ARTICLE',
      `field "vectors" has ${count(value.length)} entries for ${count(paragraphs)} paragraphs: one per paragraph, null for none`,
    );
  }
  let first: { at: number; dimensions: number } | undefined;
  const vectors = value.map((entry: unknown, at) => {
    if (entry === null) return null;
    const vector = toVector(entry);
    if (typeof vector === 'string') throw vectorError(at, vector);
    if (first === undefined) first = { at, dimensions: vector.length };
    else if (vector.length !== first.dimensions) {
      throw vectorError(
        at,
        `has ${count(vector.length)} dimensions, that of paragraph ${first.at + 1} ${count(first.dimensions)}`,
      );
    }
    return vector;
  });
  return first === undefined ? undefined : vectors;
}

/** An invalid vector, named by its paragraph (counted from 1, as people count) and its `para`. */
export function vectorError(at: number, problem: string): ArshifError {
  return new ArshifError('INVALID_ARTICLE', `the vector of paragraph ${at + 1} (para ${at}) ${problem}`);
}

/** Longest `html` body kept: markup costs about as much again as the text it holds. */
const MAX_HTML_LENGTH = 4 * ARTICLE_LIMITS.articleLength;

/** A list of strings (`subjects`, `genres`): at most 200, each a short field. */
function optionalStrings(record: Record<string, unknown>, field: string): string[] | undefined {
  const value = record[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length > 200 || !value.every((entry) => typeof entry === 'string')) {
    throw new ArshifError('INVALID_ARTICLE', `field "${field}" must be an array of at most 200 strings`);
  }
  for (const entry of value) {
    if (entry.length > ARTICLE_LIMITS.fieldLength) {
      throw new ArshifError(
        'INVALID_ARTICLE',
        `an entry of "${field}" has more than ${count(ARTICLE_LIMITS.fieldLength)} characters`,
      );
    }
  }
  return value as string[];
}

/**
 * Whether version `incoming` is older than `stored`: both numbers, compared as numbers; both dates,
 * compared as instants; otherwise (or either absent) never, so an unversioned write always applies.
 */
export function isOlderVersion(incoming: string | undefined, stored: string | undefined): boolean {
  if (incoming === undefined || stored === undefined) return false;
  const number = /^\s*\d+(?:\.\d+)?\s*$/u;
  if (number.test(incoming) && number.test(stored)) return Number(incoming) < Number(stored);
  const [a, b] = [Date.parse(incoming), Date.parse(stored)];
  return !Number.isNaN(a) && !Number.isNaN(b) && a < b;
}

/** Refuses an article over {@link ARTICLE_LIMITS}, naming the paragraph (counted from 1) or the total. */
function checkSize({ title, paragraphs }: Article): void {
  if (paragraphs.length > ARTICLE_LIMITS.paragraphs) {
    throw new ArshifError(
      'INVALID_ARTICLE',
      `the article has ${count(paragraphs.length)} paragraphs; the limit is ${count(ARTICLE_LIMITS.paragraphs)}`,
    );
  }
  let total = title.length;
  paragraphs.forEach((paragraph, at) => {
    if (paragraph.length > ARTICLE_LIMITS.paragraphLength) {
      throw new ArshifError(
        'INVALID_ARTICLE',
        `paragraph ${at + 1} has ${count(paragraph.length)} characters; the limit is ${count(ARTICLE_LIMITS.paragraphLength)}`,
      );
    }
    total += paragraph.length;
  });
  if (total > ARTICLE_LIMITS.articleLength) {
    throw new ArshifError(
      'INVALID_ARTICLE',
      `the article has ${count(total)} characters; the limit is ${count(ARTICLE_LIMITS.articleLength)}`,
    );
  }
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
