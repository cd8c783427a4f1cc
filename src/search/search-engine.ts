import type { AnalysisOptions } from '../analysis/analyze.js';
import { FIELD } from './fields.js';
import { type Signature, signatureOf } from './near-duplicates.js';
import { correctWords } from './corrections.js';
import { DEFAULT_SYNONYM_GROUPS, Synonyms } from './synonyms.js';
import { type ParsedQuery, positiveWords, type QueryWord, type WordVariant, wordKey } from './query.js';
import { DEFAULT_RANKING_OPTIONS, proximityScore, type RankingOptions } from './ranking.js';
import { containsPhrase } from './segment/token-matching.js';
import { scoreExhaustively } from './scoring/exhaustive-scorer.js';
import { countMatches } from './scoring/count-matches.js';
import { Deadline } from './collect/deadline.js';
import { MaxScoreScorer } from './scoring/max-score.js';
import { bm25Idf, planQuery } from './scoring/plan.js';
import type { DocumentFilter, DocumentOrder, ScoredDocument } from './collect/scored-document.js';
import { nearestVectors, prepareVectors } from './scoring/nearest-vectors.js';
import { comparable, dot, norm, type VectorSimilarity } from './vectors/vector-math.js';
import { CompactSegment, type CompactSegmentData } from './segment/compact-segment.js';
import { LiveBuffer } from './segment/live-buffer.js';
import { LiveSegment, type LiveParagraph } from './segment/live-segment.js';
import { documentFrequency, type Segment } from './segment/segment.js';
import { buildCompactSegment, type SegmentSource } from './segment/segment-writer.js';

/** Options of a {@link SearchEngine}. */
export interface SearchEngineOptions {
  /** The analysis of paragraphs and queries. Default: {@link DEFAULT_ANALYSIS_OPTIONS}. */
  analysis?: AnalysisOptions;
  /** How hits are scored. Default: {@link DEFAULT_RANKING_OPTIONS}. */
  ranking?: Partial<RankingOptions>;
  /**
   * How matches are found: `exhaustive` (default) scores every match term at a time over typed arrays;
   * `max-score` scores, document at a time, only documents that can still reach the best hits. Both
   * give the same hits and scores. On ANT's pasted-phrase and title queries the first measured several
   * times faster (the re-ranking depth of 100 keeps MaxScore's threshold low), so it is the default and
   * the reference the second is tested against.
   */
  scoring?: 'max-score' | 'exhaustive';
  /** Paragraphs the live segment takes before it is sealed into a compact segment. Default 20,000. */
  liveLimit?: number;
  /**
   * With `max-score`, matches checked against article filters and phrases for `total`; past them
   * `total` is a lower bound. Default {@link EXACT_TOTAL_LIMIT}.
   */
  exactTotalLimit?: number;
  /**
   * How paragraph vectors are compared: `cosine` (default: the angle, whatever their lengths) or `dot`
   * (the dot product as given, for models whose vectors are made to be compared so).
   */
  vectorSimilarity?: VectorSimilarity;
}

/** What {@link SearchEngine.searchVector} is asked. */
export interface EngineVectorOptions {
  /** Nearest paragraphs wanted. */
  count: number;
  /** Keeps only the paragraphs of the articles it returns true for (filters). */
  accept?: (articleId: string) => boolean;
  /** Score every vector exactly rather than through the quantized ones (see `nearestVectors`). */
  exact?: boolean;
  /** When to stop: the segments searched by then give the answer. Default: never. */
  deadline?: Deadline;
}

/** What {@link SearchEngine.search} is asked. */
export interface EngineSearchOptions {
  /**
   * How many of the best must come in order (at least the re-ranked ones); `Infinity` asks for every
   * match, in order.
   */
  count: number;
  /** Keeps only the paragraphs of the articles it returns true for (filters). */
  accept?: (articleId: string) => boolean;
  /**
   * Ranks matches by this number of their article first, highest first (a publication day, to sort by
   * date), then by BM25 score, without proximity re-ranking. Default: by relevance.
   */
  articleKey?: (articleId: string) => number;
  /**
   * Called with the article of every matching paragraph, the whole result set, not only the best
   * `count` (to count them by facet): matches are then found by the exhaustive scorer.
   */
  eachArticle?: (articleId: string) => void;
  /** When to stop finding matches. Default: never. */
  deadline?: Deadline;
  /** Search the words as they are: no corrections of typing errors, no synonyms (a "more like this" query). */
  literal?: boolean;
}

/** A paragraph that matched, as the engine knows it. */
export interface EngineHit {
  articleId: string;
  para: number;
  score: number;
  /**
   * Where it is, for what a few hits need afterwards (their signatures, their vectors: see {@link
   * signatureOf}, {@link vectorOf}), valid until the engine next changes.
   */
  location: { segment: Segment; doc: number };
}

/** What a search found. */
export interface EngineResult {
  /** Best first: the first `count` asked for in order, the rest (when every match was asked for) too. */
  hits: EngineHit[];
  /** Matching paragraphs; a lower bound when `totalExact` is false. */
  total: number;
  totalExact: boolean;
  /**
   * Present when not all was searched: the query had more words than {@link MAX_SCORED_WORDS} and only
   * the rarest were scored, or the deadline passed (`timedOut`).
   */
  partial?: true;
  /** Present when the deadline passed before every match was found: the hits are the best of those found. */
  timedOut?: true;
  /** The words searched, with the variants found for them (corrections, synonyms): what highlights mark. */
  words: QueryWord[];
  /** By index in {@link words}: a correction of a word that matched nothing or far less than it. */
  suggestions: Map<number, WordVariant>;
}

/**
 * Distinct optional words a query is scored on: past them (a pasted paragraph, say), the rarest are
 * kept, as Lucene's MoreLikeThis keeps a document's most telling terms. A word's cost grows with its
 * postings, and the commonest words add the least to a score: 181 common words took 0.7 s alone.
 * Required words and phrases are always kept.
 */
export const MAX_SCORED_WORDS = 32;

/** Matches checked against filters and phrases before `total` may be a lower bound. */
export const EXACT_TOTAL_LIMIT = 10_000;

const DEFAULT_LIVE_LIMIT = 20_000;

/** Segments of one size tier merged together (tiers are powers of this factor, in live paragraphs). */
export const MERGE_FACTOR = 10;

/**
 * Segments below this many live paragraphs are one tier, as Lucene's `floorSegmentMB` makes them: the
 * small segments published writes leave (a few articles each) are merged together as they come, so a
 * search never goes through dozens of them.
 */
export const MERGE_FLOOR = 1_000;

/**
 * The search engine: compact segments holding the bulk of the index and a live segment taking fresh
 * writes, searched together with BM25 statistics summed over all of them.
 *
 * - Paragraphs are known by `(articleId, para)`; an article's paragraphs are added and removed together.
 * - Scores: BM25+ over exact-word and stem fields, scaled by the share of query words matched; the best
 *   {@link RankingOptions.rerankDepth} are re-scored by how close together the words occur.
 */
export class SearchEngine {
  readonly analysis: AnalysisOptions;
  readonly ranking: RankingOptions;
  readonly vectorSimilarity: VectorSimilarity;
  /**
   * The synonyms query words are expanded with: the shipped list ({@link DEFAULT_SYNONYM_GROUPS}) until
   * replaced, which may be at any time (synonyms are applied to queries, not to the index).
   */
  synonyms: Synonyms;
  private readonly exhaustive: boolean;
  private readonly liveLimit: number;
  private readonly exactTotalLimit: number;
  private compact: CompactSegment[] = [];
  private live: LiveSegment | LiveBuffer;
  /**
   * A live segment being sealed elsewhere (in a worker), still searched until its compact form arrives;
   * `publishes`: the articles whose compact paragraphs go when it arrives (see {@link publishWrites}).
   */
  private sealingPart:
    { segment: LiveSegment | LiveBuffer; removed: Set<string>; publishes: Set<string> } | undefined;
  /** Whether fresh paragraphs wait unindexed until searched (see {@link deferLiveIndexing}). */
  private deferIndexing = false;
  /** Whether only sealed paragraphs are searched (see {@link publishWrites}). */
  private publishing = false;
  /** In publish mode, the articles removed or replaced since the live segment began, to go at its seal. */
  private pendingRemovals = new Set<string>();
  /** Whether compact segments' quantized vectors are made as they come (see {@link prepareVectors}). */
  private eagerVectors = false;
  /** Compact segments being merged elsewhere, and the articles removed since. */
  private merging: { segments: readonly CompactSegment[]; removed: Set<string> } | undefined;

  constructor(options: SearchEngineOptions = {}) {
    this.analysis = { ...options.analysis };
    this.ranking = { ...DEFAULT_RANKING_OPTIONS, ...options.ranking };
    this.exhaustive = options.scoring !== 'max-score';
    this.liveLimit = options.liveLimit ?? DEFAULT_LIVE_LIMIT;
    this.exactTotalLimit = options.exactTotalLimit ?? EXACT_TOTAL_LIMIT;
    this.vectorSimilarity = options.vectorSimilarity ?? 'cosine';
    this.synonyms = new Synonyms(DEFAULT_SYNONYM_GROUPS, this.analysis);
    this.live = this.newLive();
  }

  /** Paragraphs searched (live documents of every segment; in publish mode, of the compact ones). */
  get size(): number {
    const searched = this.publishing ? this.compact : this.parts();
    return searched.reduce((sum, segment) => sum + segment.liveCount, 0);
  }

  /**
   * With `true`, fresh paragraphs are kept unindexed ({@link LiveBuffer}) until this engine is searched:
   * for an engine whose searches other threads answer (search replicas), which then never pays for
   * MiniSearch. Searching it indexes them first, so results never change. Default `false`.
   */
  deferLiveIndexing(defer: boolean): void {
    this.deferIndexing = defer;
    if (defer && this.live.liveCount === 0) this.live = new LiveBuffer();
  }

  /**
   * With `true`, searches see only the compact segments, and writes become visible when the live
   * segment they went to is sealed — Lucene's near-real-time refresh: a service publishes fresh writes by
   * sealing small batches in a worker, so that no search thread ever indexes them. A removal or
   * replacement takes the old paragraphs out at that same seal, so an article is never missing between
   * its two versions. Default `false`: every write is searched at once.
   */
  publishWrites(publish: boolean): void {
    if (publish === this.publishing) return;
    this.publishing = publish;
    if (publish && this.live.liveCount === 0) this.live = new LiveBuffer();
    if (!publish) {
      this.applyRemovals(this.pendingRemovals);
      this.pendingRemovals = new Set();
    }
  }

  private newLive(): LiveSegment | LiveBuffer {
    return this.deferIndexing || this.publishing ? new LiveBuffer() : new LiveSegment(this.analysis);
  }

  /** The compact segments, oldest first. */
  get compactSegments(): readonly CompactSegment[] {
    return this.compact;
  }

  /** Whether a seal is under way elsewhere (between {@link beginSeal} and {@link finishSeal}). */
  get sealing(): boolean {
    return this.sealingPart !== undefined;
  }

  /** Whether a seal or a merge is under way elsewhere (between its begin and its finish). */
  get busy(): boolean {
    return this.sealingPart !== undefined || this.merging !== undefined;
  }

  /** Paragraphs in the live segment. */
  get liveSize(): number {
    return this.live.liveCount;
  }

  /** Adds a segment built elsewhere (by a writer in a worker, or loaded from a file). */
  addSegment(segment: CompactSegmentData | CompactSegment): void {
    const compact = segment instanceof CompactSegment ? segment : new CompactSegment(segment);
    this.compact.push(compact);
    this.prepareSegment(compact);
  }

  /**
   * Copies the compact segments' 4-bit vectors into this thread now, and those of every one added from
   * now on (54 ms for ANT's 265,774 vectors): for an engine that answers vector searches, whose first
   * search of a segment would pay for it otherwise.
   */
  prepareVectors(): void {
    this.eagerVectors = true;
    for (const segment of this.compact) this.prepareSegment(segment);
  }

  private prepareSegment(segment: CompactSegment): void {
    if (this.eagerVectors) prepareVectors(segment, this.vectorSimilarity);
  }

  /** Indexes articles in bulk, straight into a compact segment. Replace existing ones with {@link removeArticle} first. */
  addArticles(articles: readonly SegmentSource[]): void {
    if (articles.length === 0) return;
    this.addSegment(buildCompactSegment(articles, this.analysis));
  }

  /**
   * Segments to merge, by Lucene's log-structured policy: {@link MERGE_FACTOR} segments of one size
   * tier (a power of the factor, in live paragraphs; below {@link MERGE_FLOOR}, one tier). Sealing the live segment again and again makes many
   * small segments, each of which a search pays for. `undefined` when none, or a merge is under way.
   */
  mergeCandidates(): CompactSegment[] | undefined {
    if (this.merging !== undefined) return undefined;
    const tiers = new Map<number, CompactSegment[]>();
    for (const segment of this.compact) {
      const tier = Math.floor(
        Math.log10(Math.max(segment.liveCount, MERGE_FLOOR - 1)) / Math.log10(MERGE_FACTOR),
      );
      tiers.set(tier, [...(tiers.get(tier) ?? []), segment]);
    }
    return [...tiers.values()].find((segments) => segments.length >= MERGE_FACTOR)?.slice(0, MERGE_FACTOR);
  }

  /** Notes that these segments are being merged elsewhere (a worker); they are searched until {@link finishMerge}. */
  beginMerge(segments: readonly CompactSegment[]): void {
    this.merging = { segments, removed: new Set() };
  }

  /**
   * Replaces the segments being merged by their merge, deleting from it the articles removed or replaced
   * meanwhile; `undefined` (the merge failed) keeps them. Returns the merged segment.
   */
  finishMerge(data: CompactSegmentData | undefined): CompactSegment | undefined {
    const merging = this.merging;
    this.merging = undefined;
    if (merging === undefined || data === undefined) return undefined;
    const merged = new CompactSegment(data);
    for (const articleId of merging.removed) {
      for (const doc of merged.documentsOf(articleId)) merged.delete(doc);
    }
    const at = this.compact.indexOf(merging.segments[0]!);
    this.compact = this.compact.filter((segment) => !merging.segments.includes(segment));
    this.compact.splice(Math.max(0, Math.min(at, this.compact.length)), 0, merged);
    this.prepareSegment(merged);
    return merged;
  }

  /** Indexes an article's paragraphs in the live segment; blank ones are skipped. */
  addArticle(article: SegmentSource): void {
    article.paragraphs.forEach((text, para) =>
      this.live.addParagraph({
        articleId: article.id,
        para,
        text,
        title: article.title,
        vector: article.vectors?.[para] ?? undefined,
      }),
    );
    // A publishing service seals small batches itself, as fast as they come.
    if (!this.publishing && this.live.liveCount >= this.liveLimit) this.seal();
  }

  /**
   * Removes every paragraph of an article from every segment; in publish mode, from the compact
   * segments only when the live segment is sealed (see {@link publishWrites}).
   */
  removeArticle(articleId: string): void {
    if (this.publishing) {
      for (const doc of [...this.live.documentsOf(articleId)]) this.live.delete(doc);
      this.pendingRemovals.add(articleId);
      return;
    }
    for (const segment of this.parts()) {
      for (const doc of [...segment.documentsOf(articleId)]) segment.delete(doc);
    }
    this.sealingPart?.removed.add(articleId);
    this.merging?.removed.add(articleId);
  }

  /** Removes articles' paragraphs from the compact segments, and from a merge under way. */
  private applyRemovals(articleIds: ReadonlySet<string>): void {
    for (const articleId of articleIds) {
      for (const segment of this.compact) {
        for (const doc of [...segment.documentsOf(articleId)]) segment.delete(doc);
      }
      this.merging?.removed.add(articleId);
    }
  }

  /** Turns the live segment into a compact segment (in this thread) and starts an empty one. */
  seal(): void {
    this.finishSeal(undefined);
    if (this.beginSeal() !== undefined) this.finishSeal(undefined);
  }

  /**
   * Starts sealing the live segment elsewhere: returns its articles, for a segment writer in another
   * thread, and starts an empty live segment for the writes that follow. The sealed segment is searched
   * as it is until {@link finishSeal}. `undefined` when the live segment is empty or a seal is under way.
   */
  beginSeal(): SegmentSource[] | undefined {
    if (this.sealingPart !== undefined) return undefined;
    if (this.live.liveCount === 0 && this.pendingRemovals.size === 0) return undefined;
    this.sealingPart = { segment: this.live, removed: new Set(), publishes: this.pendingRemovals };
    this.pendingRemovals = new Set();
    this.live = this.newLive();
    return groupByArticle(this.sealingPart.segment.liveParagraphs());
  }

  /**
   * Replaces the segment being sealed by its compact form, deleting from it the articles removed or
   * replaced meanwhile; with `undefined` (the writer failed), seals it in this thread instead. Returns
   * the new compact segment.
   */
  finishSeal(data: CompactSegmentData | undefined): CompactSegment | undefined {
    const sealing = this.sealingPart;
    if (sealing === undefined) return undefined;
    this.sealingPart = undefined;
    this.applyRemovals(sealing.publishes);
    if (sealing.segment.liveCount === 0 && data === undefined) return undefined;
    const segment = new CompactSegment(
      data ?? buildCompactSegment(groupByArticle(sealing.segment.liveParagraphs()), this.analysis),
    );
    for (const articleId of sealing.removed) {
      for (const doc of segment.documentsOf(articleId)) segment.delete(doc);
    }
    if (segment.liveCount === 0) return undefined;
    this.compact.push(segment);
    this.prepareSegment(segment);
    return segment;
  }

  /**
   * Finds the paragraphs that match a parsed query, best first (see {@link EngineSearchOptions}).
   * Past the deadline, no further postings are scored: the best of the matches found so far are ranked
   * and re-ranked, `total` counts only them, and the result says `timedOut`.
   */
  search(query: ParsedQuery, options: EngineSearchOptions): EngineResult {
    const { count, accept: acceptArticle, articleKey, eachArticle, deadline = Deadline.NEVER } = options;
    const segments = this.segments();
    const scored = this.scoredWords(query, segments);
    const { partial } = scored;
    if (scored.words.length === 0 || segments.every((segment) => segment.liveCount === 0)) {
      return { hits: [], total: 0, totalExact: true, words: scored.words, suggestions: new Map() };
    }
    const { words, suggestions } = options.literal
      ? { words: scored.words, suggestions: new Map<number, WordVariant>() }
      : correctWords(
          this.synonyms.expand(scored.words, this.ranking.synonymWeight),
          segments,
          this.ranking.typoWeight,
          this.ranking.typoLengths,
          this.analysis,
        );
    const plan = planQuery(
      segments,
      words,
      [...query.required, ...query.phrases.flat()],
      query.excluded,
      this.ranking,
    );
    const filter = this.filterFor(segments, query, acceptArticle);
    const order: DocumentOrder | undefined =
      articleKey === undefined
        ? undefined
        : (segmentIndex, doc) => articleKey(segments[segmentIndex]!.articleId(doc));
    // Proximity re-ranks the best `rerankDepth` when two or more words are searched, by relevance.
    const reranks = this.ranking.proximityWeight > 0 && words.length >= 2 && order === undefined;
    const depth = reranks ? Math.max(count, this.ranking.rerankDepth) : count;
    let ranked: ScoredDocument[];
    let total: number;
    let totalExact = true;
    const onMatch =
      eachArticle === undefined
        ? undefined
        : (segmentIndex: number, doc: number) => eachArticle(segments[segmentIndex]!.articleId(doc));
    if (
      this.exhaustive ||
      depth === Number.POSITIVE_INFINITY ||
      order !== undefined ||
      onMatch !== undefined
    ) {
      ({ hits: ranked, total } = scoreExhaustively(plan, segments, {
        filter,
        k: depth,
        deadline,
        order,
        onMatch,
      }));
    } else {
      ranked = new MaxScoreScorer(plan, segments, filter).topK(depth, deadline);
      ({ total, exact: totalExact } = countMatches(plan, segments, filter, this.exactTotalLimit, deadline));
    }
    const timedOut = deadline.wasReached;
    const reranked = reranks
      ? this.rerank(ranked, segments, plan.words, plan.wordDocumentFrequency, plan.documentCount)
      : ranked;
    return {
      hits: this.engineHits(segments, reranked),
      total,
      totalExact: totalExact && !timedOut,
      words,
      suggestions,
      ...(partial || timedOut ? { partial: true as const } : {}),
      ...(timedOut ? { timedOut: true as const } : {}),
    };
  }

  /** Scored documents as hits. */
  private engineHits(segments: readonly Segment[], scored: readonly ScoredDocument[]): EngineHit[] {
    return scored.map(({ segment, doc, score }) => {
      const part = segments[segment]!;
      return {
        articleId: part.articleId(doc),
        para: part.para(doc),
        score,
        location: { segment: part, doc },
      };
    });
  }

  /** A hit's near-duplicate signature (see {@link groupCopies}): computed for the hits grouped, not all. */
  signatureOf({ location }: EngineHit): Signature {
    return signatureAt(location);
  }

  /** A hit's vector, as given, or `undefined` when it has none. */
  vectorOf({ location }: EngineHit): Float32Array | undefined {
    return location.segment.vectorOf(location.doc);
  }

  /**
   * The paragraphs whose vectors are nearest a query vector, best first, scored by their similarity
   * (see {@link SearchEngineOptions.vectorSimilarity}); paragraphs without a vector are never found.
   * A vector of another dimension than the index's finds nothing.
   */
  searchVector(vector: Float32Array, options: EngineVectorOptions): EngineHit[] {
    const segments = this.segments();
    const { accept } = options;
    const found = nearestVectors(segments, comparable(vector, this.vectorSimilarity), {
      k: options.count,
      similarity: this.vectorSimilarity,
      exact: options.exact ?? false,
      ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
      ...(accept === undefined
        ? {}
        : { filter: (segment: number, doc: number) => accept(segments[segment]!.articleId(doc)) }),
    });
    return this.engineHits(segments, found);
  }

  /** How similar paragraphs' vectors are to a query vector, as {@link searchVector} scores them. */
  similarityTo(query: Float32Array): (vector: Float32Array) => number {
    const compared = comparable(query, this.vectorSimilarity);
    return this.vectorSimilarity === 'cosine'
      ? (vector) => dot(compared, 0, vector, 0, vector.length) / (norm(vector) || 1)
      : (vector) => dot(compared, 0, vector, 0, vector.length);
  }

  /** A searched paragraph's near-duplicate signature (see {@link groupCopies}), or `undefined`. */
  paragraphSignature(articleId: string, para: number): Signature | undefined {
    const found = this.findParagraph(articleId, para);
    return found === undefined ? undefined : signatureAt(found);
  }

  /** A searched paragraph's vector, or `undefined` when it has none (or is not searched). */
  paragraphVector(articleId: string, para: number): Float32Array | undefined {
    const found = this.findParagraph(articleId, para);
    return found?.segment.vectorOf(found.doc);
  }

  /**
   * A searched paragraph's most telling words, as a query of them ("more like this", as Lucene's
   * `MoreLikeThis`): its distinct stems held by at least `minDocumentFrequency` paragraphs, ranked by
   * tf-idf, the best `max` in their order in the paragraph. Empty when it is not searched.
   */
  significantWords(articleId: string, para: number, max: number, minDocumentFrequency = 2): QueryWord[] {
    const found = this.findParagraph(articleId, para);
    if (found === undefined) return [];
    const segments = this.segments();
    const documents = segments.reduce((sum, segment) => sum + segment.liveCount, 0);
    const words = new Map<string, { word: QueryWord; count: number; first: number }>();
    found.segment.tokens(found.doc).forEach(({ exact, term, alternative }, at) => {
      const known = words.get(term);
      if (known !== undefined) known.count += 1;
      else
        words.set(term, {
          word: alternative === undefined ? { exact, stem: term } : { exact, stem: term, alternative },
          count: 1,
          first: at,
        });
    });
    return [...words.values()]
      .map((entry) => ({ ...entry, frequency: documentFrequency(segments, entry.word.stem, FIELD.textStem) }))
      .filter(({ frequency }) => frequency >= minDocumentFrequency)
      .map((entry) => ({ ...entry, weight: Math.sqrt(entry.count) * bm25Idf(entry.frequency, documents) }))
      .sort((a, b) => b.weight - a.weight || a.first - b.first)
      .slice(0, max)
      .sort((a, b) => a.first - b.first)
      .map(({ word }) => word);
  }

  /** Where a searched paragraph is: its segment and document number. */
  private findParagraph(articleId: string, para: number): { segment: Segment; doc: number } | undefined {
    for (const segment of this.segments()) {
      for (const doc of segment.documentsOf(articleId)) {
        if (segment.isLive(doc) && segment.para(doc) === para) return { segment, doc };
      }
    }
    return undefined;
  }

  /** Every segment, to search: live paragraphs waiting unindexed are indexed first. */
  private segments(): Segment[] {
    if (this.publishing) return [...this.compact];
    this.live = indexed(this.live, this.analysis);
    if (this.sealingPart !== undefined)
      this.sealingPart.segment = indexed(this.sealingPart.segment, this.analysis);
    return this.parts() as Segment[];
  }

  /**
   * The query's words to score: all of them, or, past {@link MAX_SCORED_WORDS}, the required ones, the
   * phrases' and the rarest of the others (by how many paragraphs hold their stem).
   */
  private scoredWords(
    query: ParsedQuery,
    segments: readonly Segment[],
  ): { words: QueryWord[]; partial: boolean } {
    const words = positiveWords(query);
    if (words.length <= MAX_SCORED_WORDS) return { words, partial: false };
    const kept = new Set([...query.required, ...query.phrases.flat()].map(wordKey));
    const frequency = (word: QueryWord) => documentFrequency(segments, word.stem, FIELD.textStem);
    const optional = words
      .filter((word) => !kept.has(wordKey(word)))
      .map((word) => ({ word, frequency: frequency(word) }))
      .sort((a, b) => a.frequency - b.frequency);
    for (const { word } of optional) {
      if (kept.size >= MAX_SCORED_WORDS) break;
      kept.add(wordKey(word));
    }
    // In the query's order, which proximity and highlights follow.
    return { words: words.filter((word) => kept.has(wordKey(word))), partial: true };
  }

  /** Every segment and live part, as they are. */
  private parts(): (Segment | LiveBuffer)[] {
    return this.sealingPart === undefined
      ? [...this.compact, this.live]
      : [...this.compact, this.sealingPart.segment, this.live];
  }

  private filterFor(
    segments: readonly Segment[],
    query: ParsedQuery,
    acceptArticle: ((articleId: string) => boolean) | undefined,
  ): DocumentFilter | undefined {
    const { phrases, excludedPhrases } = query;
    if (acceptArticle === undefined && phrases.length === 0 && excludedPhrases.length === 0) return undefined;
    return (segmentIndex, doc) => {
      const segment = segments[segmentIndex]!;
      if (acceptArticle !== undefined && !acceptArticle(segment.articleId(doc))) return false;
      if (phrases.length === 0 && excludedPhrases.length === 0) return true;
      const tokens = segment.tokens(doc);
      return (
        phrases.every((phrase) => containsPhrase(tokens, phrase)) &&
        !excludedPhrases.some((phrase) => containsPhrase(tokens, phrase))
      );
    };
  }

  /** Re-scores the best by how close together the query's words occur (two or more words, a proximity weight). */
  private rerank(
    ranked: ScoredDocument[],
    segments: readonly Segment[],
    words: readonly QueryWord[],
    documentFrequency: readonly number[],
    documentCount: number,
  ): ScoredDocument[] {
    const { proximityWeight, rerankDepth } = this.ranking;
    if (ranked.length < 2) return ranked;
    const idf = documentFrequency.map((df) => bm25Idf(df, documentCount));
    const matchers = segments.map((segment) => segment.wordMatcher(words));
    const top = ranked.slice(0, rerankDepth).map((hit) => {
      const matches = matchers[hit.segment]!(hit.doc);
      return { ...hit, score: hit.score + proximityWeight * proximityScore(matches, idf) };
    });
    // Stable: equal scores keep their BM25 order.
    top.sort((a, b) => b.score - a.score);
    return [...top, ...ranked.slice(rerankDepth)];
  }
}

function signatureAt({ segment, doc }: { segment: Segment; doc: number }): Signature {
  return signatureOf(segment.tokens(doc));
}

/** A live part as a searchable segment: a buffer's paragraphs indexed in a live segment, in their order. */
function indexed(live: LiveSegment | LiveBuffer, analysis: AnalysisOptions): LiveSegment {
  if (live instanceof LiveSegment) return live;
  const segment = new LiveSegment(analysis);
  for (const paragraph of live.liveParagraphs()) segment.addParagraph(paragraph);
  return segment;
}

/** Live paragraphs regrouped as articles (blank paragraphs, never indexed, left empty). */
function groupByArticle(paragraphs: Iterable<LiveParagraph>): SegmentSource[] {
  const articles = new Map<
    string,
    { id: string; title: string; paragraphs: string[]; vectors?: (Float32Array | null)[] }
  >();
  for (const { articleId, para, text, title, vector } of paragraphs) {
    let article = articles.get(articleId);
    if (article === undefined) {
      article = { id: articleId, title, paragraphs: [] };
      articles.set(articleId, article);
    }
    while (article.paragraphs.length < para) article.paragraphs.push('');
    article.paragraphs[para] = text;
    if (vector !== undefined) {
      article.vectors ??= [];
      while (article.vectors.length < para) article.vectors.push(null);
      article.vectors[para] = vector;
    }
  }
  return [...articles.values()];
}
