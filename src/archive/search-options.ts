/** The options of a search, their limits and defaults, and their checking for library, CLI and HTTP alike. */
import { ArshifError } from '../errors.js';
import { publishedDay, toVector } from '../article/article.js';

/** Options of a search; the same for the library, the command line and HTTP. */
export interface SearchOptions {
  /** Hits to return, 1–100. Default 10. */
  limit?: number;
  /** Hits to skip, for paging, 0–10000. Default 0. */
  offset?: number;
  /** Earliest publication day, inclusive (`YYYY-MM-DD` or ISO date-time). Undated articles fall outside. */
  from?: string;
  /** Latest publication day, inclusive. Undated articles fall outside. */
  to?: string;
  /** Only articles of this source (compared after normalisation: case, hamza and the like do not matter). */
  source?: string;
  /** Only articles of this section (compared like `source`). */
  section?: string;
  /** `relevance` (default) or `date`, newest first, undated last. */
  sort?: 'relevance' | 'date';
  /**
   * Milliseconds the search may spend finding matches, 1–{@link MAX_TIME_LIMIT_MS}; past them the best
   * of the matches found so far are returned, marked `partial` and `timedOut`. Default: no limit (the
   * HTTP service sets {@link DEFAULT_SERVICE_TIME_LIMIT_MS}; clients cannot change it).
   */
  timeLimitMs?: number;
  /**
   * Facets to count over every matching paragraph (not only the page): its article's `source`,
   * `section`, publication `year`. Default: none.
   */
  facets?: readonly FacetName[];
  /**
   * Fold paragraphs that are copies of a better-ranked one (the same or nearly the same words: a wire
   * story republished by several outlets) into it, listed as its `copies`. Default `true`.
   */
  collapse?: boolean;
  /**
   * A query vector, computed by the client's model as it computed the archive's: the paragraphs whose
   * vectors are nearest (by the archive's similarity) are found. With a query text too, both rankings
   * are blended (see {@link semanticRatio}); with an empty query text, the vector alone ranks.
   */
  vector?: ArrayLike<number>;
  /**
   * Nearest paragraphs the vector finds, 1–{@link MAX_K}. Default: `offset + limit`, at least 10; with a
   * query text, at least {@link HYBRID_CANDIDATES}.
   */
  k?: number;
  /**
   * With a query text and a vector: the vector ranking's share of the blend, 0 (the words' ranking
   * alone) to 1 (the vector's alone). Default 0.5.
   */
  semanticRatio?: number;
  /**
   * Score every vector exactly, rather than the best candidates of 8-bit ones: the reference the
   * approximate search is measured against, slower on a large archive. Default `false`.
   */
  exact?: boolean;
}

/** Most nearest paragraphs a vector search finds. */
export const MAX_K = 1_000;

/** Paragraphs of each ranking, at least, that a blend of words and vector ranks together. */
export const HYBRID_CANDIDATES = 100;

/** Default of {@link SearchOptions.semanticRatio}. */
export const DEFAULT_SEMANTIC_RATIO = 0.5;

/** What matches can be counted by (see {@link SearchOptions.facets}). */
export type FacetName = 'source' | 'section' | 'year';
export const FACET_NAMES: readonly FacetName[] = ['source', 'section', 'year'];

/** The longest {@link SearchOptions.timeLimitMs}: a minute. */
export const MAX_TIME_LIMIT_MS = 60_000;

/**
 * The HTTP service's time limit per search, which every other search on its thread waits for. Ordinary
 * queries take 1–20 ms on ANT; the costliest found (1,000 characters of its commonest words as required
 * words or short phrases, sorted by date) 0.2–0.3 s, and are cut here.
 */
export const DEFAULT_SERVICE_TIME_LIMIT_MS = 250;

/** Query length limits, in characters. */
export const MAX_QUERY_LENGTH = 1000;
export const MAX_LIMIT = 100;
export const MAX_OFFSET = 10_000;

/** Defaults of {@link SearchOptions}. */
export const DEFAULT_SEARCH_OPTIONS = Object.freeze({ limit: 10, offset: 0, sort: 'relevance' as const });

/** Search options checked and resolved to defaults. */
export interface ResolvedSearchOptions {
  limit: number;
  offset: number;
  fromDay?: string;
  toDay?: string;
  source?: string;
  section?: string;
  sort: 'relevance' | 'date';
  timeLimitMs?: number;
  facets?: FacetName[];
  collapse: boolean;
  /** With a vector: the vector, how many nearest paragraphs, the blend and whether exactly. */
  vector?: { values: Float32Array; k: number; semanticRatio: number; exact: boolean };
}

function integerIn(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ArshifError(
      'BAD_PARAMETER',
      `${name} must be an integer from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

function day(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = publishedDay(value);
  if (parsed === undefined) {
    throw new ArshifError('BAD_PARAMETER', `${name} must be a date YYYY-MM-DD, got "${value.slice(0, 40)}"`);
  }
  return parsed;
}

/**
 * Checks a query and its options, throwing `ArshifError('BAD_PARAMETER')` that names the bad value.
 */
export function resolveSearchOptions(
  query: string | undefined,
  options: SearchOptions = {},
): ResolvedSearchOptions {
  const withVector = options.vector !== undefined;
  // `undefined`: a search of no query text of the caller's (related paragraphs).
  if (
    query !== undefined &&
    (typeof query !== 'string' || (query.length === 0 && !withVector) || query.length > MAX_QUERY_LENGTH)
  ) {
    throw new ArshifError(
      'BAD_PARAMETER',
      `q must be 1–${MAX_QUERY_LENGTH} characters${withVector ? ' (or empty, to search by vector alone)' : ''}`,
    );
  }
  for (const name of ['k', 'semanticRatio', 'exact'] as const) {
    if (options[name] !== undefined && !withVector) {
      throw new ArshifError('BAD_PARAMETER', `${name} applies to a search by vector: give "vector" too`);
    }
  }
  const sort = options.sort ?? DEFAULT_SEARCH_OPTIONS.sort;
  if (sort !== 'relevance' && sort !== 'date') {
    throw new ArshifError('BAD_PARAMETER', `sort must be "relevance" or "date", got "${String(sort)}"`);
  }
  const resolved: ResolvedSearchOptions = {
    limit: integerIn('limit', options.limit, DEFAULT_SEARCH_OPTIONS.limit, 1, MAX_LIMIT),
    offset: integerIn('offset', options.offset, DEFAULT_SEARCH_OPTIONS.offset, 0, MAX_OFFSET),
    sort,
    collapse: options.collapse ?? true,
  };
  if (typeof resolved.collapse !== 'boolean') {
    throw new ArshifError('BAD_PARAMETER', `collapse must be true or false, got ${String(options.collapse)}`);
  }
  const fromDay = day('from', options.from);
  const toDay = day('to', options.to);
  if (fromDay !== undefined) resolved.fromDay = fromDay;
  if (toDay !== undefined) resolved.toDay = toDay;
  if (fromDay !== undefined && toDay !== undefined && fromDay > toDay) {
    throw new ArshifError('BAD_PARAMETER', `from (${fromDay}) is after to (${toDay})`);
  }
  if (options.timeLimitMs !== undefined) {
    const { timeLimitMs } = options;
    if (typeof timeLimitMs !== 'number' || !(timeLimitMs >= 1 && timeLimitMs <= MAX_TIME_LIMIT_MS)) {
      throw new ArshifError(
        'BAD_PARAMETER',
        `timeLimitMs must be a number from 1 to ${MAX_TIME_LIMIT_MS}, got ${String(timeLimitMs)}`,
      );
    }
    resolved.timeLimitMs = timeLimitMs;
  }
  if (options.facets !== undefined) {
    const unknown = Array.isArray(options.facets)
      ? options.facets.find((name) => !FACET_NAMES.includes(name))
      : options.facets;
    if (unknown !== undefined) {
      throw new ArshifError(
        'BAD_PARAMETER',
        `facets must be among ${FACET_NAMES.join(', ')}, got "${String(unknown).slice(0, 40)}"`,
      );
    }
    if (options.facets.length > 0) resolved.facets = [...new Set(options.facets)];
  }
  if (options.source !== undefined) resolved.source = options.source;
  if (options.section !== undefined) resolved.section = options.section;
  if (withVector) resolved.vector = resolveVector(query ?? '', options, resolved);
  return resolved;
}

function resolveVector(
  query: string,
  options: SearchOptions,
  { offset, limit }: { offset: number; limit: number },
): NonNullable<ResolvedSearchOptions['vector']> {
  const given = options.vector!;
  const values = toVector(given);
  if (typeof values === 'string') throw new ArshifError('BAD_PARAMETER', `vector ${values}`);
  const fallback = Math.min(MAX_K, Math.max(offset + limit, 10, query === '' ? 0 : HYBRID_CANDIDATES));
  const k = integerIn('k', options.k, fallback, 1, MAX_K);
  const { semanticRatio = DEFAULT_SEMANTIC_RATIO, exact = false } = options;
  if (options.semanticRatio !== undefined && query === '') {
    throw new ArshifError('BAD_PARAMETER', 'semanticRatio blends a query text with a vector: give "q" too');
  }
  if (typeof semanticRatio !== 'number' || !(semanticRatio >= 0 && semanticRatio <= 1)) {
    throw new ArshifError(
      'BAD_PARAMETER',
      `semanticRatio must be a number from 0 to 1, got ${String(semanticRatio)}`,
    );
  }
  if (typeof exact !== 'boolean') {
    throw new ArshifError('BAD_PARAMETER', `exact must be true or false, got ${String(exact)}`);
  }
  return { values, k, semanticRatio, exact };
}
