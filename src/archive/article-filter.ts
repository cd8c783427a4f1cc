/** A search's filters (dates, source, section) as a test of an article's catalogue entry. */
import { type ArticleEntry, facetKey } from './catalogue.js';
import type { ResolvedSearchOptions } from './search-options.js';

/**
 * Whether an article passes a search's filters, from its entry (an article the catalogue lacks never
 * does); `undefined` when the search has none.
 */
export function articleFilter(
  entryOf: (articleId: string) => ArticleEntry | undefined,
  options: Pick<ResolvedSearchOptions, 'fromDay' | 'toDay' | 'source' | 'section'>,
): ((articleId: string) => boolean) | undefined {
  const { fromDay, toDay } = options;
  const source = facetKey(options.source);
  const section = facetKey(options.section);
  if (fromDay === undefined && toDay === undefined && source === undefined && section === undefined) {
    return undefined;
  }
  return (articleId) => {
    const stored = entryOf(articleId);
    if (stored === undefined) return false;
    if (source !== undefined && stored.source !== source) return false;
    if (section !== undefined && stored.section !== section) return false;
    if (fromDay !== undefined || toDay !== undefined) {
      if (stored.day === undefined) return false;
      if (fromDay !== undefined && stored.day < fromDay) return false;
      if (toDay !== undefined && stored.day > toDay) return false;
    }
    return true;
  };
}
