/** Counts of matching paragraphs by facet value (source, section, year), summable across shards. */
import type { ArticleEntry } from './catalogue.js';
import type { FacetName } from './search-options.js';

/** A value of a facet and how many matching paragraphs have it. */
export interface FacetCount {
  value: string;
  count: number;
}

/** Values listed per facet, at most: the rest are the long tail of a large archive's sources. */
export const MAX_FACET_VALUES = 100;

/** Every value counted of each facet, as `[key, value as first met, count]`: what a shard sends. */
export type RawFacetCounts = Partial<Record<FacetName, [string, string, number][]>>;

/**
 * Counts matching paragraphs by facet value, the article's entry looked up once per paragraph; values
 * that compare the same (normalised, as filters compare them) are one, shown as first met.
 */
export class FacetCounts {
  private readonly counts = new Map<FacetName, Map<string, FacetCount>>();

  constructor(readonly names: readonly FacetName[]) {
    this.reset();
  }

  /** Forgets every count (a search that starts again). */
  reset(): void {
    for (const name of this.names) this.counts.set(name, new Map());
  }

  /** Counts one matching paragraph of the article with this entry. */
  countEntry(
    entry: Pick<ArticleEntry, 'day' | 'source' | 'sourceName' | 'section' | 'sectionName'> | undefined,
  ): void {
    if (entry === undefined) return;
    this.add('source', entry.source, entry.sourceName);
    this.add('section', entry.section, entry.sectionName);
    if (entry.day !== undefined) {
      const year = entry.day.slice(0, 4);
      this.add('year', year, year);
    }
  }

  /** Adds counts made elsewhere (another shard's). */
  addRaw(raw: RawFacetCounts): void {
    for (const name of this.names) {
      for (const [key, value, count] of raw[name] ?? []) this.add(name, key, value, count);
    }
  }

  /** Every value counted, for {@link addRaw}. */
  raw(): RawFacetCounts {
    return Object.fromEntries(
      this.names.map((name) => [
        name,
        [...this.counts.get(name)!].map(([key, { value, count }]) => [key, value, count]),
      ]),
    ) as RawFacetCounts;
  }

  /** For each facet, its values most first (then by value), at most {@link MAX_FACET_VALUES}. */
  result(): Partial<Record<FacetName, FacetCount[]>> {
    return Object.fromEntries(
      this.names.map((name) => [
        name,
        [...this.counts.get(name)!.values()]
          .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
          .slice(0, MAX_FACET_VALUES)
          .map(({ value, count }) => ({ value, count })),
      ]),
    ) as Partial<Record<FacetName, FacetCount[]>>;
  }

  private add(name: FacetName, key: string | undefined, value: string | undefined, count = 1): void {
    const values = this.counts.get(name);
    if (values === undefined || key === undefined || value === undefined) return;
    const counted = values.get(key);
    if (counted === undefined) values.set(key, { value, count });
    else counted.count += count;
  }
}
