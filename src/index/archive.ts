import { type AnalysisOptions, analyzeForIndex, type Token, analyze } from '../analysis/analyze.js';
import { normalize } from '../analysis/normalize.js';
import { ArshifError } from '../errors.js';
import { type Article, parseArticle, publishedDay } from './article.js';
import { buildSnippet, highlightRanges } from './highlight.js';
import {
  type Paragraph,
  ParagraphIndex,
  type ParagraphIndexOptions,
  type RankedParagraph,
} from './paragraph-index.js';
import { parseQuery, positiveWords, relaxPhrases } from './query.js';
import type { EncodedIndex } from './minisearch-codec.js';
import { resolveSearchOptions, type ResolvedSearchOptions, type SearchOptions } from './search-options.js';

/** A paragraph that matched a search, as every interface returns it. */
export interface Hit {
  id: string;
  para: number;
  title: string;
  published: string | null;
  source: string | null;
  section: string | null;
  score: number;
  /** The original paragraph, exactly as stored. */
  text: string;
  /** `[start, end]` UTF-16 offsets of the matched words in `text`. */
  highlights: [number, number][];
  /** HTML-escaped excerpt around the best match, matched words in `<mark>…</mark>`. */
  snippet: string;
}

/** The answer to a search. */
export interface SearchResponse {
  query: string;
  /** Number of paragraphs that match, before `offset` and `limit`. */
  total: number;
  tookMs: number;
  /** Present and true when no paragraph held the query's phrases and its words were searched instead. */
  relaxed?: boolean;
  hits: Hit[];
}

/** Counts of what an archive holds. */
export interface ArchiveStats {
  articles: number;
  paragraphs: number;
}

/** An article with the facts search filters on, computed once. */
interface StoredArticle {
  article: Article;
  day: string | undefined;
  source: string | undefined;
  section: string | undefined;
}

/** How a source or section is compared: normalised, so case, hamza and the like do not matter. */
function facetKey(value: string | undefined): string | undefined {
  return value === undefined ? undefined : normalize(value).trim();
}

function storedArticle(article: Article): StoredArticle {
  return {
    article,
    day: article.published === undefined ? undefined : publishedDay(article.published),
    source: facetKey(article.source),
    section: facetKey(article.section),
  };
}

/**
 * An archive of articles searchable by paragraph, in memory: the core the HTTP service, the command
 * line and embedding programs share.
 *
 * @example
 * const archive = new Archive();
 * archive.put({ id: 'a1', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط اليوم'] });
 * archive.search('اسعار').hits[0]?.snippet; // → 'ارتفعت <mark>أسعار</mark> النفط اليوم'
 */
export class Archive {
  private readonly articles = new Map<string, StoredArticle>();
  private index: ParagraphIndex;

  constructor(options: ParagraphIndexOptions = {}) {
    this.index = new ParagraphIndex(options);
  }

  /**
   * Rebuilds an archive from a snapshot of its index and the articles as they are now, analysing only
   * what changed since the snapshot.
   *
   * - `articles`: every article, in the order they were written.
   * - `changedIds`: the articles added or replaced after the snapshot; they are indexed afresh.
   * - Paragraphs of articles that are gone or changed are dropped from the snapshot's index.
   */
  static restore(
    snapshot: EncodedIndex,
    articles: Iterable<Article>,
    changedIds: ReadonlySet<string>,
    options: ParagraphIndexOptions = {},
  ): Archive {
    const archive = new Archive(options);
    const unchanged = new Map<string, Article>();
    for (const article of articles) if (!changedIds.has(article.id)) unchanged.set(article.id, article);
    archive.index = ParagraphIndex.restore(
      snapshot,
      (articleId, para) => {
        const article = unchanged.get(articleId);
        const text = article?.paragraphs[para];
        return article && text !== undefined ? { articleId, para, text, title: article.title } : undefined;
      },
      options,
    );
    for (const article of articles) {
      if (unchanged.has(article.id)) archive.articles.set(article.id, storedArticle(article));
      else archive.put(article);
    }
    return archive;
  }

  /** The index as plain data, for {@link Archive.restore}. */
  snapshot(): EncodedIndex {
    return this.index.toSnapshot();
  }

  /** The analysis options this archive indexes and queries with. */
  get analysisOptions(): AnalysisOptions {
    return this.index.analysis;
  }

  /** Counts of articles and indexed paragraphs. */
  stats(): ArchiveStats {
    return { articles: this.articles.size, paragraphs: this.index.size };
  }

  /** The stored article, or `undefined`. */
  get(id: string): Article | undefined {
    return this.articles.get(id)?.article;
  }

  /** Whether an article with this id is stored. */
  has(id: string): boolean {
    return this.articles.has(id);
  }

  /** Every stored article, in insertion order. */
  *all(): IterableIterator<Article> {
    for (const stored of this.articles.values()) yield stored.article;
  }

  /**
   * Adds an article, replacing any article with the same id. The value is validated as
   * {@link parseArticle} does; an invalid one throws `INVALID_ARTICLE` and changes nothing.
   */
  put(value: unknown): Article {
    const article = parseArticle(value);
    this.remove(article.id);
    this.articles.set(article.id, storedArticle(article));
    article.paragraphs.forEach((text, para) =>
      this.index.add({ articleId: article.id, para, text, title: article.title }),
    );
    return article;
  }

  /** Removes an article; returns whether it was there. */
  remove(id: string): boolean {
    const stored = this.articles.get(id);
    if (stored === undefined) return false;
    stored.article.paragraphs.forEach((_, para) => this.index.remove(id, para));
    this.articles.delete(id);
    return true;
  }

  /** Analyses text as the index does. */
  analyze(text: string): Token[] {
    return analyze(text, this.index.analysis);
  }

  /**
   * Searches the archive: ranked paragraph hits with highlights and snippets.
   *
   * - Query syntax: words (any may match), `"exact phrase"`, `-word`, `+word`.
   * - Throws `ArshifError('BAD_PARAMETER')` for a bad query or option; any query text is accepted.
   */
  search(query: string, options: SearchOptions = {}): SearchResponse {
    const started = performance.now();
    const resolved = resolveSearchOptions(query, options);
    const filter = this.filterFor(resolved);
    let parsed = parseQuery(query, this.index.analysis);
    // Sorting by date needs every hit in relevance order (it keeps that order for a day's ties).
    const ordered = resolved.sort === 'date' ? Number.POSITIVE_INFINITY : resolved.offset + resolved.limit;
    let ranked = this.index.search(parsed, filter, ordered);
    const relaxed = ranked.length === 0 && parsed.phrases.length > 0;
    if (relaxed) {
      parsed = relaxPhrases(parsed);
      ranked = this.index.search(parsed, filter, ordered);
    }
    if (resolved.sort === 'date') this.sortByDate(ranked);
    const words = positiveWords(parsed);
    const hits = ranked
      .slice(resolved.offset, resolved.offset + resolved.limit)
      .map((hit) => this.toHit(hit, words));
    const response: SearchResponse = {
      query,
      total: ranked.length,
      tookMs: performance.now() - started,
      hits,
    };
    if (relaxed) response.relaxed = true;
    return response;
  }

  private filterFor(options: ResolvedSearchOptions): ((paragraph: Paragraph) => boolean) | undefined {
    const { fromDay, toDay } = options;
    const source = facetKey(options.source);
    const section = facetKey(options.section);
    if (fromDay === undefined && toDay === undefined && source === undefined && section === undefined) {
      return undefined;
    }
    return (paragraph) => {
      const stored = this.articles.get(paragraph.articleId);
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

  private sortByDate(ranked: RankedParagraph[]): void {
    const dayOf = (hit: RankedParagraph) => this.articles.get(hit.paragraph.articleId)?.day ?? '';
    // Newest first; undated ('') sorts last; ties keep relevance order (sort is stable).
    ranked.sort((a, b) => (dayOf(a) < dayOf(b) ? 1 : dayOf(a) > dayOf(b) ? -1 : 0));
  }

  private toHit({ paragraph, score }: RankedParagraph, words: ReturnType<typeof positiveWords>): Hit {
    const article = this.articles.get(paragraph.articleId)?.article;
    if (article === undefined)
      throw new ArshifError('NOT_FOUND', `article "${paragraph.articleId}" vanished`);
    const highlights = highlightRanges(analyzeForIndex(paragraph.text, this.index.analysis), words);
    return {
      id: article.id,
      para: paragraph.para,
      title: article.title,
      published: article.published ?? null,
      source: article.source ?? null,
      section: article.section ?? null,
      score,
      text: paragraph.text,
      highlights,
      snippet: buildSnippet(paragraph.text, highlights),
    };
  }
}
