import { ArshifError } from '../errors.js';
import { publishedDay } from './article.js';

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
}

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
export function resolveSearchOptions(query: string, options: SearchOptions = {}): ResolvedSearchOptions {
  if (typeof query !== 'string' || query.length === 0 || query.length > MAX_QUERY_LENGTH) {
    throw new ArshifError('BAD_PARAMETER', `q must be 1–${MAX_QUERY_LENGTH} characters`);
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
  return resolved;
}
