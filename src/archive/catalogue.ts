/** The archive's catalogue: each article's entry (what filters, facets and dates need), published or not. */
import { normalize } from '../analysis/normalize.js';
import {
  type Article,
  type ArticleFacts,
  type ArticleParagraph,
  articleFacts,
  paragraphOfArticle,
} from '../article/article.js';
import { LearnedAcronyms } from './learned-acronyms.js';
import { RecentReads } from './recent-reads.js';
import type { AnalysisOptions } from '../analysis/analyze.js';

/** What filters and date sorting need of an article, computed once; the article itself when kept in memory. */
export interface ArticleEntry {
  article: Article | undefined;
  day: string | undefined;
  /** Compared by filters: normalised (see {@link facetKey}). */
  source: string | undefined;
  section: string | undefined;
  /** As given, for facet counts to show. */
  sourceName: string | undefined;
  sectionName: string | undefined;
  /** The acronyms it defines in place, which the archive learns synonyms from. */
  acronyms?: readonly (readonly [string, string])[];
}

/**
 * Paragraphs read back from the store for hits, kept at hand (see {@link RecentReads}): a paragraph and
 * its title are half a kilobyte to a few, so 1-4 MB of news text; the hits searched again and again are
 * those of the few stories of the day, and a read from the store costs tens of microseconds.
 */
const RECENT_PARAGRAPHS = 2_000;

/** A paragraph read back, and the entry it was read for: a newer version of its article has another. */
interface ReadParagraph {
  entry: ArticleEntry;
  paragraph: ArticleParagraph;
}

/** How a source or section is compared: normalised, so case, hamza and the like do not matter. */
export function facetKey(value: string | undefined): string | undefined {
  return value === undefined ? undefined : normalize(value).trim();
}

/** Facet keys of the values seen: sources and sections repeat, so opening an archive normalises each once. */
const facetKeys = new Map<string, string>();
const FACET_KEYS_MEMO = 10_000;

function memoFacetKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let key = facetKeys.get(value);
  if (key === undefined) {
    key = facetKey(value)!;
    if (facetKeys.size >= FACET_KEYS_MEMO) facetKeys.clear();
    facetKeys.set(value, key);
  }
  return key;
}

/** A day `YYYY-MM-DD` as a number that sorts like it (`YYYYMMDD`); -1, below every day, when undated. */
export function dayKey(day: string | undefined): number {
  if (day === undefined) return -1;
  return (
    (day.charCodeAt(0) - 48) * 10_000_000 +
    (day.charCodeAt(1) - 48) * 1_000_000 +
    (day.charCodeAt(2) - 48) * 100_000 +
    (day.charCodeAt(3) - 48) * 10_000 +
    (day.charCodeAt(5) - 48) * 1_000 +
    (day.charCodeAt(6) - 48) * 100 +
    (day.charCodeAt(8) - 48) * 10 +
    (day.charCodeAt(9) - 48)
  );
}

/**
 * One string for each value entries hold (days, sources, sections, their keys): an archive's articles
 * share a few thousand values, and entries each holding their own copies (as those sent to a search
 * thread do, strings being copied one by one) cost ANT's 31,523 articles 5 MB a thread.
 */
const sharedValues = new Map<string, string>();

function shared(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const known = sharedValues.get(value);
  if (known !== undefined) return known;
  // Emptied when full: values are shared less from then on, never wrong.
  if (sharedValues.size >= FACET_KEYS_MEMO) sharedValues.clear();
  sharedValues.set(value, value);
  return value;
}

/** An article's entry from its facts; `article` when it is kept in memory. */
export function articleEntry(facts: ArticleFacts, article: Article | undefined): ArticleEntry {
  return withSharedValues({
    article,
    day: facts.day,
    source: memoFacetKey(facts.source),
    section: memoFacetKey(facts.section),
    sourceName: facts.source,
    sectionName: facts.section,
    ...(facts.acronyms === undefined ? {} : { acronyms: facts.acronyms }),
  });
}

/**
 * An entry with its values shared with this thread's other entries (see {@link shared}): as made here,
 * or as another thread sent it.
 */
export function withSharedValues(entry: ArticleEntry): ArticleEntry {
  return {
    ...entry,
    day: shared(entry.day),
    source: shared(entry.source),
    section: shared(entry.section),
    sourceName: shared(entry.sourceName),
    sectionName: shared(entry.sectionName),
  };
}

/** How a {@link Catalogue} is made. */
export interface CatalogueOptions {
  /** Reads a stored article by id; when given, entries keep no article text (see `ArchiveOptions.readArticle`). */
  readArticle?: ((id: string) => Article | undefined) | undefined;
  /** Reads one paragraph of a stored article, for a hit (see `ArchiveOptions.readParagraph`). */
  readParagraph?: ((id: string, para: number) => ArticleParagraph | undefined) | undefined;
  /** Whether writes wait for a seal to be searched: the segment set's publish mode, which this follows. */
  publishes: () => boolean;
  /** The analysis acronyms are learned with. */
  analysis: AnalysisOptions;
}

/**
 * The articles of an archive, by id: the entries searches see, and, in publish mode, the entries
 * written since (or being sealed), which replace them when their paragraphs are sealed — so a search
 * never sees an article its index does not hold yet, nor misses one it still holds.
 *
 * - An entry keeps the article in memory, or the article is read back from the store when asked for;
 *   a hit reads only its paragraph (the last {@link RECENT_PARAGRAPHS} kept at hand).
 * - Counts the acronyms the searched articles define ({@link learned}).
 */
export class Catalogue {
  /** The entries searches see (in publish mode, as of the last seal). */
  private readonly searched = new Map<string, ArticleEntry>();
  /** In publish mode, the entries written (or removed: `null`) since the live segment began. */
  private unpublished = new Map<string, ArticleEntry | null>();
  /** In publish mode, those of the live segment being sealed. */
  private sealingEntries: Map<string, ArticleEntry | null> | undefined;
  private readonly recent = new RecentReads<ReadParagraph>(RECENT_PARAGRAPHS);
  private readonly readArticle: ((id: string) => Article | undefined) | undefined;
  private readonly readParagraph: (id: string, para: number) => ArticleParagraph | undefined;
  private readonly publishes: () => boolean;
  /** The acronyms the searched articles define, counted: synonyms once enough articles agree. */
  readonly learned: LearnedAcronyms;

  constructor(options: CatalogueOptions) {
    const { readArticle } = options;
    this.readArticle = readArticle;
    this.readParagraph =
      options.readParagraph ??
      ((id, para) => {
        const article = readArticle?.(id);
        return article === undefined ? undefined : paragraphOfArticle(article, para);
      });
    this.publishes = options.publishes;
    this.learned = new LearnedAcronyms(options.analysis);
  }

  /** Whether articles are read back from a store rather than kept in memory. */
  get readsBack(): boolean {
    return this.readArticle !== undefined;
  }

  /** Articles searches see. */
  get size(): number {
    return this.searched.size;
  }

  /** The entry searches see for an article. */
  searchedEntry(id: string): ArticleEntry | undefined {
    return this.searched.get(id);
  }

  /** Every searched article's id and entry, in insertion order. */
  entries(): IterableIterator<[string, ArticleEntry]> {
    return this.searched.entries();
  }

  /** An article's latest entry, published or not. */
  latestEntry(id: string): ArticleEntry | undefined {
    for (const layer of [this.unpublished, this.sealingEntries]) {
      if (layer?.has(id)) return layer.get(id) ?? undefined;
    }
    return this.searched.get(id);
  }

  /** The article of an entry: kept in it, or read back from the store (a hit reads {@link paragraphOf}). */
  articleOf(id: string, entry: ArticleEntry | undefined): Article | undefined {
    if (entry === undefined) return undefined;
    if (entry.article !== undefined || this.readArticle === undefined) return entry.article;
    return this.readArticle(id);
  }

  /**
   * What a hit shows of one paragraph of an entry's article (its text, the title and date): from the
   * article kept in the entry, or read back (and kept at hand) from the store; `undefined` when the
   * article lacks the paragraph.
   */
  paragraphOf(id: string, entry: ArticleEntry | undefined, para: number): ArticleParagraph | undefined {
    if (entry === undefined) return undefined;
    if (entry.article !== undefined) return paragraphOfArticle(entry.article, para);
    if (this.readArticle === undefined) return undefined;
    const key = `${para} ${id}`;
    const read = (): ReadParagraph | undefined => {
      const paragraph = this.readParagraph(id, para);
      return paragraph === undefined ? undefined : { entry, paragraph };
    };
    let kept = this.recent.get(key, read);
    // Read for an older version of the article: the store now holds the one this entry stands for.
    if (kept !== undefined && kept.entry !== entry) {
      this.recent.forget(key);
      kept = this.recent.get(key, read);
    }
    return kept?.paragraph;
  }

  /** An article's entry: the article is kept unless it can be read back. */
  entryOf(article: Article): ArticleEntry {
    return articleEntry(articleFacts(article), this.readArticle === undefined ? article : undefined);
  }

  /** Records an article's entry (`null`: removed), searched at once or, in publish mode, from its seal. */
  set(id: string, entry: ArticleEntry | null): void {
    if (this.publishes()) {
      this.unpublished.set(id, entry);
      return;
    }
    this.publishEntries(new Map([[id, entry]]));
  }

  /** Records an entry searches see at once, whatever the mode: an archive being restored. */
  setSearched(id: string, entry: ArticleEntry): void {
    this.storeEntry(id, entry);
  }

  /**
   * A seal of the live segment began (`started`), or found nothing to seal: in publish mode, the entries
   * written since the last are searched once {@link finishSeal} is called — or at once when there was
   * nothing to seal and no seal is under way (`alreadySealing`).
   */
  beginSeal(started: boolean, alreadySealing: boolean): void {
    if (!this.publishes()) return;
    if (started) {
      this.sealingEntries = this.unpublished;
      this.unpublished = new Map();
    } else if (!alreadySealing) {
      // Nothing to seal (articles without text): their entries have nothing to wait for.
      this.publishEntries(this.unpublished);
      this.unpublished = new Map();
    }
  }

  /** The seal under way is done: its articles' entries are searched from now on. */
  finishSeal(): void {
    const entries = this.sealingEntries;
    this.sealingEntries = undefined;
    if (entries !== undefined) this.publishEntries(entries);
  }

  /** Publish mode ended: every entry waiting for a seal is searched from now on. */
  publishAll(): void {
    const unpublished = this.unpublished;
    this.unpublished = new Map();
    this.publishEntries(unpublished);
  }

  private publishEntries(entries: ReadonlyMap<string, ArticleEntry | null>): void {
    for (const [id, entry] of entries) this.storeEntry(id, entry);
  }

  /** Records an article's entry where searches and filters find it (`null`: gone). */
  private storeEntry(id: string, entry: ArticleEntry | null): void {
    this.learned.count(this.searched.get(id)?.acronyms, -1);
    if (entry === null) {
      this.searched.delete(id);
      return;
    }
    this.searched.set(id, entry);
    this.learned.count(entry.acronyms, 1);
  }
}
