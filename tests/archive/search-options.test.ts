import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SEARCH_OPTIONS,
  DEFAULT_SEMANTIC_RATIO,
  HYBRID_CANDIDATES,
  MAX_K,
  MAX_LIMIT,
  MAX_OFFSET,
  MAX_QUERY_LENGTH,
  MAX_TIME_LIMIT_MS,
  resolveSearchOptions,
  type SearchOptions,
} from '../../src/archive/search-options.js';

const QUERY = 'أسعار النفط';

/** Options as an untyped client (JSON over HTTP, plain JavaScript) may send them. */
const untyped = (options: Record<string, unknown>) => options as SearchOptions;

describe('resolveSearchOptions: accepted', () => {
  it('resolves no options to the defaults, which are those documented', () => {
    expect(resolveSearchOptions(QUERY)).toEqual({ limit: 10, offset: 0, sort: 'relevance', collapse: true });
    expect(DEFAULT_SEARCH_OPTIONS).toEqual({ limit: 10, offset: 0, sort: 'relevance' });
    expect(DEFAULT_SEMANTIC_RATIO).toBe(0.5);
    expect(Object.isFrozen(DEFAULT_SEARCH_OPTIONS)).toBe(true);
  });

  it.each<[string, string | undefined, SearchOptions, Record<string, unknown>]>([
    ['empty options', QUERY, {}, {}],
    ['no query text (related paragraphs)', undefined, {}, {}],
    ['the longest query', 'ن'.repeat(MAX_QUERY_LENGTH), {}, {}],
    ['the least limit', QUERY, { limit: 1 }, { limit: 1 }],
    ['the greatest limit', QUERY, { limit: MAX_LIMIT }, { limit: MAX_LIMIT }],
    ['the greatest offset', QUERY, { offset: MAX_OFFSET }, { offset: MAX_OFFSET }],
    ['sorted by date', QUERY, { sort: 'date' }, { sort: 'date' }],
    ['copies not collapsed', QUERY, { collapse: false }, { collapse: false }],
    ['a day', QUERY, { from: '2024-02-29' }, { fromDay: '2024-02-29' }],
    [
      'a date-time, to its day',
      QUERY,
      { from: '2024-02-29T10:00:00+03:00', to: '2024-03-01T23:59:59Z' },
      { fromDay: '2024-02-29', toDay: '2024-03-01' },
    ],
    [
      'one day, from and to alike',
      QUERY,
      { from: '2024-01-01', to: '2024-01-01' },
      { fromDay: '2024-01-01', toDay: '2024-01-01' },
    ],
    ['the least time limit', QUERY, { timeLimitMs: 1 }, { timeLimitMs: 1 }],
    ['a time limit of a fraction', QUERY, { timeLimitMs: 2.5 }, { timeLimitMs: 2.5 }],
    [
      'the greatest time limit',
      QUERY,
      { timeLimitMs: MAX_TIME_LIMIT_MS },
      { timeLimitMs: MAX_TIME_LIMIT_MS },
    ],
    [
      'facets, each once, in the order asked',
      QUERY,
      { facets: ['year', 'source', 'year'] },
      { facets: ['year', 'source'] },
    ],
    ['no facets', QUERY, { facets: [] }, {}],
    [
      'source and section kept as given',
      QUERY,
      { source: 'الجزيرة', section: 'اقتصاد' },
      { source: 'الجزيرة', section: 'اقتصاد' },
    ],
  ])('%s', (_name, query, options, resolved) => {
    expect(resolveSearchOptions(query, options)).toEqual({
      limit: 10,
      offset: 0,
      sort: 'relevance',
      collapse: true,
      ...resolved,
    });
  });

  it("never changes the caller's options, and copies its facets", () => {
    const facets = Object.freeze(['source', 'section'] as const);
    const options = Object.freeze({ limit: 20, facets });
    const resolved = resolveSearchOptions(QUERY, options);
    expect(resolved.facets).toEqual(['source', 'section']);
    expect(resolved.facets).not.toBe(facets);
    expect(options).toEqual({ limit: 20, facets: ['source', 'section'] });
  });
});

describe('resolveSearchOptions: refused with BAD_PARAMETER naming the bad value', () => {
  it.each<[string, string | undefined, SearchOptions, string]>([
    ['an empty query', '', {}, `q must be 1–${MAX_QUERY_LENGTH} characters`],
    ['a query too long', 'ن'.repeat(MAX_QUERY_LENGTH + 1), {}, `q must be 1–${MAX_QUERY_LENGTH} characters`],
    ['a query not a string', 42 as unknown as string, {}, 'q must be'],
    ['limit 0', QUERY, { limit: 0 }, 'limit must be an integer from 1 to 100, got 0'],
    [
      'limit above the greatest',
      QUERY,
      { limit: MAX_LIMIT + 1 },
      'limit must be an integer from 1 to 100, got 101',
    ],
    ['limit not an integer', QUERY, { limit: 1.5 }, 'limit must be an integer from 1 to 100, got 1.5'],
    ['limit not a number', QUERY, { limit: Number.NaN }, 'got NaN'],
    ['limit a string', QUERY, untyped({ limit: '10' }), 'limit must be an integer from 1 to 100, got 10'],
    ['a negative offset', QUERY, { offset: -1 }, 'offset must be an integer from 0 to 10000, got -1'],
    [
      'offset above the greatest',
      QUERY,
      { offset: MAX_OFFSET + 1 },
      'offset must be an integer from 0 to 10000, got 10001',
    ],
    [
      'an unknown sort',
      QUERY,
      untyped({ sort: 'newest' }),
      'sort must be "relevance" or "date", got "newest"',
    ],
    [
      'collapse not a boolean',
      QUERY,
      untyped({ collapse: 'yes' }),
      'collapse must be true or false, got yes',
    ],
    [
      'a day that does not exist',
      QUERY,
      { from: '2023-02-29' },
      'from must be a date YYYY-MM-DD, got "2023-02-29"',
    ],
    ['a date not a date', QUERY, { to: 'أمس' }, 'to must be a date YYYY-MM-DD, got "أمس"'],
    ['a long bad date, cut', QUERY, { from: 'ن'.repeat(100) }, `got "${'ن'.repeat(40)}"`],
    [
      'from after to',
      QUERY,
      { from: '2024-03-01', to: '2024-02-01' },
      'from (2024-03-01) is after to (2024-02-01)',
    ],
    [
      'time limit 0',
      QUERY,
      { timeLimitMs: 0 },
      `timeLimitMs must be a number from 1 to ${MAX_TIME_LIMIT_MS}, got 0`,
    ],
    [
      'time limit above the greatest',
      QUERY,
      { timeLimitMs: MAX_TIME_LIMIT_MS + 1 },
      `got ${MAX_TIME_LIMIT_MS + 1}`,
    ],
    [
      'time limit not a number',
      QUERY,
      { timeLimitMs: Number.NaN },
      'timeLimitMs must be a number from 1 to 60000, got NaN',
    ],
    [
      'time limit a string',
      QUERY,
      untyped({ timeLimitMs: '100' }),
      'timeLimitMs must be a number from 1 to 60000, got 100',
    ],
    [
      'an unknown facet',
      QUERY,
      untyped({ facets: ['source', 'author'] }),
      'facets must be among source, section, year, got "author"',
    ],
    [
      'facets not an array',
      QUERY,
      untyped({ facets: 'source' }),
      'facets must be among source, section, year, got "source"',
    ],
    ['k without a vector', QUERY, { k: 10 }, 'k applies to a search by vector: give "vector" too'],
    [
      'semanticRatio without a vector',
      QUERY,
      { semanticRatio: 0.5 },
      'semanticRatio applies to a search by vector',
    ],
    ['exact without a vector', QUERY, { exact: true }, 'exact applies to a search by vector'],
  ])('%s', (_name, query, options, message) => {
    expect(() => resolveSearchOptions(query, options)).toThrow(
      expect.objectContaining({ code: 'BAD_PARAMETER', message: expect.stringContaining(message) }),
    );
  });
});

describe('resolveSearchOptions: a vector', () => {
  const VECTOR = [0.5, -1, 0.25];
  const defaults = { limit: 10, offset: 0, sort: 'relevance', collapse: true };

  it.each<[string, string | undefined, SearchOptions, { k: number; semanticRatio: number; exact: boolean }]>([
    ['alone, k at least 10', '', {}, { k: 10, semanticRatio: 0.5, exact: false }],
    ['alone, with no query text at all', undefined, {}, { k: 10, semanticRatio: 0.5, exact: false }],
    [
      'alone, k the paragraphs of the page asked for',
      '',
      { limit: 20, offset: 30 },
      { k: 50, semanticRatio: 0.5, exact: false },
    ],
    [
      'with a query text, k at least the hybrid candidates',
      QUERY,
      {},
      { k: HYBRID_CANDIDATES, semanticRatio: 0.5, exact: false },
    ],
    [
      'k at most the greatest',
      QUERY,
      { limit: MAX_LIMIT, offset: MAX_OFFSET },
      { k: MAX_K, semanticRatio: 0.5, exact: false },
    ],
    ['k given', '', { k: 3 }, { k: 3, semanticRatio: 0.5, exact: false }],
    ['the greatest k', '', { k: MAX_K }, { k: MAX_K, semanticRatio: 0.5, exact: false }],
    ['the words alone', QUERY, { semanticRatio: 0 }, { k: 100, semanticRatio: 0, exact: false }],
    ['the vector alone', QUERY, { semanticRatio: 1 }, { k: 100, semanticRatio: 1, exact: false }],
    ['scored exactly', '', { exact: true }, { k: 10, semanticRatio: 0.5, exact: true }],
  ])('%s', (_name, query, options, expected) => {
    const resolved = resolveSearchOptions(query, { ...options, vector: VECTOR });
    const { limit = 10, offset = 0 } = options;
    expect(resolved).toEqual({
      ...defaults,
      limit,
      offset,
      vector: { values: Float32Array.from(VECTOR), ...expected },
    });
  });

  it.each<[string, string | undefined, SearchOptions, string]>([
    ['an empty vector', '', { vector: [] }, 'vector is empty'],
    [
      'a value not a number',
      '',
      untyped({ vector: [0.5, 'x'] }),
      'vector has a value that is not a number at index 1',
    ],
    ['an infinite value', '', { vector: [0.5, Number.POSITIVE_INFINITY] }, 'vector has Infinity at index 1'],
    ['not an array', '', untyped({ vector: 'النفط' }), 'vector must be an array of numbers'],
    ['k 0', '', { vector: VECTOR, k: 0 }, `k must be an integer from 1 to ${MAX_K}, got 0`],
    ['k above the greatest', '', { vector: VECTOR, k: MAX_K + 1 }, `got ${MAX_K + 1}`],
    [
      'semanticRatio without a query text',
      '',
      { vector: VECTOR, semanticRatio: 0.5 },
      'semanticRatio blends a query text with a vector: give "q" too',
    ],
    [
      'semanticRatio above 1',
      QUERY,
      { vector: VECTOR, semanticRatio: 1.5 },
      'semanticRatio must be a number from 0 to 1, got 1.5',
    ],
    ['semanticRatio below 0', QUERY, { vector: VECTOR, semanticRatio: -0.1 }, 'got -0.1'],
    ['semanticRatio not a number', QUERY, untyped({ vector: VECTOR, semanticRatio: 'half' }), 'got half'],
    ['exact not a boolean', '', untyped({ vector: VECTOR, exact: 1 }), 'exact must be true or false, got 1'],
    [
      'a query too long, even with a vector',
      'ن'.repeat(MAX_QUERY_LENGTH + 1),
      { vector: VECTOR },
      '(or empty, to search by vector alone)',
    ],
  ])('refuses %s', (_name, query, options, message) => {
    expect(() => resolveSearchOptions(query, options)).toThrow(
      expect.objectContaining({ code: 'BAD_PARAMETER', message: expect.stringContaining(message) }),
    );
  });
});
