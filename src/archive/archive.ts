import { type AnalysisOptions, analyzeForIndex, type Token, analyze } from '../analysis/analyze.js';
import { choosesReading, hasVowelMarks, marksAgreement } from '../analysis/diacritics.js';
import { normalize } from '../analysis/normalize.js';
import {
  type Article,
  type ArticleFacts,
  articleFacts,
  countParagraphs,
  parseArticle,
  vectorError,
} from '../article/article.js';
import { ArshifError } from '../errors.js';
import type { VectorSimilarity } from '../search/vectors/vector-math.js';
import { buildSnippet, highlightRanges, type MAX_HIGHLIGHTS } from './highlight.js';
import { buildSegmentsInParallel } from '../storage/segment-builder.js';
import { type ParsedQuery, parseQuery, type QueryWord, relaxPhrases } from '../search/query.js';
import {
  type EngineHit,
  type EngineResult,
  type EngineSearchOptions,
  SearchEngine,
  type SearchEngineOptions,
} from '../search/search-engine.js';
import { groupCopies } from '../search/near-duplicates.js';
import {
  DEFAULT_SYNONYM_GROUPS,
  mergeSynonymGroups,
  type SynonymGroup,
  Synonyms,
  type SynonymsFile,
} from '../search/synonyms.js';
import { LearnedAcronyms } from './learned-acronyms.js';
import { Deadline } from '../search/collect/deadline.js';
import { CompactSegment, type CompactSegmentData } from '../search/segment/compact-segment.js';
import { buildCompactSegment, type SegmentSource } from '../search/segment/segment-writer.js';
import { RecentArticles } from './recent-articles.js';
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
   * Paragraphs that are copies of this one (the same or nearly the same words, see
   * `near-duplicates.ts`), ranked below it and folded into it; absent when none, or when not collapsing.
   */
  copies?: Copy[];
}

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

/** Hits re-scored by agreement with the query's vowel marks, at most (see `preferMarks`). */
export const MARKS_DEPTH = 100;

/** The share of its score a paragraph gains (or loses) per query word whose vowel marks agree (or not). */
export const MARKS_BONUS = 0.1;

/** Options of {@link Archive.related}: those of a search that apply to it. */
export type RelatedOptions = Pick<
  SearchOptions,
  'limit' | 'offset' | 'from' | 'to' | 'source' | 'section' | 'collapse' | 'timeLimitMs' | 'exact'
>;

/** Paragraphs related to one, as {@link Archive.related} finds them. */
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

/** What a search found, before it is paged. */
type Found = EngineResult & {
  /** No paragraph held the query's phrases: its words were searched instead. */
  relaxed?: true;
  /** Hits the engine's facet counting did not see: a vector's neighbours that are not word matches. */
  unmatched?: EngineHit[];
};

/** What every part of one search shares. */
interface SearchContext {
  resolved: ResolvedSearchOptions;
  deadline: Deadline;
  accept?: (articleId: string) => boolean;
  facets?: ReturnType<Archive['facetCounter']>;
}

/**
 * Candidates copies are grouped among, for a page ending at `wanted`: more than the page, since a wire
 * story may come from ten outlets.
 */
function collapseDepth(wanted: number): number {
  return Math.max(Math.min(COLLAPSE_DEPTH, wanted * 5), wanted);
}

/** Hits ordered by their article's day, newest first; a day's keep their order. */
function byDay(hits: EngineHit[], day: (articleId: string) => number): EngineHit[] {
  const days = new Map(hits.map((hit) => [hit, day(hit.articleId)]));
  return [...hits].sort((a, b) => days.get(b)! - days.get(a)!);
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
   * (all of them, not only the page) have each value, most first, at most {@link MAX_FACET_VALUES}.
   */
  facets?: Partial<Record<FacetName, FacetCount[]>>;
  hits: Hit[];
}

/** A value of a facet and how many matching paragraphs have it. */
export interface FacetCount {
  value: string;
  count: number;
}

/** Values listed per facet, at most: the rest are the long tail of a large archive's sources. */
export const MAX_FACET_VALUES = 100;

/** Counts of what an archive holds. */
export interface ArchiveStats {
  articles: number;
  paragraphs: number;
}

/** Options of an {@link Archive}. */
export interface ArchiveOptions extends SearchEngineOptions {
  /** A synonyms file's groups and removals (see `parseSynonymsFile`): applied to queries, no re-index. */
  synonymsFile?: SynonymsFile;
  /**
   * Reads a stored article by id. When given, the archive keeps in memory only what filters need of each
   * article and reads an article when a hit or {@link Archive.get} asks for it (the persistent archive
   * reads its store: opening reads no article text). Default: articles are kept in memory.
   */
  readArticle?: (id: string) => Article | undefined;
  /**
   * Reads an article's vectors by id, for {@link Archive.get} asked for them, when articles are read
   * back (see {@link readArticle}): a hit never needs them.
   */
  readVectors?: (id: string) => (Float32Array | null)[] | undefined;
  /**
   * The dimension of the archive's vectors, when it has any: fixed by the first vector stored, and
   * refused for any other. Default: none yet (the first vector given fixes it).
   */
  vectorDimensions?: number;
}

/** What an archive is made with besides how it reads articles: what a replica is made with too. */
export type ArchiveEngineOptions = Omit<ArchiveOptions, 'readArticle' | 'readVectors'>;

/**
 * A change to an archive's index, in the order it was made: applied to a replica in the same state
 * ({@link Archive.apply}), it leaves both in the same state again. Segments built elsewhere travel as
 * data, so a replica analyses only what goes through the live segment.
 */
export type ArchiveChange =
  | { kind: 'put'; articles: Article[] }
  | { kind: 'putSegments'; articles: Article[]; segments: { data: CompactSegmentData; deleted: number[] }[] }
  | { kind: 'remove'; id: string }
  | { kind: 'seal' }
  | { kind: 'beginSeal' }
  | { kind: 'finishSeal'; data: CompactSegmentData | undefined }
  | { kind: 'beginMerge'; segments: number[] }
  | { kind: 'finishMerge'; data: CompactSegmentData | undefined }
  | { kind: 'publishWrites'; publish: boolean };

/** An archive whose live segment is empty and that has no seal or merge under way, as a replica starts from. */
export interface ArchiveState {
  segments: { data: CompactSegmentData; deleted: number[] }[];
  /** Each article's id and entry. */
  articles: [string, ArticleEntry][];
  vectorDimensions: number | undefined;
}

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

/** Articles read back from the store kept at hand (see {@link RecentArticles}): 10-40 MB of news text. */
const RECENT_ARTICLES = 5_000;

/** Batches with fewer paragraphs go through the live segment rather than make a segment of their own. */
const BULK_PARAGRAPHS = 1_000;

/** How a source or section is compared: normalised, so case, hamza and the like do not matter. */
function facetKey(value: string | undefined): string | undefined {
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
function dayKey(day: string | undefined): number {
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

function articleEntry(facts: ArticleFacts, article: Article | undefined): ArticleEntry {
  return {
    article,
    day: facts.day,
    source: memoFacetKey(facts.source),
    section: memoFacetKey(facts.section),
    sourceName: facts.source,
    sectionName: facts.section,
    ...(facts.acronyms === undefined ? {} : { acronyms: facts.acronyms }),
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
  /** The articles searches see (in publish mode, as of the last seal). */
  private readonly articles = new Map<string, ArticleEntry>();
  /**
   * In publish mode (see {@link publishWrites}), the articles written (or removed: `null`) since the
   * live segment began, and those of the live segment being sealed: they replace the searched ones when
   * their paragraphs are sealed.
   */
  private unpublished: Map<string, ArticleEntry | null> | undefined;
  private sealingEntries: Map<string, ArticleEntry | null> | undefined;
  private readonly engine: SearchEngine;
  private readonly readArticle: ((id: string) => Article | undefined) | undefined;
  private readonly readVectors: ((id: string) => (Float32Array | null)[] | undefined) | undefined;
  /** The dimension of every vector of the archive, once it has one. */
  private dimensions: number | undefined;
  private readonly recent = new RecentArticles(RECENT_ARTICLES);
  private changeListener: ((change: ArchiveChange) => void) | undefined;
  /** For each {@link putAll} being built: the ids replaced or removed since it began. */
  private readonly bulkLoads = new Set<Set<string>>();

  /** The options of its search engine, which a replica is made with. */
  readonly engineOptions: ArchiveEngineOptions;

  /** The acronyms the articles define, counted: synonyms once enough articles agree. */
  private readonly learned: LearnedAcronyms;
  /** The {@link LearnedAcronyms.version} the engine's synonyms were made from (-1: never). */
  private synonymsVersion = -1;

  constructor(options: ArchiveOptions = {}) {
    const { readArticle, readVectors, ...engineOptions } = options;
    this.engineOptions = engineOptions;
    this.engine = new SearchEngine(engineOptions);
    this.readArticle = readArticle;
    this.readVectors = readVectors;
    this.dimensions = options.vectorDimensions;
    this.learned = new LearnedAcronyms(this.engine.analysis);
  }

  /**
   * The synonym groups searches expand query words with: the shipped list and the acronyms learned from
   * the articles (each with its evidence), less those the synonyms file removes, then the file's own.
   */
  synonymGroups(): SynonymGroup[] {
    return mergeSynonymGroups(
      [...DEFAULT_SYNONYM_GROUPS, ...this.learned.groups()],
      this.engineOptions.synonymsFile ?? { groups: [], remove: [] },
    );
  }

  /** Gives the engine the synonyms in effect, when the learned ones changed since it was last given them. */
  private refreshSynonyms(): void {
    if (this.synonymsVersion === this.learned.version) return;
    this.engine.synonyms = new Synonyms(this.synonymGroups(), this.engine.analysis);
    this.synonymsVersion = this.learned.version;
  }

  /** Records an article's entry where searches and filters find it (`null`: gone). */
  private storeEntry(id: string, entry: ArticleEntry | null): void {
    this.learned.count(this.articles.get(id)?.acronyms, -1);
    if (entry === null) {
      this.articles.delete(id);
      return;
    }
    this.articles.set(id, entry);
    this.learned.count(entry.acronyms, 1);
  }

  /**
   * Rebuilds an archive from compact segments of its index and the articles as they are now, analysing
   * only what changed since the segments were written.
   *
   * - `facts`: those of every stored article, in the order they were written.
   * - `changed`: the articles added or replaced after the segments; they are indexed afresh.
   * - Paragraphs of articles that are gone or changed are deleted from the segments.
   * - `options.readArticle` reads the others when a hit needs them.
   */
  static restore(
    segments: readonly CompactSegment[],
    facts: Iterable<ArticleFacts>,
    changed: readonly Article[],
    options: ArchiveOptions & Required<Pick<ArchiveOptions, 'readArticle'>>,
  ): Archive {
    const archive = new Archive(options);
    for (const segment of segments) {
      archive.engine.addSegment(segment);
      archive.dimensions ??= segment.vectors()?.dimensions;
    }
    const changedIds = new Set(changed.map((article) => article.id));
    for (const fact of facts) {
      if (!changedIds.has(fact.id)) archive.storeEntry(fact.id, articleEntry(fact, undefined));
    }
    for (const segment of segments) {
      const { articleIds, docArticle } = segment.data;
      const gone = Uint8Array.from(articleIds, (id) => (archive.articles.has(id) ? 0 : 1));
      for (let doc = 0; doc < segment.size; doc += 1) {
        if (gone[docArticle[doc]!] === 1 && segment.isLive(doc)) segment.delete(doc);
      }
    }
    for (const article of changed) archive.put(article);
    return archive;
  }

  /** An archive in the state {@link state} returned, for a replica (in another thread). */
  static fromState(state: ArchiveState, options: ArchiveOptions = {}): Archive {
    const archive = new Archive({
      ...options,
      ...(state.vectorDimensions === undefined ? {} : { vectorDimensions: state.vectorDimensions }),
    });
    for (const { data, deleted } of state.segments)
      archive.engine.addSegment(new CompactSegment(data, deleted));
    for (const [id, entry] of state.articles) archive.storeEntry(id, entry);
    return archive;
  }

  /**
   * This archive's state, for {@link fromState}: its live segment sealed first. Throws while a seal or
   * a merge is under way elsewhere, whose results a replica could not apply.
   */
  state(): ArchiveState {
    if (this.engine.busy)
      throw new Error('bug: an archive state is taken while a seal or merge is under way');
    return {
      segments: this.sealedSegments().map((segment) => ({
        data: segment.data,
        deleted: segment.deletedDocuments(),
      })),
      articles: [...this.articles],
      vectorDimensions: this.dimensions,
    };
  }

  /** The dimension of the archive's vectors, and how they are compared; `dimensions` absent before the first. */
  get vectorSettings(): { dimensions?: number; similarity: VectorSimilarity } {
    return {
      ...(this.dimensions === undefined ? {} : { dimensions: this.dimensions }),
      similarity: this.engine.vectorSimilarity,
    };
  }

  /**
   * Checks the vectors of articles about to be stored — of the archive's dimension (for its first
   * vectors, that of the batch's first), and none all zeros when compared by cosine, which has no
   * direction — then fixes that dimension. Throws `INVALID_ARTICLE` naming the paragraph, passed through
   * `named` with the article's place in the batch; stores nothing and fixes nothing when one is bad.
   */
  acceptVectors(
    articles: readonly Article[],
    named: (error: ArshifError, index: number) => Error = (error) => error,
  ): void {
    const dimensions =
      this.dimensions ?? articles.find((article) => article.vectors)?.vectors?.find((v) => v)?.length;
    articles.forEach((article, index) => {
      article.vectors?.forEach((vector, at) => {
        if (vector === null) return;
        if (vector.length !== dimensions) {
          const whose =
            this.dimensions === undefined ? 'the first vector of this batch has' : "this archive's have";
          throw named(vectorError(at, `has ${vector.length} dimensions; ${whose} ${dimensions}`), index);
        }
        if (this.lacksDirection(vector)) {
          throw named(vectorError(at, 'is all zeros, which has no direction for cosine similarity'), index);
        }
      });
    });
    this.dimensions ??= dimensions;
  }

  /** Whether a vector cannot be compared by the archive's similarity: all zeros, under cosine. */
  private lacksDirection(vector: Float32Array): boolean {
    return this.engine.vectorSimilarity === 'cosine' && vector.every((value) => value === 0);
  }

  /** Refuses a query vector that cannot be compared with the archive's (`BAD_PARAMETER`, naming why). */
  private checkQueryVector(vector: Float32Array): void {
    if (this.dimensions === undefined) {
      throw new ArshifError(
        'BAD_PARAMETER',
        'this archive holds no vectors: store articles with "vectors" (one per paragraph) to search by vector',
      );
    }
    if (vector.length !== this.dimensions) {
      throw new ArshifError(
        'BAD_PARAMETER',
        `vector has ${vector.length} dimensions; this archive's have ${this.dimensions}`,
      );
    }
    if (this.lacksDirection(vector)) {
      throw new ArshifError(
        'BAD_PARAMETER',
        'vector is all zeros, which has no direction for cosine similarity',
      );
    }
  }

  /** See {@link SearchEngine.prepareVectors}: for an archive that answers searches (a replica). */
  prepareVectors(): void {
    this.engine.prepareVectors();
  }

  /** See {@link SearchEngine.deferLiveIndexing}: for an archive whose replicas answer its searches. */
  deferLiveIndexing(defer: boolean): void {
    this.engine.deferLiveIndexing(defer);
  }

  /** See {@link SearchEngine.publishWrites}: for a service that publishes its writes by sealing them. */
  publishWrites(publish: boolean): void {
    this.setPublishing(publish);
    this.changeListener?.({ kind: 'publishWrites', publish });
  }

  private setPublishing(publish: boolean): void {
    if (publish === (this.unpublished !== undefined)) return;
    this.engine.publishWrites(publish);
    if (publish) this.unpublished = new Map();
    else {
      const unpublished = this.unpublished!;
      this.unpublished = undefined;
      this.publishEntries(unpublished);
    }
  }

  /** Starts sealing the live segment (see {@link SearchEngine.beginSeal}), with its articles' entries. */
  private beginSealing(): SegmentSource[] | undefined {
    const sealingBefore = this.engine.sealing;
    const articles = this.engine.beginSeal();
    if (this.unpublished !== undefined) {
      if (articles !== undefined) {
        this.sealingEntries = this.unpublished;
        this.unpublished = new Map();
      } else if (!sealingBefore) {
        // Nothing to seal (articles without text): their entries have nothing to wait for.
        this.publishEntries(this.unpublished);
        this.unpublished = new Map();
      }
    }
    return articles;
  }

  /** Finishes the seal under way (see {@link SearchEngine.finishSeal}); its articles are searched from now. */
  private finishSealing(data: CompactSegmentData | undefined): CompactSegment | undefined {
    const sealed = this.engine.finishSeal(data);
    const entries = this.sealingEntries;
    this.sealingEntries = undefined;
    if (entries !== undefined) this.publishEntries(entries);
    return sealed;
  }

  /** Seals the live segment in this thread. */
  private sealNow(): void {
    this.finishSealing(undefined);
    if (this.beginSealing() !== undefined) this.finishSealing(undefined);
  }

  private publishEntries(entries: ReadonlyMap<string, ArticleEntry | null>): void {
    for (const [id, entry] of entries) {
      this.recent.forget(id);
      this.storeEntry(id, entry);
    }
  }

  /** Records an article's entry (`null`: removed), searched at once or, in publish mode, from its seal. */
  private setEntry(id: string, entry: ArticleEntry | null): void {
    if (this.unpublished !== undefined) {
      this.unpublished.set(id, entry);
      return;
    }
    this.publishEntries(new Map([[id, entry]]));
  }

  /** An article's latest entry, published or not. */
  private latestEntry(id: string): ArticleEntry | undefined {
    for (const layer of [this.unpublished, this.sealingEntries]) {
      if (layer?.has(id)) return layer.get(id) ?? undefined;
    }
    return this.articles.get(id);
  }

  /** Calls `listener` with every change made from now on (one listener; `undefined` removes it). */
  onChange(listener: ((change: ArchiveChange) => void) | undefined): void {
    this.changeListener = listener;
  }

  /** Applies a change another archive made in the same state (see {@link ArchiveChange}). */
  apply(change: ArchiveChange): void {
    switch (change.kind) {
      case 'put':
        for (const article of this.replaceAll(change.articles)) this.engine.addArticle(article);
        break;
      case 'putSegments':
        this.replaceAll(change.articles);
        for (const { data, deleted } of change.segments)
          this.engine.addSegment(new CompactSegment(data, deleted));
        break;
      case 'remove':
        this.removeArticle(change.id);
        break;
      case 'seal':
        this.sealNow();
        break;
      case 'beginSeal':
        this.beginSealing();
        break;
      case 'finishSeal':
        this.finishSealing(change.data);
        break;
      case 'beginMerge':
        this.engine.beginMerge(change.segments.map((at) => this.engine.compactSegments[at]!));
        break;
      case 'finishMerge':
        this.engine.finishMerge(change.data);
        break;
      case 'publishWrites':
        this.setPublishing(change.publish);
        break;
    }
    this.changeListener?.(change);
  }

  /**
   * The compact segments holding every indexed paragraph, the live segment sealed into one first: what
   * a snapshot of the index saves.
   */
  sealedSegments(): readonly CompactSegment[] {
    this.sealNow();
    this.changeListener?.({ kind: 'seal' });
    return this.engine.compactSegments;
  }

  /** The compact segments, without sealing the live segment. */
  compactSegments(): readonly CompactSegment[] {
    return this.engine.compactSegments;
  }

  /** See {@link SearchEngine.beginSeal}. */
  beginSeal(): SegmentSource[] | undefined {
    const articles = this.beginSealing();
    this.changeListener?.({ kind: 'beginSeal' });
    return articles;
  }

  /** See {@link SearchEngine.mergeCandidates}. */
  mergeCandidates(): CompactSegment[] | undefined {
    return this.engine.mergeCandidates();
  }

  /** See {@link SearchEngine.beginMerge}. */
  beginMerge(segments: readonly CompactSegment[]): void {
    this.engine.beginMerge(segments);
    const all = this.engine.compactSegments;
    this.changeListener?.({ kind: 'beginMerge', segments: segments.map((segment) => all.indexOf(segment)) });
  }

  /** See {@link SearchEngine.finishMerge}. */
  finishMerge(data: CompactSegmentData | undefined): CompactSegment | undefined {
    const merged = this.engine.finishMerge(data);
    this.changeListener?.({ kind: 'finishMerge', data });
    return merged;
  }

  /** See {@link SearchEngine.finishSeal}. */
  finishSeal(data: CompactSegmentData | undefined): CompactSegment | undefined {
    const sealed = this.finishSealing(data);
    this.changeListener?.({ kind: 'finishSeal', data });
    return sealed;
  }

  /** The analysis options this archive indexes and queries with. */
  get analysisOptions(): AnalysisOptions {
    return this.engine.analysis;
  }

  /** Counts of articles and indexed paragraphs. */
  stats(): ArchiveStats {
    return { articles: this.articles.size, paragraphs: this.engine.size };
  }

  /**
   * The stored article (its latest version, searched yet or not), or `undefined`; its `vectors` only
   * when asked for (they may be far larger than its text).
   */
  get(id: string, options: { vectors?: boolean } = {}): Article | undefined {
    const article = this.articleOf(id, this.latestEntry(id));
    if (article === undefined) return undefined;
    const { vectors, ...text } = article;
    if (!options.vectors) return vectors === undefined ? article : text;
    const stored = vectors ?? this.readVectors?.(id);
    return stored === undefined ? text : { ...text, vectors: stored };
  }

  private articleOf(id: string, entry: ArticleEntry | undefined): Article | undefined {
    if (entry === undefined) return undefined;
    if (entry.article !== undefined || this.readArticle === undefined) return entry.article;
    return this.recent.get(id, this.readArticle);
  }

  /** Whether an article with this id is stored. */
  has(id: string): boolean {
    return this.latestEntry(id) !== undefined;
  }

  /** Every stored article, in insertion order. */
  *all(): IterableIterator<Article> {
    for (const id of this.articles.keys()) {
      const article = this.get(id);
      if (article !== undefined) yield article;
    }
  }

  /**
   * Adds an article, replacing any article with the same id. The value is validated as
   * {@link parseArticle} does; an invalid one throws `INVALID_ARTICLE` and changes nothing.
   */
  put(value: unknown): Article {
    const article = parseArticle(value);
    this.acceptVectors([article]);
    this.removeArticle(article.id);
    this.setEntry(article.id, this.entryOf(article));
    this.engine.addArticle(article);
    this.changeListener?.({ kind: 'put', articles: [article] });
    return article;
  }

  /**
   * Adds articles in bulk, replacing any with the same ids (a later one of the batch replaces an
   * earlier one): their paragraphs go straight into a compact segment. Validates all first; an invalid
   * one throws `INVALID_ARTICLE` and changes nothing.
   */
  putMany(values: readonly unknown[]): Article[] {
    const batch = this.replaceAll(this.parseAll(values));
    if (!this.addToLiveSegment(batch))
      this.addSegments(batch, [buildCompactSegment(batch, this.engine.analysis)]);
    return batch;
  }

  /**
   * {@link putMany} on every core: the articles are analysed by worker threads, each building a
   * compact segment (a small batch is built in this thread). Searches see none of them until it resolves.
   */
  async putAll(values: readonly unknown[]): Promise<Article[]> {
    const batch = this.replaceAll(this.parseAll(values));
    if (this.addToLiveSegment(batch)) return batch;
    // Articles of the batch replaced or removed while it is built must not come back with its segments.
    const touched = new Set<string>();
    this.bulkLoads.add(touched);
    let built: CompactSegmentData[];
    try {
      built = await buildSegmentsInParallel(batch, this.engine.analysis);
    } finally {
      this.bulkLoads.delete(touched);
    }
    this.addSegments(batch, built, touched);
    return batch;
  }

  /** Validates articles (see {@link parseArticle}), their vectors too (see {@link acceptVectors}). */
  private parseAll(values: readonly unknown[]): Article[] {
    const articles = values.map((value) => parseArticle(value));
    this.acceptVectors(articles);
    return articles;
  }

  /** Indexes a small batch through the live segment; returns false, doing nothing, for a large one. */
  private addToLiveSegment(batch: Article[]): boolean {
    // Publishing, every write goes through the live segment, whose seal publishes it.
    if (this.unpublished === undefined && countParagraphs(batch) >= BULK_PARAGRAPHS) return false;
    for (const article of batch) this.engine.addArticle(article);
    this.changeListener?.({ kind: 'put', articles: batch });
    return true;
  }

  /** Adds the segments built of a batch, less the articles in `touched` (replaced or removed meanwhile). */
  private addSegments(
    batch: Article[],
    built: CompactSegmentData[],
    touched: ReadonlySet<string> = new Set(),
  ): void {
    const segments = built.map((data) => {
      const segment = new CompactSegment(data);
      for (const id of touched) for (const doc of segment.documentsOf(id)) segment.delete(doc);
      this.engine.addSegment(segment);
      return { data, deleted: segment.deletedDocuments() };
    });
    const articles = touched.size === 0 ? batch : batch.filter((article) => !touched.has(article.id));
    this.changeListener?.({ kind: 'putSegments', articles, segments });
  }

  /**
   * Stores valid articles (a later one with the same id wins) in place of any with their ids. Validated
   * once, where they are first given: a replica applying a change does not parse them again.
   */
  private replaceAll(valid: readonly Article[]): Article[] {
    const articles = new Map<string, Article>();
    for (const article of valid) {
      articles.delete(article.id);
      articles.set(article.id, article);
    }
    for (const article of articles.values()) {
      this.removeArticle(article.id);
      this.setEntry(article.id, this.entryOf(article));
      // A replica learns the dimension from the first vectors it is sent.
      this.dimensions ??= article.vectors?.find((vector) => vector !== null)?.length;
    }
    return [...articles.values()];
  }

  /** An article's entry: the article is kept unless it can be read back. */
  private entryOf(article: Article): ArticleEntry {
    return articleEntry(articleFacts(article), this.readArticle === undefined ? article : undefined);
  }

  /** Removes an article; returns whether it was there. */
  remove(id: string): boolean {
    if (!this.removeArticle(id)) return false;
    this.changeListener?.({ kind: 'remove', id });
    return true;
  }

  private removeArticle(id: string): boolean {
    for (const touched of this.bulkLoads) touched.add(id);
    if (this.latestEntry(id) === undefined) return false;
    this.engine.removeArticle(id);
    this.setEntry(id, null);
    return true;
  }

  /** Analyses text as the index does. */
  analyze(text: string): Token[] {
    return analyze(text, this.engine.analysis);
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
      ...(resolved.facets === undefined ? {} : { facets: this.facetCounter(resolved.facets) }),
    };
    const { vector } = resolved;
    let found: Found;
    if (vector === undefined) found = this.findWords(query, parseQuery(query, this.engine.analysis), search);
    else {
      this.checkQueryVector(vector.values);
      const nearest = this.findNearest(vector.values, vector.k, search, vector.exact);
      found =
        query === ''
          ? nearest
          : this.blend(
              this.findWords(query, parseQuery(query, this.engine.analysis), search, true),
              nearest,
              vector.values,
              vector.semanticRatio,
            );
      if (resolved.sort === 'date')
        found.hits = byDay(found.hits, (id) => dayKey(this.articles.get(id)?.day));
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
  ): Found {
    const { resolved, deadline, accept, facets } = search;
    const wanted = resolved.offset + resolved.limit;
    const collapse = resolved.collapse;
    let count = collapse ? collapseDepth(wanted) : wanted;
    if (blended) count = Math.max(count, HYBRID_CANDIDATES);
    const asked: EngineSearchOptions = { count, deadline, literal };
    if (accept !== undefined) asked.accept = accept;
    if (facets !== undefined) asked.eachArticle = facets.count;
    // By date: newest first, undated last, a day's paragraphs by relevance (a blend is sorted after it).
    if (resolved.sort === 'date' && !blended) asked.articleKey = (id) => dayKey(this.articles.get(id)?.day);
    let found: Found = this.engine.search(parsed, asked);
    if (found.total === 0 && parsed.phrases.length > 0 && !deadline.wasReached) {
      facets?.reset();
      found = { ...this.engine.search(relaxPhrases(parsed), asked), relaxed: true };
    }
    // By relevance only: sorted by date, a day's paragraphs stay by score.
    if (resolved.sort !== 'date' && hasVowelMarks(query)) found.hits = this.preferMarks(query, found.hits);
    return found;
  }

  /** The `k` paragraphs whose vectors are nearest a query vector (see {@link SearchEngine.searchVector}). */
  private findNearest(vector: Float32Array, k: number, search: SearchContext, exact: boolean): Found {
    const { deadline, accept } = search;
    const hits = this.engine.searchVector(vector, {
      count: k,
      deadline,
      exact,
      ...(accept === undefined ? {} : { accept }),
    });
    const timedOut = deadline.wasReached;
    return {
      hits,
      total: hits.length,
      totalExact: !timedOut,
      words: [],
      suggestions: new Map(),
      ...(timedOut ? { partial: true as const, timedOut: true as const } : {}),
      unmatched: hits,
    };
  }

  /**
   * A query's matches and a vector's nearest paragraphs ranked together, by a convex blend of their
   * normalised scores: `(1 - ratio) · words + ratio · vector`, where `words` is a paragraph's score
   * divided by the best (BM25's least is 0: a paragraph without the words) and `vector` its similarity
   * min-max scaled over the candidates (a model's similarities have no fixed floor; a paragraph without
   * a vector counts as the least similar, and ranks below it when the blends are equal). A match's
   * similarity is computed from its own vector, so every candidate that has one is scored on both.
   * Bruch et al. (2023, "An analysis of fusion functions for hybrid retrieval") found such a blend
   * better than reciprocal rank fusion in and out of domain, and it keeps what ranks drop: how much
   * better the best match is than the next. `bench/hybrid-fusion.ts` measures both.
   */
  private blend(words: Found, nearest: Found, vector: Float32Array, ratio: number): Found {
    const candidates = new Map<string, { hit: EngineHit; words: number; similarity: number | undefined }>();
    const similarityOf = this.engine.similarityTo(vector);
    for (const hit of words.hits) {
      const own = this.engine.vectorOf(hit);
      const similarity = own === undefined ? undefined : similarityOf(own);
      candidates.set(`${hit.articleId}\t${hit.para}`, { hit, words: hit.score, similarity });
    }
    const unmatched: EngineHit[] = [];
    for (const hit of nearest.hits) {
      const known = candidates.get(`${hit.articleId}\t${hit.para}`);
      if (known !== undefined) known.similarity = hit.score;
      else {
        candidates.set(`${hit.articleId}\t${hit.para}`, { hit, words: 0, similarity: hit.score });
        unmatched.push(hit);
      }
    }
    let best = 0;
    let lowest = Number.POSITIVE_INFINITY;
    let highest = Number.NEGATIVE_INFINITY;
    for (const { words: score, similarity } of candidates.values()) {
      best = Math.max(best, score);
      if (similarity === undefined) continue;
      lowest = Math.min(lowest, similarity);
      highest = Math.max(highest, similarity);
    }
    const spread = highest - lowest;
    const blended = [...candidates.values()].map(({ hit, words: score, similarity }) => {
      const semantic = similarity === undefined ? 0 : spread > 0 ? (similarity - lowest) / spread : 1;
      const blend = (1 - ratio) * (best > 0 ? score / best : 0) + ratio * semantic;
      return {
        hit: { ...hit, score: blend },
        similarity: similarity ?? Number.NEGATIVE_INFINITY,
        words: score,
      };
    });
    // Equal blends (the least similar neighbour and a match without a vector, say) by similarity, then
    // by the words' score, then as found: at a ratio of 1 the order is the vector's, at 0 the words'.
    blended.sort((a, b) => b.hit.score - a.hit.score || b.similarity - a.similarity || b.words - a.words);
    const hits = blended.map(({ hit }) => hit);
    // The vector's neighbours the words did not find are counted once more; one may be a match ranked
    // below the words' candidates, so the total is then a bound.
    const allMatches = words.hits.length >= words.total;
    return {
      ...words,
      hits,
      total: words.total + unmatched.length,
      totalExact: words.totalExact && nearest.totalExact && (allMatches || unmatched.length === 0),
      ...(nearest.timedOut ? { partial: true as const, timedOut: true as const } : {}),
      unmatched,
    };
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
    const article = this.get(id);
    if (article === undefined) throw new ArshifError('NOT_FOUND', `no article with id "${id}"`);
    const count = article.paragraphs.length;
    if (!Number.isInteger(para) || para < 0 || para >= count) {
      throw new ArshifError(
        'BAD_PARAMETER',
        `para must be an integer from 0 to ${count - 1} (article "${id}" has ${count} paragraphs), got ${String(para)}`,
      );
    }
    const source = this.engine.paragraphSignature(id, para);
    if (source === undefined) {
      throw new ArshifError(
        'BAD_PARAMETER',
        `paragraph ${para} of article "${id}" is blank: it relates to nothing`,
      );
    }
    const { exact = false, ...searchOptions } = options;
    if (typeof exact !== 'boolean') {
      throw new ArshifError('BAD_PARAMETER', `exact must be true or false, got ${String(exact)}`);
    }
    const resolved = resolveSearchOptions(undefined, searchOptions);
    const filter = this.filterFor(resolved);
    const search: SearchContext = {
      // Copies of the paragraph are found by their signatures, collapsed or not.
      resolved: { ...resolved, collapse: true },
      deadline: Deadline.after(resolved.timeLimitMs),
      accept: (articleId) => articleId !== id && (filter === undefined || filter(articleId)),
    };
    const wanted = resolved.offset + resolved.limit;
    const vector = this.engine.paragraphVector(id, para);
    let found: Found;
    let words: QueryWord[] = [];
    if (vector !== undefined) {
      // More than a page: the paragraph's copies are dropped from them.
      found = this.findNearest(
        vector,
        Math.min(MAX_K, Math.max(RELATED_CANDIDATES, wanted * 5)),
        search,
        exact,
      );
    } else {
      words = this.engine.significantWords(id, para, RELATED_WORDS);
      const parsed: ParsedQuery = {
        optional: words,
        required: [],
        excluded: [],
        phrases: [],
        excludedPhrases: [],
      };
      found =
        words.length === 0
          ? { hits: [], total: 0, totalExact: true, words: [], suggestions: new Map() }
          : this.findWords('', parsed, search, false, true);
    }
    const copies = new Set(
      (groupCopies([source, ...found.hits.map((hit) => this.engine.signatureOf(hit))])[0] ?? [])
        .filter((at) => at > 0)
        .map((at) => at - 1),
    );
    found.hits = found.hits.filter((_, at) => !copies.has(at));
    found.total -= copies.size;
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
      ...groupCopies(found.hits.slice(0, grouped).map((hit) => this.engine.signatureOf(hit))),
      ...found.hits.slice(grouped).map((_, at) => [grouped + at]),
    ];
    const hits: Hit[] = [];
    for (const [first, ...rest] of groups.slice(resolved.offset, wanted)) {
      const hit = found.hits[first!]!;
      // The version searched, which in publish mode a newer one may follow until its seal.
      const whole = this.toHit(
        hit,
        this.articleOf(hit.articleId, this.articles.get(hit.articleId)),
        found.words,
      );
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
    const suggestion = suggestQuery(query, found, hits, this.engine.analysis);
    if (suggestion !== undefined) response.suggestion = suggestion;
    if (found.partial) response.partial = true;
    if (found.timedOut) response.timedOut = true;
    if (facets !== undefined) {
      // The engine counted the words' matches; a vector's neighbours are counted here.
      for (const hit of found.unmatched ?? []) facets.count(hit.articleId);
      response.facets = facets.result();
    }
    return response;
  }

  /**
   * The best {@link MARKS_DEPTH} hits re-scored by the query's vowel marks, as a tie-breaker: for each
   * query word whose marks choose a reading (`عَلَم`, not `عِلْم`), a paragraph where the word carries the
   * same marks gains {@link MARKS_BONUS} of its score, one where it carries others loses as much, one
   * without marks stays. Nothing is left out, and a clearly better paragraph stays above.
   */
  private preferMarks(query: string, hits: EngineHit[]): EngineHit[] {
    const analysis = this.engine.analysis;
    const marked = analyzeForIndex(query, analysis).filter((token) => choosesReading(token.text));
    if (marked.length === 0) return hits;
    const agreement = (hit: EngineHit): number => {
      const text = this.articleOf(hit.articleId, this.articles.get(hit.articleId))?.paragraphs[hit.para];
      if (text === undefined) return 0;
      const tokens = analyzeForIndex(text, analysis);
      let sum = 0;
      for (const typed of marked) {
        let best = -2;
        for (const token of tokens) {
          if (token.term !== typed.term && !token.exact.includes(typed.exact)) continue;
          best = Math.max(best, marksAgreement(typed.text, token.text));
          if (best === 1) break;
        }
        if (best > -2) sum += best;
      }
      return sum;
    };
    const top = hits.slice(0, MARKS_DEPTH).map((hit) => {
      const tier = agreement(hit);
      return tier === 0 ? hit : { ...hit, score: hit.score * (1 + MARKS_BONUS * tier) };
    });
    // Stable: equal scores keep their order.
    top.sort((a, b) => b.score - a.score);
    return [...top, ...hits.slice(MARKS_DEPTH)];
  }

  /** A paragraph folded into a hit: its place and what tells the copies apart (outlet, date). */
  private copyOf({ articleId, para }: EngineHit): Copy {
    const entry = this.articles.get(articleId);
    // The article kept in memory, or read back (and kept at hand) from the store.
    const published = this.articleOf(articleId, entry)?.published ?? null;
    return { id: articleId, para, source: entry?.sourceName ?? null, published };
  }

  /**
   * Counts matching paragraphs by facet value, the article's entry looked up once per paragraph; values
   * that compare the same (normalised, as filters compare them) are one, shown as first met.
   */
  private facetCounter(names: readonly FacetName[]) {
    const counts = new Map<FacetName, Map<string, { value: string; count: number }>>();
    const reset = () => {
      for (const name of names) counts.set(name, new Map());
    };
    reset();
    const add = (name: FacetName, key: string | undefined, value: string | undefined) => {
      if (key === undefined || value === undefined) return;
      const values = counts.get(name)!;
      const counted = values.get(key);
      if (counted === undefined) values.set(key, { value, count: 1 });
      else counted.count += 1;
    };
    const source = names.includes('source');
    const section = names.includes('section');
    const year = names.includes('year');
    return {
      reset,
      count: (articleId: string) => {
        const entry = this.articles.get(articleId);
        if (entry === undefined) return;
        if (source) add('source', entry.source, entry.sourceName);
        if (section) add('section', entry.section, entry.sectionName);
        if (year && entry.day !== undefined) {
          const value = entry.day.slice(0, 4);
          add('year', value, value);
        }
      },
      result: () =>
        Object.fromEntries(
          names.map((name) => [
            name,
            [...counts.get(name)!.values()]
              .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
              .slice(0, MAX_FACET_VALUES),
          ]),
        ) as Partial<Record<FacetName, FacetCount[]>>,
    };
  }

  private filterFor(options: ResolvedSearchOptions): ((articleId: string) => boolean) | undefined {
    const { fromDay, toDay } = options;
    const source = facetKey(options.source);
    const section = facetKey(options.section);
    if (fromDay === undefined && toDay === undefined && source === undefined && section === undefined) {
      return undefined;
    }
    return (articleId) => {
      const stored = this.articles.get(articleId);
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

  /**
   * A hit with its text, highlights and snippet; `undefined` when the article read back no longer has
   * the paragraph (a read-only archive while another process replaces or removes the article).
   */
  private toHit(
    { articleId, para, score }: EngineHit,
    article: Article | undefined,
    words: readonly QueryWord[],
  ): Hit | undefined {
    const text = article?.paragraphs[para];
    if (article === undefined || text === undefined) {
      if (this.readArticle !== undefined) return undefined;
      throw new Error(`bug: the index holds paragraph ${para} of "${articleId}", which the archive lacks`);
    }
    // A search by vector alone has no words to mark: the text is not analysed for them.
    const highlights =
      words.length === 0 ? [] : highlightRanges(analyzeForIndex(text, this.engine.analysis), words);
    return {
      id: article.id,
      para,
      title: article.title,
      published: article.published ?? null,
      source: article.source ?? null,
      section: article.section ?? null,
      score,
      text,
      highlights,
      snippet: buildSnippet(text, highlights),
    };
  }
}

const MARKS_AND_TATWEEL = /[\p{M}\u0640]/gu;

/**
 * The query with each word the engine found a correction for replaced (every occurrence, as written),
 * or `undefined` when none. A correction is written as a hit's text writes it (`الحكومة`, not the
 * normalised `الحكومه`), diacritics aside; as normalised when no hit holds it.
 */
function suggestQuery(
  query: string,
  found: EngineResult,
  hits: readonly Hit[],
  analysis: AnalysisOptions,
): string | undefined {
  if (found.suggestions.size === 0) return undefined;
  const written = new Map<string, string>();
  for (const [index, correction] of found.suggestions) {
    written.set(found.words[index]!.exact, correction.exact);
  }
  const wanted = new Set(written.values());
  const spelling = new Map<string, string>();
  for (const hit of hits) {
    for (const token of analyzeForIndex(hit.text, analysis)) {
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
