/** The set of segments an index is made of, and what changes it: seals, merges, publishing (tantivy's segment updater). */
import type { AnalysisOptions } from '../analysis/analyze.js';
import { prepareVectors } from './scoring/nearest-vectors.js';
import type { VectorSimilarity } from './vectors/vector-math.js';
import { CompactSegment, type CompactSegmentData } from './segment/compact-segment.js';
import { LiveBuffer } from './segment/live-buffer.js';
import { LiveSegment, type LiveParagraph } from './segment/live-segment.js';
import type { Segment } from './segment/segment.js';
import { buildCompactSegment, type SegmentSource } from './segment/segment-writer.js';

/** Options of a {@link SegmentSet}. */
export interface SegmentSetOptions {
  /** The analysis of paragraphs. Default: {@link DEFAULT_ANALYSIS_OPTIONS}. */
  analysis?: AnalysisOptions;
  /** Paragraphs the live segment takes before it is sealed into a compact segment. Default 20,000. */
  liveLimit?: number;
  /** How vectors are compared, which their quantized form depends on. Default `cosine`. */
  vectorSimilarity?: VectorSimilarity;
}

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
 * The segments of an index: compact segments holding its bulk and a live segment taking fresh writes,
 * and every change to the set — writes and removals, seals (here or in a worker), merges by a
 * log-structured policy, publishing — as Lucene's `IndexWriter` and tantivy's segment updater make them.
 * A {@link Searcher} searches what {@link searched} gives.
 *
 * - Paragraphs are known by `(articleId, para)`; an article's paragraphs are added and removed together.
 */
export class SegmentSet {
  readonly analysis: AnalysisOptions;
  readonly vectorSimilarity: VectorSimilarity;
  private readonly liveLimit: number;
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

  constructor(options: SegmentSetOptions = {}) {
    this.analysis = { ...options.analysis };
    this.liveLimit = options.liveLimit ?? DEFAULT_LIVE_LIMIT;
    this.vectorSimilarity = options.vectorSimilarity ?? 'cosine';
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

  /** Whether writes wait for a seal to be searched (see {@link publishWrites}). */
  get publishes(): boolean {
    return this.publishing;
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

  /** Every segment, to search: live paragraphs waiting unindexed are indexed first. */
  searched(): Segment[] {
    if (this.publishing) return [...this.compact];
    this.live = indexed(this.live, this.analysis);
    if (this.sealingPart !== undefined)
      this.sealingPart.segment = indexed(this.sealingPart.segment, this.analysis);
    return this.parts() as Segment[];
  }

  /** Every segment and live part, as they are. */
  private parts(): (Segment | LiveBuffer)[] {
    return this.sealingPart === undefined
      ? [...this.compact, this.live]
      : [...this.compact, this.sealingPart.segment, this.live];
  }
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
