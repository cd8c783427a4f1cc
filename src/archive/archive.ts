/** The archive: its articles and their index, written together, with the change log its replicas follow. */
import { type Token, analyze } from '../analysis/analyze.js';
import {
  type Article,
  type ArticleFacts,
  type ArticleParagraph,
  countParagraphs,
  parseArticle,
  vectorError,
} from '../article/article.js';
import type { ArshifError } from '../errors.js';
import {
  lacksDirection,
  SearchEngine,
  type SearchEngineOptions,
  type SynonymGroup,
  type SynonymsFile,
  type VectorSimilarity,
} from '../search/engine.js';
import {
  buildCompactSegment,
  CompactSegment,
  type CompactSegmentData,
  type SegmentSource,
} from '../search/segments.js';
import { buildSegmentsInParallel, type SegmentBuilders } from '../storage/segment-builder.js';
import {
  ArchiveSearch,
  type RelatedOptions,
  type RelatedResponse,
  type SearchResponse,
} from './archive-search.js';
import { articleEntry, type ArticleEntry, Catalogue, withSharedValues } from './catalogue.js';
import type { SearchOptions } from './search-options.js';

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
   * Reads one paragraph of a stored article with its title and date, for a hit, when articles are read
   * back (see {@link readArticle}); default: read from the whole article.
   */
  readParagraph?: (id: string, para: number) => ArticleParagraph | undefined;
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
export type ArchiveEngineOptions = Omit<ArchiveOptions, 'readArticle' | 'readParagraph' | 'readVectors'>;

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

/** Batches with fewer paragraphs go through the live segment rather than make a segment of their own. */
const BULK_PARAGRAPHS = 1_000;

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
  /** The search engine: its segment set (changed only through the archive) and its searcher. */
  readonly engine: SearchEngine;
  /** The articles, by id, as searches see them and as last written. */
  readonly catalogue: Catalogue;
  /** What answers searches: hits, facets, blends, related paragraphs. */
  readonly answers: ArchiveSearch;
  private readonly readVectors: ((id: string) => (Float32Array | null)[] | undefined) | undefined;
  /** The dimension of every vector of the archive, once it has one. */
  private dimensions: number | undefined;
  private changeListener: ((change: ArchiveChange) => void) | undefined;
  /** For each {@link putAll} being built: the ids replaced or removed since it began. */
  private readonly bulkLoads = new Set<Set<string>>();

  /** The options of its search engine, which a replica is made with. */
  readonly engineOptions: ArchiveEngineOptions;

  constructor(options: ArchiveOptions = {}) {
    const { readArticle, readParagraph, readVectors, ...engineOptions } = options;
    this.engineOptions = engineOptions;
    this.engine = new SearchEngine(engineOptions);
    const segments = this.engine.segments;
    this.catalogue = new Catalogue({
      readArticle,
      readParagraph,
      publishes: () => segments.publishes,
      analysis: this.engine.analysis,
    });
    this.answers = new ArchiveSearch({
      catalogue: this.catalogue,
      searcher: this.engine.searcher,
      vectorDimensions: () => this.dimensions,
      synonymsFile: engineOptions.synonymsFile,
    });
    this.readVectors = readVectors;
    this.dimensions = options.vectorDimensions;
  }

  /** The synonym groups searches expand query words with (see {@link ArchiveSearch.synonymGroups}). */
  synonymGroups(): SynonymGroup[] {
    return this.answers.synonymGroups();
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
      archive.engine.segments.addSegment(segment);
      archive.dimensions ??= segment.vectors()?.dimensions;
    }
    const changedIds = new Set(changed.map((article) => article.id));
    for (const fact of facts) {
      if (!changedIds.has(fact.id)) archive.catalogue.setSearched(fact.id, articleEntry(fact, undefined));
    }
    for (const segment of segments) {
      const { articleIds, docArticle } = segment.data;
      const gone = Uint8Array.from(articleIds, (id) => (archive.catalogue.searchedEntry(id) ? 0 : 1));
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
      archive.engine.segments.addSegment(new CompactSegment(data, deleted));
    for (const [id, entry] of state.articles) archive.catalogue.setSearched(id, withSharedValues(entry));
    return archive;
  }

  /**
   * This archive's state, for {@link fromState}: its live segment sealed first. Throws while a seal or
   * a merge is under way elsewhere, whose results a replica could not apply.
   */
  state(): ArchiveState {
    if (this.engine.segments.busy)
      throw new Error('bug: an archive state is taken while a seal or merge is under way');
    return {
      segments: this.sealedSegments().map((segment) => ({
        data: segment.data,
        deleted: segment.deletedDocuments(),
      })),
      articles: [...this.catalogue.entries()],
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
        if (lacksDirection(vector, this.engine.vectorSimilarity)) {
          throw named(vectorError(at, 'is all zeros, which has no direction for cosine similarity'), index);
        }
      });
    });
    this.dimensions ??= dimensions;
  }

  /**
   * With `true`, writes are searched once the live segment they went to is sealed (see
   * {@link SegmentSet.publishWrites}), and so are their articles' entries: for a service that publishes
   * its writes by sealing them in a worker.
   */
  publishWrites(publish: boolean): void {
    this.setPublishing(publish);
    this.changeListener?.({ kind: 'publishWrites', publish });
  }

  private setPublishing(publish: boolean): void {
    const segments = this.engine.segments;
    if (publish === segments.publishes) return;
    segments.publishWrites(publish);
    if (!publish) this.catalogue.publishAll();
  }

  /** Starts sealing the live segment (see {@link SegmentSet.beginSeal}), with its articles' entries. */
  private beginSealing(): SegmentSource[] | undefined {
    const alreadySealing = this.engine.segments.sealing;
    const articles = this.engine.segments.beginSeal();
    this.catalogue.beginSeal(articles !== undefined, alreadySealing);
    return articles;
  }

  /** Finishes the seal under way (see {@link SegmentSet.finishSeal}); its articles are searched from now. */
  private finishSealing(data: CompactSegmentData | undefined): CompactSegment | undefined {
    const sealed = this.engine.segments.finishSeal(data);
    this.catalogue.finishSeal();
    return sealed;
  }

  /**
   * Seals the live segment in this thread, and has any replica do the same: what a bulk load leaves
   * there is then searched from a compact segment, whose signatures and token types are stored, rather
   * than analysed again at every search (an archive smaller than the live segment's 20,000 paragraphs
   * would otherwise never be sealed).
   */
  seal(): void {
    this.sealedSegments();
  }

  /** Seals the live segment in this thread. */
  private sealNow(): void {
    this.finishSealing(undefined);
    if (this.beginSealing() !== undefined) this.finishSealing(undefined);
  }

  /** Calls `listener` with every change made from now on (one listener; `undefined` removes it). */
  onChange(listener: ((change: ArchiveChange) => void) | undefined): void {
    this.changeListener = listener;
  }

  /** Applies a change another archive made in the same state (see {@link ArchiveChange}). */
  apply(change: ArchiveChange): void {
    switch (change.kind) {
      case 'put':
        for (const article of this.replaceAll(change.articles)) this.engine.segments.addArticle(article);
        break;
      case 'putSegments':
        this.replaceAll(change.articles);
        for (const { data, deleted } of change.segments)
          this.engine.segments.addSegment(new CompactSegment(data, deleted));
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
        this.engine.segments.beginMerge(
          change.segments.map((at) => this.engine.segments.compactSegments[at]!),
        );
        break;
      case 'finishMerge':
        this.engine.segments.finishMerge(change.data);
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
    return this.engine.segments.compactSegments;
  }

  /**
   * Starts sealing the live segment elsewhere (a worker), recording the change: its articles, for a
   * segment writer, or `undefined` when there is nothing to seal (see {@link SegmentSet.beginSeal}).
   */
  beginSeal(): SegmentSource[] | undefined {
    const articles = this.beginSealing();
    this.changeListener?.({ kind: 'beginSeal' });
    return articles;
  }

  /** Replaces the segment being sealed by its compact form, recording the change (see {@link SegmentSet.finishSeal}). */
  finishSeal(data: CompactSegmentData | undefined): CompactSegment | undefined {
    const sealed = this.finishSealing(data);
    this.changeListener?.({ kind: 'finishSeal', data });
    return sealed;
  }

  /** Notes that segments are being merged elsewhere, recording the change (see {@link SegmentSet.beginMerge}). */
  beginMerge(segments: readonly CompactSegment[]): void {
    this.engine.segments.beginMerge(segments);
    const all = this.engine.segments.compactSegments;
    this.changeListener?.({ kind: 'beginMerge', segments: segments.map((segment) => all.indexOf(segment)) });
  }

  /** Replaces the segments being merged by their merge, recording the change (see {@link SegmentSet.finishMerge}). */
  finishMerge(data: CompactSegmentData | undefined): CompactSegment | undefined {
    const merged = this.engine.segments.finishMerge(data);
    this.changeListener?.({ kind: 'finishMerge', data });
    return merged;
  }

  /** Counts of articles and indexed paragraphs. */
  stats(): ArchiveStats {
    return { articles: this.catalogue.size, paragraphs: this.engine.segments.size };
  }

  /**
   * The stored article (its latest version, searched yet or not), or `undefined`; its `vectors` only
   * when asked for (they may be far larger than its text).
   */
  get(id: string, options: { vectors?: boolean } = {}): Article | undefined {
    const article = this.catalogue.articleOf(id, this.catalogue.latestEntry(id));
    if (article === undefined) return undefined;
    const { vectors, ...text } = article;
    if (!options.vectors) return vectors === undefined ? article : text;
    const stored = vectors ?? this.readVectors?.(id);
    return stored === undefined ? text : { ...text, vectors: stored };
  }

  /** Whether an article with this id is stored. */
  has(id: string): boolean {
    return this.catalogue.latestEntry(id) !== undefined;
  }

  /** Every stored article, in insertion order. */
  *all(): IterableIterator<Article> {
    for (const [id] of this.catalogue.entries()) {
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
    this.catalogue.set(article.id, this.catalogue.entryOf(article));
    this.engine.segments.addArticle(article);
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
   * compact segment (a small batch is built in this thread), `builders`' when given (a load of several
   * batches), else threads started for this batch. Searches see none of them until it resolves.
   * `early`, from {@link buildEarly} of the same articles, is the build under way already.
   */
  async putAll(
    values: readonly unknown[],
    builders?: SegmentBuilders,
    early?: EarlyBuild,
  ): Promise<Article[]> {
    const batch = latestOfEach(this.parseAll(values));
    if (!this.isBulk(batch)) {
      this.replace(batch);
      this.addToLiveSegment(batch);
      return batch;
    }
    // The threads are given the batch first: the catalogue is updated while they analyse it.
    const building = early?.segments ?? this.startBuilding(batch, builders);
    // Before `touched` is listed: the batch's own replacements are not the batch's losses.
    this.replace(batch);
    // Articles of the batch replaced or removed while it is built must not come back with its segments.
    const touched = new Set<string>();
    this.bulkLoads.add(touched);
    let built: CompactSegmentData[];
    try {
      built = await building;
    } finally {
      this.bulkLoads.delete(touched);
    }
    this.addSegments(batch, built, touched);
    return batch;
  }

  /**
   * Starts analysing valid articles that {@link putAll} will be given, for a caller that must first make
   * them durable (a persistent archive's bulk load, whose store commits them meanwhile): nothing changes
   * until putAll applies it. `undefined` for a batch small enough for the live segment, built then.
   */
  buildEarly(articles: readonly Article[], builders?: SegmentBuilders): EarlyBuild | undefined {
    const batch = latestOfEach(articles);
    return this.isBulk(batch) ? { segments: this.startBuilding(batch, builders) } : undefined;
  }

  /**
   * A bulk batch's segments, building on every core: awaited by putAll, unless the catalogue's update
   * throws first or the articles cannot be stored (then dropped, their failure not unhandled).
   */
  private startBuilding(
    batch: readonly Article[],
    builders?: SegmentBuilders,
  ): Promise<CompactSegmentData[]> {
    const building = buildSegmentsInParallel(batch, this.engine.analysis, builders);
    building.catch(() => undefined);
    return building;
  }

  /** Validates articles (see {@link parseArticle}), their vectors too (see {@link acceptVectors}). */
  private parseAll(values: readonly unknown[]): Article[] {
    const articles = values.map((value) => parseArticle(value));
    this.acceptVectors(articles);
    return articles;
  }

  /** Indexes a small batch through the live segment; returns false, doing nothing, for a large one. */
  private addToLiveSegment(batch: Article[]): boolean {
    if (this.isBulk(batch)) return false;
    for (const article of batch) this.engine.segments.addArticle(article);
    this.changeListener?.({ kind: 'put', articles: batch });
    return true;
  }

  /** Whether a batch is built into segments of its own rather than indexed through the live segment. */
  private isBulk(batch: readonly Article[]): boolean {
    // Publishing, every write goes through the live segment, whose seal publishes it.
    return !this.engine.segments.publishes && countParagraphs(batch) >= BULK_PARAGRAPHS;
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
      this.engine.segments.addSegment(segment);
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
    const articles = latestOfEach(valid);
    this.replace(articles);
    return articles;
  }

  /** Puts articles of distinct ids in the catalogue, in place of any with their ids. */
  private replace(articles: readonly Article[]): void {
    for (const article of articles) {
      this.removeArticle(article.id);
      this.catalogue.set(article.id, this.catalogue.entryOf(article));
      // A replica learns the dimension from the first vectors it is sent.
      this.dimensions ??= article.vectors?.find((vector) => vector !== null)?.length;
    }
  }

  /** Removes an article; returns whether it was there. */
  remove(id: string): boolean {
    if (!this.removeArticle(id)) return false;
    this.changeListener?.({ kind: 'remove', id });
    return true;
  }

  private removeArticle(id: string): boolean {
    for (const touched of this.bulkLoads) touched.add(id);
    if (this.catalogue.latestEntry(id) === undefined) return false;
    this.engine.segments.removeArticle(id);
    this.catalogue.set(id, null);
    return true;
  }

  /** Analyses text as the index does. */
  analyze(text: string): Token[] {
    return analyze(text, this.engine.analysis);
  }

  /** Searches the archive: ranked paragraph hits (see {@link ArchiveSearch.search}). */
  search(query: string, options: SearchOptions = {}): SearchResponse {
    return this.answers.search(query, options);
  }

  /** Paragraphs of other articles close to one paragraph (see {@link ArchiveSearch.related}). */
  related(id: string, para: number, options: RelatedOptions = {}): RelatedResponse {
    return this.answers.related(id, para, options);
  }
}

/** A bulk batch's segments being built before {@link Archive.putAll} is given it (see {@link Archive.buildEarly}). */
export interface EarlyBuild {
  readonly segments: Promise<CompactSegmentData[]>;
}

/** The last article of each id, in the order of those last ones. */
function latestOfEach(articles: readonly Article[]): Article[] {
  const latest = new Map<string, Article>();
  for (const article of articles) {
    latest.delete(article.id);
    latest.set(article.id, article);
  }
  return [...latest.values()];
}
