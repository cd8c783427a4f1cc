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
