import { analyze } from '../../src/analysis/analyze.js';

/**
 * Queries as people type them: the first two or three words (alternately) of every `every`-th title,
 * as written. Titles without words are skipped.
 */
export function titleQueries(titles: Iterable<string>, every: number): string[] {
  const queries: string[] = [];
  let index = 0;
  for (const title of titles) {
    if (index % every === 0) {
      const words = analyze(title).map((token) => token.text);
      if (words.length > 0) queries.push(words.slice(0, 2 + (queries.length % 2)).join(' '));
    }
    index += 1;
  }
  return queries;
}
