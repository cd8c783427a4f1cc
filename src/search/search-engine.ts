/** The search engine: a segment set and its searcher, made from one set of options. */
import type { AnalysisOptions } from '../analysis/analyze.js';
import type { RankingOptions } from './ranking.js';
import { Searcher } from './searcher.js';
import { SegmentSet } from './segment-set.js';
import type { VectorSimilarity } from './vectors/vector-math.js';

/** Options of a {@link SearchEngine}. */
export interface SearchEngineOptions {
  /** The analysis of paragraphs and queries. Default: {@link DEFAULT_ANALYSIS_OPTIONS}. */
  analysis?: AnalysisOptions;
  /** How hits are scored. Default: {@link DEFAULT_RANKING_OPTIONS}. */
  ranking?: Partial<RankingOptions>;
  /**
   * How matches are found: `exhaustive` (default) scores every match term at a time over typed arrays;
   * `max-score` (block-max MaxScore) skips windows of documents and documents that cannot reach the
   * best hits. Both give the same hits and scores. Exhaustive stays the default: on ANT's pasted phrases
   * (top 100, the re-ranking depth) it measured 2.2 / 5.5 ms p50 / p99 against 4.8 / 19.6, and on ANT
   * eight times over 6.7 / 21.0 against 23.4 / 112. A query word's lists (exact form, stem, alternative,
   * title) add up to bounds that only a few words' lists together stay under, so 61 % of postings stay
   * essential and most of their documents are scored.
   */
  scoring?: 'max-score' | 'exhaustive';
  /** Paragraphs the live segment takes before it is sealed into a compact segment. Default 20,000. */
  liveLimit?: number;
  /**
   * With `max-score`, matches counted exactly for `total`; past them the count stops and `total` is a
   * lower bound (as the specification allows past 10,000). Default {@link EXACT_TOTAL_LIMIT}.
   */
  exactTotalLimit?: number;
  /**
   * How paragraph vectors are compared: `cosine` (default: the angle, whatever their lengths) or `dot`
   * (the dot product as given, for models whose vectors are made to be compared so).
   */
  vectorSimilarity?: VectorSimilarity;
}

/**
 * The search engine: its {@link SegmentSet} (what changes the segments: writes, seals, merges,
 * publishing) and its {@link Searcher} (what answers searches over them), sharing one analysis and one
 * way of comparing vectors. Callers use the part they need.
 *
 * @example
 * const engine = new SearchEngine();
 * engine.segments.addArticle({ id: 'a1', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط اليوم'] });
 * engine.searcher.search(parseQuery('اسعار', engine.analysis), { count: 10 }).hits[0]?.articleId; // → 'a1'
 */
export class SearchEngine {
  readonly segments: SegmentSet;
  readonly searcher: Searcher;

  constructor(options: SearchEngineOptions = {}) {
    const { liveLimit, ...searching } = options;
    this.segments = new SegmentSet({
      ...(options.analysis === undefined ? {} : { analysis: options.analysis }),
      ...(options.vectorSimilarity === undefined ? {} : { vectorSimilarity: options.vectorSimilarity }),
      ...(liveLimit === undefined ? {} : { liveLimit }),
    });
    this.searcher = new Searcher(this.segments, { ...searching, analysis: this.segments.analysis });
  }

  /** The analysis of paragraphs and queries, the segment set's and the searcher's alike. */
  get analysis(): AnalysisOptions {
    return this.segments.analysis;
  }

  /** How vectors are compared, by the segment set's quantized codes and the searcher's scores alike. */
  get vectorSimilarity(): VectorSimilarity {
    return this.segments.vectorSimilarity;
  }
}
