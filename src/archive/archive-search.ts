/** Answers to an archive's searches: hits, highlights and snippets, copies, facets, blends and related paragraphs. */
import { type AnalysisOptions, analyzeForIndex } from '../analysis/analyze.js';
import { hasVowelMarks } from '../analysis/diacritics.js';
import { formMasks, mayHoldAny } from '../analysis/letter-mask.js';
import { ArshifError } from '../errors.js';
import {
  Deadline,
  type EngineHit,
  type EngineResult,
  type EngineSearchOptions,
  groupCopies,
  lacksDirection,
  mergeSynonymGroups,
  DEFAULT_SYNONYM_GROUPS,
  type ParsedQuery,
  parseQuery,
  type QueryWord,
  relaxPhrases,
  type Searcher,
  type SynonymGroup,
  Synonyms,
  type SynonymsFile,
  type Signature,
  type VectorSimilarity,
  type WordVariant,
} from '../search/engine.js';
import { articleFilter } from './article-filter.js';
import { type ArticleEntry, type Catalogue, dayKey } from './catalogue.js';
import { type FacetCount, FacetCounts } from './facet-counts.js';
import { blendRankings } from './hybrid-blend.js';
import { markedWords, marksTier, rescoreByMarks } from './vowel-marks.js';
import { buildSnippet, highlightText, type MAX_HIGHLIGHTS } from './highlight.js';
import {
  type FacetName,
  HYBRID_CANDIDATES,
  MAX_K,
  resolveSearchOptions,
  type ResolvedSearchOptions,
  type SearchOptions,
} from './search-options.js';

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
  /** `[start, end]` UTF-16 offsets of the matched words in `text`, in text order: the first 1,000 ({@link MAX_HIGHLIGHTS}). */
  highlights: [number, number][];
  /** HTML-escaped excerpt around the best match, matched words in `<mark>…</mark>`. */
  snippet: string;
  /**
   * `[start, end]` UTF-16 offsets of the matched words in `title`, in title order. A hit whose title
   * alone matches is its article's lead paragraph: its `highlights` are then empty.
   */
  titleHighlights: [number, number][];
  /**
   * Paragraphs that are copies of this one (the same or nearly the same words, see
   * `near-duplicates.ts`), ranked below it and folded into it; absent when none, or when not collapsing.
   */
  copies?: Copy[];
}

/** A hit before the words searched are marked in it (see `ArchiveSearch.markHit`). */
export type UnmarkedHit = Omit<Hit, 'highlights' | 'snippet' | 'titleHighlights' | 'copies'>;

/** A paragraph folded into a hit as a copy of it. */
export interface Copy {
  id: string;
  para: number;
  source: string | null;
  published: string | null;
}

/**
 * Candidates grouped into copies, at most: copies are found among the best this many matches (or five
 * times the hits asked for, if more), so a copy ranked further down stays a hit of its own.
 */
export const COLLAPSE_DEPTH = 1_000;

/** Options of {@link ArchiveSearch.related}: those of a search that apply to it. */
export type RelatedOptions = Pick<
  SearchOptions,
  'limit' | 'offset' | 'from' | 'to' | 'source' | 'section' | 'collapse' | 'timeLimitMs' | 'exact'
>;

/** Paragraphs related to one, as {@link ArchiveSearch.related} finds them. */
export interface RelatedResponse extends Omit<SearchResponse, 'query' | 'relaxed' | 'suggestion' | 'facets'> {
  /** The paragraph they relate to. */
  id: string;
  para: number;
  /** `vector`: by the paragraph's vector; `words`: by its most telling words, listed in `words`. */
  by: 'vector' | 'words';
  words?: string[];
}

/** Words of a paragraph a "more like this" query keeps, at most (Lucene's `maxQueryTerms` is 25). */
export const RELATED_WORDS = 25;

/** Neighbours of a paragraph's vector looked at, at least, before its copies are left out. */
const RELATED_CANDIDATES = 50;

/** Neighbours of a paragraph's vector looked at for a page ending at `wanted`: its copies are dropped from them. */
export function relatedNeighbours(wanted: number): number {
  return Math.min(MAX_K, Math.max(RELATED_CANDIDATES, wanted * 5));
}

/**
 * Refuses what has no related paragraphs: an unknown article (`NOT_FOUND`, its paragraph count
 * `undefined`), a paragraph it lacks or a blank one (`BAD_PARAMETER`).
 */
export function checkRelatedParagraph(
  id: string,
  para: number,
  paragraphs: number | undefined,
  blank: boolean,
): void {
  if (paragraphs === undefined) throw new ArshifError('NOT_FOUND', `no article with id "${id}"`);
  if (!Number.isInteger(para) || para < 0 || para >= paragraphs) {
    throw new ArshifError(
      'BAD_PARAMETER',
      `para must be an integer from 0 to ${paragraphs - 1} (article "${id}" has ${paragraphs} paragraphs), got ${String(para)}`,
    );
  }
  if (blank) {
    throw new ArshifError(
      'BAD_PARAMETER',
      `paragraph ${para} of article "${id}" is blank: it relates to nothing`,
    );
  }
}

/** Related options checked: `exact`, and the search options that apply. */
export function resolveRelatedOptions(options: RelatedOptions): {
  resolved: ResolvedSearchOptions;
  exact: boolean;
} {
  const { exact = false, ...searchOptions } = options;
  if (typeof exact !== 'boolean') {
    throw new ArshifError('BAD_PARAMETER', `exact must be true or false, got ${String(exact)}`);
  }
  return { resolved: resolveSearchOptions(undefined, searchOptions), exact };
}

/**
 * Leaves out of what a search found the copies of `source` (the same text elsewhere, by signature), and
 * counts them out of its total: related coverage, not the same coverage.
 */
export function dropCopiesOf<T>(
  found: { hits: T[]; total: number },
  source: Signature,
  signatureOf: (hit: T) => Signature | undefined,
): void {
  const group = groupCopies([source, ...found.hits.map(signatureOf)])[0] ?? [];
  const copies = new Set(group.filter((at) => at > 0).map((at) => at - 1));
  found.hits = found.hits.filter((_, at) => !copies.has(at));
  found.total -= copies.size;
}

/** A "more like this" query: a paragraph's telling words, every one optional. */
export function moreLikeThis(words: QueryWord[]): ParsedQuery {
  return { optional: words, required: [], excluded: [], phrases: [], excludedPhrases: [] };
}

/** What a search found, before it is paged. */
type Found = EngineResult & {
  /** No paragraph held the query's phrases: its words were searched instead. */
  relaxed?: true;
  /** Hits the engine's facet counting did not see: a vector's neighbours that are not word matches. */
  unmatched?: EngineHit[];
};

/**
 * A vector's nearest paragraphs as what a search found: every one a hit, none matched by words (so
 * facets count them apart), all of them when the deadline did not cut the search short.
 */
export function foundNearest<T>(hits: T[], timedOut: boolean) {
  return {
    hits,
    total: hits.length,
    totalExact: !timedOut,
    words: [] as QueryWord[],
    suggestions: new Map<number, WordVariant>(),
    ...(timedOut ? { partial: true as const, timedOut: true as const } : {}),
    unmatched: hits,
  };
}

/** What every part of one search shares. */
interface SearchContext {
  resolved: ResolvedSearchOptions;
  deadline: Deadline;
  accept?: (articleId: string) => boolean;
  facets?: FacetCounts;
}

/**
 * Candidates copies are grouped among, for a page ending at `wanted`: more than the page, since a wire
 * story may come from ten outlets.
 */
export function collapseDepth(wanted: number): number {
  return Math.max(Math.min(COLLAPSE_DEPTH, wanted * 5), wanted);
}

/** Hits ordered by their article's day, newest first; a day's keep their order. */
export function byDay<T extends { articleId: string }>(hits: T[], day: (articleId: string) => number): T[] {
  const days = new Map(hits.map((hit) => [hit, day(hit.articleId)]));
  return [...hits].sort((a, b) => days.get(b)! - days.get(a)!);
}

/** Paragraphs by article id, then paragraph: the order of equal scores (see {@link settleTies}). */
export function byArticle(
  a: { articleId: string; para: number },
  b: { articleId: string; para: number },
): number {
  return a.articleId < b.articleId ? -1 : a.articleId > b.articleId ? 1 : a.para - b.para;
}

/**
 * Hits of equal score (and, sorted by date, of the same day) put in the order of their article ids and
 * paragraphs, the rest left as they are: so that an archive's answer does not depend on the order its
 * articles were written in, nor on how a cluster cut it into shards (wire copies score the same).
 */
export function settleTies<T extends { articleId: string; para: number; score: number }>(
  hits: T[],
  dayOf?: (hit: T) => number,
): T[] {
  const same = (a: T, b: T) => a.score === b.score && (dayOf === undefined || dayOf(a) === dayOf(b));
  let start = 0;
  for (let end = 1; end <= hits.length; end += 1) {
    if (end < hits.length && same(hits[start]!, hits[end]!)) continue;
    if (end - start > 1) {
      const run = hits.slice(start, end).sort(byArticle);
      hits.splice(start, run.length, ...run);
    }
    start = end;
  }
  return hits;
}

/** The answer to a search. */
export interface SearchResponse {
  query: string;
  /** Number of paragraphs that match, before `offset` and `limit`; a lower bound when `totalExact` is false. */
  total: number;
  /** Present and false when more than 10,000 paragraphs match and `total` only counts some of them. */
  totalExact?: false;
  tookMs: number;
  /** Present and true when no paragraph held the query's phrases and its words were searched instead. */
  relaxed?: boolean;
  /**
   * Present when a query word matched no paragraph, or far fewer than a word one or two typing errors
   * away does: the query with each such word corrected, as the archive writes the correction.
   */
  suggestion?: string;
  /**
   * Present and true when not everything was searched: the query had more than 32 distinct words and was
   * scored on the rarest 32 (and every required word and phrase) — a pasted paragraph, whose commonest
   * words cost most and tell least — or the search ran out of time (`timedOut`).
   */
  partial?: true;
  /**
   * Present and true when the time limit ({@link SearchOptions.timeLimitMs}) passed before every match was
   * found: the hits are the best of those found, and `total` counts only them (`totalExact` is false).
   */
  timedOut?: true;
  /**
   * Present when asked for ({@link SearchOptions.facets}): for each facet, how many matching paragraphs
   * (all of them, not only the page) have each value, most first, at most `MAX_FACET_VALUES`.
   */
  facets?: Partial<Record<FacetName, FacetCount[]>>;
  hits: Hit[];
}

/** What an {@link ArchiveSearch} answers from. */
export interface ArchiveSearchParts {
  /** The articles, as searches see them. */
  catalogue: Catalogue;
  /** The engine's searcher over the archive's segments. */
  searcher: Searcher;
  /** The dimension of the archive's vectors, once it has one. */
  vectorDimensions: () => number | undefined;
  /** A synonyms file's groups and removals, applied to queries. */
  synonymsFile?: SynonymsFile | undefined;
}

/**
 * Answers an archive's searches: the engine's ranked paragraphs made into hits (text, highlights,
 * snippet, copies folded in), with facets, filters, a blend with a vector's neighbours, suggestions and
 * related paragraphs — from the archive's {@link Catalogue} and the engine's {@link Searcher}.
 */
export class ArchiveSearch {
  private readonly catalogue: Catalogue;
  private readonly searcher: Searcher;
  private readonly vectorDimensions: () => number | undefined;
  private readonly synonymsFile: SynonymsFile | undefined;
  /** The {@link LearnedAcronyms.version} the searcher's synonyms were made from (-1: never). */
  private synonymsVersion = -1;

  constructor(parts: ArchiveSearchParts) {
    this.catalogue = parts.catalogue;
    this.searcher = parts.searcher;
    this.vectorDimensions = parts.vectorDimensions;
    this.synonymsFile = parts.synonymsFile;
  }

  /**
   * The synonym groups searches expand query words with: the shipped list and the acronyms learned from
   * the articles (each with its evidence), less those the synonyms file removes, then the file's own.
   */
  synonymGroups(): SynonymGroup[] {
    return mergeSynonymGroups(
      [...DEFAULT_SYNONYM_GROUPS, ...this.catalogue.learned.groups()],
      this.synonymsFile ?? { groups: [], remove: [] },
    );
  }

  /** Gives the engine the synonyms in effect, when the learned ones changed since it was last given them. */
  refreshSynonyms(): void {
    if (this.synonymsVersion === this.catalogue.learned.version) return;
    this.searcher.synonyms = new Synonyms(this.synonymGroups(), this.searcher.analysis);
    this.synonymsVersion = this.catalogue.learned.version;
  }

  /**
   * Searches the archive: ranked paragraph hits with highlights and snippets.
   *
   * - Query syntax: words (any may match), `"exact phrase"`, `-word`, `+word`.
   * - With {@link SearchOptions.vector}: the paragraphs nearest the vector; with a query text too, both
   *   rankings blended (see {@link blend}); an empty query text searches by the vector alone.
   * - Throws `ArshifError('BAD_PARAMETER')` for a bad query or option; any query text is accepted.
   */
  search(query: string, options: SearchOptions = {}): SearchResponse {
    const started = performance.now();
    const resolved = resolveSearchOptions(query, options);
    this.refreshSynonyms();
    const accept = this.filterFor(resolved);
    const search: SearchContext = {
      resolved,
      deadline: Deadline.after(resolved.timeLimitMs),
      ...(accept === undefined ? {} : { accept }),
      ...(resolved.facets === undefined ? {} : { facets: this.facetCounts(resolved.facets) }),
    };
    const { vector } = resolved;
    if (vector !== undefined) {
      checkQueryVector(vector.values, this.vectorDimensions(), this.searcher.vectorSimilarity);
    }
    let found: Found;
    // A blend weighing the vector at 0 ranks (and counts) as the words alone; at 1, as the vector alone.
    if (vector === undefined || (vector.semanticRatio === 0 && query !== ''))
      found = this.findWords(query, parseQuery(query, this.searcher.analysis), search);
    else {
      const nearest = this.findNearest(vector.values, vector.k, search, vector.exact);
      if (query === '' || vector.semanticRatio === 1) found = nearest;
      else {
        const words = this.findWords(
          query,
          parseQuery(query, this.searcher.analysis),
          search,
          true,
          false,
          nearest.hits,
        );
        found = this.blend(words, nearest, vector.values, vector.semanticRatio);
      }
      if (resolved.sort === 'date')
        found.hits = byDay(found.hits, (id) => dayKey(this.catalogue.searchedEntry(id)?.day));
    }
    return this.respond(query, found, search, started);
  }

  /**
   * The paragraphs that match a parsed query, best first: as many as a page needs, with more to group
   * copies among (and, to blend with a vector search, at least {@link HYBRID_CANDIDATES}, each with its
   * vector).
   */
  private findWords(
    query: string,
    parsed: ParsedQuery,
    search: SearchContext,
    blended = false,
    literal = false,
    /** A vector's neighbours, to tell which match (see `EngineSearchOptions.watch`). */
    watch?: readonly EngineHit[],
  ): Found {
    const { resolved, deadline, accept, facets } = search;
    const wanted = resolved.offset + resolved.limit;
    const collapse = resolved.collapse;
    let count = collapse ? collapseDepth(wanted) : wanted;
    if (blended) count = Math.max(count, HYBRID_CANDIDATES);
    const asked: EngineSearchOptions = { count, deadline, literal };
    if (watch !== undefined) asked.watch = watch;
    if (accept !== undefined) asked.accept = accept;
    if (facets !== undefined) asked.eachArticle = (id) => this.countFacets(facets, id);
    // By date: newest first, undated last, a day's paragraphs by relevance (a blend is sorted after it).
    if (resolved.sort === 'date' && !blended)
      asked.articleKey = (id) => dayKey(this.catalogue.searchedEntry(id)?.day);
    let found: Found = this.searcher.search(parsed, asked);
    if (found.total === 0 && parsed.phrases.length > 0 && !deadline.wasReached) {
      facets?.reset();
      found = { ...this.searcher.search(relaxPhrases(parsed), asked), relaxed: true };
    }
    // By relevance only: sorted by date, a day's paragraphs stay by score.
    if (resolved.sort !== 'date' && hasVowelMarks(query)) found.hits = this.preferMarks(query, found.hits);
    const byDate = asked.articleKey;
    found.hits = settleTies(found.hits, byDate && ((hit) => byDate(hit.articleId)));
    return found;
  }

  /** The `k` paragraphs whose vectors are nearest a query vector (see {@link Searcher.searchVector}). */
  private findNearest(vector: Float32Array, k: number, search: SearchContext, exact: boolean): Found {
    const { deadline, accept } = search;
    const hits = this.searcher.searchVector(vector, {
      count: k,
      deadline,
      exact,
      ...(accept === undefined ? {} : { accept }),
    });
    settleTies(hits);
    return foundNearest(hits, deadline.wasReached);
  }

  /** A query's matches and a vector's nearest paragraphs ranked together (see {@link blendRankings}). */
  private blend(words: Found, nearest: Found, vector: Float32Array, ratio: number): Found {
    const similarityOf = this.searcher.similarityTo(vector);
    return blendRankings<EngineHit, Found>(
      words,
      nearest,
      (hit) => {
        const own = this.searcher.vectorOf(hit);
        return own === undefined ? undefined : similarityOf(own);
      },
      ratio,
    );
  }

  /**
   * Paragraphs of other articles close to one paragraph, best first: by vector when it has one (its
   * nearest neighbours), otherwise by its most telling words (a "more like this" query of at most
   * {@link RELATED_WORDS} of them, as Lucene's `MoreLikeThis`). Copies of its text (the same wire story
   * elsewhere) are left out: they are the same coverage, not related coverage.
   *
   * - Throws `NOT_FOUND` for an unknown article, `BAD_PARAMETER` for a paragraph it lacks or a blank one.
   * - Options as {@link search}'s: paging, filters, collapsing copies of one another among the hits.
   */
  related(id: string, para: number, options: RelatedOptions = {}): RelatedResponse {
    const started = performance.now();
    const article = this.catalogue.articleOf(id, this.catalogue.latestEntry(id));
    const source = this.searcher.paragraphSignature(id, para);
    checkRelatedParagraph(id, para, article?.paragraphs.length, source === undefined);
    const { resolved, exact } = resolveRelatedOptions(options);
    const filter = this.filterFor(resolved);
    const search: SearchContext = {
      // Copies of the paragraph are found by their signatures, collapsed or not.
      resolved: { ...resolved, collapse: true },
      deadline: Deadline.after(resolved.timeLimitMs),
      accept: (articleId) => articleId !== id && (filter === undefined || filter(articleId)),
    };
    const wanted = resolved.offset + resolved.limit;
    const vector = this.searcher.paragraphVector(id, para);
    let found: Found;
    let words: QueryWord[] = [];
    if (vector !== undefined) {
      // More than a page: the paragraph's copies are dropped from them.
      found = this.findNearest(vector, relatedNeighbours(wanted), search, exact);
    } else {
      words = this.searcher.significantWords(id, para, RELATED_WORDS);
      found =
        words.length === 0
          ? { hits: [], total: 0, totalExact: true, words: [], suggestions: new Map() }
          : this.findWords('', moreLikeThis(words), search, false, true);
    }
    dropCopiesOf(found, source!, (hit) => this.searcher.signatureOf(hit));
    const answer = this.respond('', found, { ...search, resolved }, started);
    const { query: _query, ...rest } = answer;
    return {
      id,
      para,
      by: vector === undefined ? 'words' : 'vector',
      ...(vector === undefined ? { words: words.map((word) => word.exact) } : {}),
      ...rest,
    };
  }

  /** A page of what a search found: copies grouped, hits made, the answer's flags and facets. */
  private respond(query: string, found: Found, search: SearchContext, started: number): SearchResponse {
    const { resolved, facets } = search;
    const wanted = resolved.offset + resolved.limit;
    // Copies are grouped among the best candidates (a blend ranks more): those below stay hits of their own.
    const grouped = resolved.collapse ? Math.min(found.hits.length, collapseDepth(wanted)) : 0;
    const groups = [
      ...groupCopies(found.hits.slice(0, grouped).map((hit) => this.searcher.signatureOf(hit))),
      ...found.hits.slice(grouped).map((_, at) => [grouped + at]),
    ];
    const hits: Hit[] = [];
    for (const [first, ...rest] of groups.slice(resolved.offset, wanted)) {
      const hit = found.hits[first!]!;
      // The version searched, which in publish mode a newer one may follow until its seal.
      const whole = this.toHit(hit, this.catalogue.searchedEntry(hit.articleId), found.words);
      if (whole === undefined) continue;
      if (rest.length > 0) whole.copies = rest.map((at) => this.copyOf(found.hits[at]!));
      hits.push(whole);
    }
    const response: SearchResponse = {
      query,
      total: found.total,
      tookMs: performance.now() - started,
      hits,
    };
    if (!found.totalExact) response.totalExact = false;
    if (found.relaxed) response.relaxed = true;
    const suggestion = suggestQuery(query, found, hits, this.searcher.analysis);
    if (suggestion !== undefined) response.suggestion = suggestion;
    if (found.partial) response.partial = true;
    if (found.timedOut) response.timedOut = true;
    if (facets !== undefined) {
      // The engine counted the words' matches; a vector's neighbours are counted here.
      for (const hit of found.unmatched ?? []) this.countFacets(facets, hit.articleId);
      response.facets = facets.result();
    }
    return response;
  }

  /** The best hits re-scored by the query's vowel marks, as a tie-breaker (see {@link rescoreByMarks}). */
  private preferMarks(query: string, hits: EngineHit[]): EngineHit[] {
    const analysis = this.searcher.analysis;
    const marked = markedWords(query, analysis);
    if (marked.length === 0) return hits;
    return rescoreByMarks(hits, (hit: EngineHit) => {
      const text = this.paragraphText(hit.articleId, hit.para);
      return text === undefined ? 0 : marksTier(marked, text, analysis);
    });
  }

  /** A searched paragraph's text, as stored. */
  paragraphText(articleId: string, para: number): string | undefined {
    return this.catalogue.paragraphOf(articleId, this.catalogue.searchedEntry(articleId), para)?.text;
  }

  /** A paragraph folded into a hit: its place and what tells the copies apart (outlet, date). */
  copyOf({ articleId, para }: { articleId: string; para: number }): Copy {
    const entry = this.catalogue.searchedEntry(articleId);
    // The article kept in memory, or its paragraph read back (and kept at hand) from the store.
    const published = this.catalogue.paragraphOf(articleId, entry, para)?.published ?? null;
    return { id: articleId, para, source: entry?.sourceName ?? null, published };
  }

  /** Counts of matching paragraphs by facet value: each paragraph's article looked up in the catalogue. */
  facetCounts(names: readonly FacetName[]): FacetCounts {
    return new FacetCounts(names);
  }

  /** A search's filters as a test of an article id (see {@link articleFilter}). */
  filterFor(
    options: Pick<ResolvedSearchOptions, 'fromDay' | 'toDay' | 'source' | 'section'>,
  ): ((articleId: string) => boolean) | undefined {
    return articleFilter((id: string) => this.catalogue.searchedEntry(id), options);
  }

  /** Counts one matching paragraph of an article by facet value. */
  countFacets(facets: FacetCounts, articleId: string): void {
    facets.countEntry(this.catalogue.searchedEntry(articleId));
  }

  /**
   * A hit with its text, highlights and snippet; `undefined` when the article read back no longer has
   * the paragraph (a read-only archive while another process replaces or removes the article).
   */
  toHit(
    found: { articleId: string; para: number; score: number },
    entry: ArticleEntry | undefined,
    words: readonly QueryWord[],
  ): Hit | undefined {
    const hit = this.unmarkedHit(found, entry);
    return hit === undefined ? undefined : this.markHit(hit, words);
  }

  /**
   * A found paragraph as a hit, its words not marked yet (see {@link markHit}): the entry's source and
   * section, its paragraph, title and date (see {@link Catalogue.paragraphOf}; given when already read).
   */
  unmarkedHit(
    { articleId, para, score }: { articleId: string; para: number; score: number },
    entry: ArticleEntry | undefined,
    paragraph = this.catalogue.paragraphOf(articleId, entry, para),
  ): UnmarkedHit | undefined {
    if (entry === undefined || paragraph === undefined) {
      if (this.catalogue.readsBack) return undefined;
      throw new Error(`bug: the index holds paragraph ${para} of "${articleId}", which the archive lacks`);
    }
    return {
      id: articleId,
      para,
      title: paragraph.title,
      published: paragraph.published ?? null,
      source: entry.sourceName ?? null,
      section: entry.sectionName ?? null,
      score,
      text: paragraph.text,
    };
  }

  /**
   * A hit with the words searched marked: its highlights, snippet and title highlights. This analyses
   * its text again, the dearest part of a hit: a cluster's nodes send hits unmarked, and the page's
   * alone are marked.
   */
  markHit(hit: UnmarkedHit, words: readonly QueryWord[]): Hit {
    // A search by vector alone has no words to mark: the text is not analysed for them.
    const mark = (text: string) => highlightText(text, words, this.searcher.analysis);
    const highlights = mark(hit.text);
    return {
      ...hit,
      highlights,
      snippet: buildSnippet(hit.text, highlights),
      titleHighlights: mark(hit.title),
    };
  }
}

const MARKS_AND_TATWEEL = /[\p{M}\u0640]/gu;

/**
 * The query with each word the engine found a correction for replaced (every occurrence, as written),
 * or `undefined` when none. A correction is written as a hit's text writes it (`الحكومة`, not the
 * normalised `الحكومه`), diacritics aside; as normalised when no hit holds it.
 */
export function suggestQuery(
  query: string,
  found: Pick<EngineResult, 'words' | 'suggestions'>,
  hits: readonly Hit[],
  analysis: AnalysisOptions,
): string | undefined {
  if (found.suggestions.size === 0) return undefined;
  const written = new Map<string, string>();
  for (const [index, correction] of found.suggestions) {
    written.set(found.words[index]!.exact, correction.exact);
  }
  const wanted = new Set(written.values());
  const wantedForms = [...wanted].map(formMasks);
  const spelling = new Map<string, string>();
  for (const hit of hits) {
    // Most often the first hit holds every correction: the rest are not analysed again.
    if (spelling.size === wanted.size) break;
    // When no hit holds one, every hit is read: only its words that may be a correction are analysed.
    const keep = (start: number, end: number) => mayHoldAny(hit.text, start, end, wantedForms);
    for (const token of analyzeForIndex(hit.text, analysis, keep)) {
      if (wanted.has(token.exact) && !spelling.has(token.exact)) {
        spelling.set(token.exact, token.text.replace(MARKS_AND_TATWEEL, ''));
      }
    }
  }
  let suggestion = '';
  let cursor = 0;
  for (const token of analyzeForIndex(query, analysis)) {
    const correction = written.get(token.exact);
    if (correction === undefined || token.start < cursor) continue;
    suggestion += query.slice(cursor, token.start) + (spelling.get(correction) ?? correction);
    cursor = token.end;
  }
  return cursor === 0 ? undefined : suggestion + query.slice(cursor);
}

/** Refuses a query vector that cannot be compared with the archive's (`BAD_PARAMETER`, naming why). */
export function checkQueryVector(
  vector: Float32Array,
  dimensions: number | undefined,
  similarity: VectorSimilarity,
): void {
  if (dimensions === undefined) {
    throw new ArshifError(
      'BAD_PARAMETER',
      'this archive holds no vectors: store articles with "vectors" (one per paragraph) to search by vector',
    );
  }
  if (vector.length !== dimensions) {
    throw new ArshifError(
      'BAD_PARAMETER',
      `vector has ${vector.length} dimensions; this archive's have ${dimensions}`,
    );
  }
  if (lacksDirection(vector, similarity)) {
    throw new ArshifError(
      'BAD_PARAMETER',
      'vector is all zeros, which has no direction for cosine similarity',
    );
  }
}
