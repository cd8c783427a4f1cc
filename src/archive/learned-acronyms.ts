/** The acronyms an archive's articles define, counted by article and turned into synonym groups. */
import type { AnalysisOptions } from '../analysis/analyze.js';
import { queryWords } from '../search/engine.js';
import type { SynonymGroup } from '../search/engine.js';

/**
 * Articles that must define an acronym in place (`قوات سوريا الديمقراطية (قسد)`) before it is a synonym
 * of its long form. On ANT's 31,523 articles, 5 pairs reach 3 (`واس`, `حماس`, FBI, PKK, PYD: all
 * right); at 1, 74 pairs of which a sample of 30 had 27 right (`bench/learned-acronyms.ts`).
 */
export const MIN_ACRONYM_EVIDENCE = 3;

interface Pair {
  short: string;
  long: string;
  articles: number;
}

/**
 * The acronyms an archive's articles define, counted by article: kept up to date as articles come and
 * go, and turned into synonym groups once {@link MIN_ACRONYM_EVIDENCE} articles agree.
 *
 * - Pairs are told apart by the stems of their words, so `وقوات سوريا الديمقراطية` and `قوات سوريا
 *   الديمقراطية` are one; a group shows the forms first met.
 */
export class LearnedAcronyms {
  private readonly pairs = new Map<string, Pair>();
  /** Grows whenever the groups change: a search rebuilds its synonyms when it differs. */
  version = 0;

  constructor(private readonly analysis: AnalysisOptions) {}

  /** Counts an article's definitions in (`+1`) or out (`-1`). */
  count(acronyms: readonly (readonly [string, string])[] | undefined, change: 1 | -1): void {
    for (const [short, long] of acronyms ?? []) {
      const key = this.keyOf(short, long);
      let pair = this.pairs.get(key);
      if (pair === undefined) {
        if (change < 0) continue;
        pair = { short, long, articles: 0 };
        this.pairs.set(key, pair);
      }
      const before = pair.articles >= MIN_ACRONYM_EVIDENCE;
      pair.articles += change;
      if (pair.articles <= 0) this.pairs.delete(key);
      if (before !== pair.articles >= MIN_ACRONYM_EVIDENCE) this.version += 1;
    }
  }

  /** The pairs defined by enough articles, as synonym groups, most evidence first. */
  groups(): SynonymGroup[] {
    return [...this.pairs.values()]
      .filter((pair) => pair.articles >= MIN_ACRONYM_EVIDENCE)
      .sort((a, b) => b.articles - a.articles || (a.short < b.short ? -1 : 1))
      .map((pair) => ({ forms: [pair.short, pair.long], source: 'learned', evidence: pair.articles }));
  }

  private keyOf(short: string, long: string): string {
    const stems = (text: string) =>
      queryWords(text, this.analysis)
        .map((word) => word.stem)
        .join(' ');
    return `${stems(short)}\t${stems(long)}`;
  }
}
