/** Answers searches over a segment set: words with BM25 and proximity, vectors, and what hits need after. */
import type { AnalysisOptions } from '../analysis/analyze.js';
import {
  type CorrectedWords,
  correctionCandidates,
  correctionLookUps,
  correctWords,
  rareLimit,
} from './corrections.js';
import { FIELD, type Field } from './fields.js';
import type { Signature } from './near-duplicates.js';
import { type ParsedQuery, positiveWords, type QueryWord, type WordVariant, wordKey } from './query.js';
import { DEFAULT_RANKING_OPTIONS, proximityScore, type RankingOptions } from './ranking.js';
import { Deadline } from './collect/deadline.js';
import type { DocumentFilter, DocumentOrder, ScoredDocument } from './collect/scored-document.js';
import { countMatches } from './scoring/count-matches.js';
import { scoreExhaustively } from './scoring/exhaustive-scorer.js';
import { MaxScoreScorer } from './scoring/max-score.js';
import { nearestVectors } from './scoring/nearest-vectors.js';
import { byArticle } from './scoring/tie-order.js';
import { bm25Idf, planQuery, planStatisticsRequest, type QueryPlan } from './scoring/plan.js';
import type { SegmentSet } from './segment-set.js';
import type { Segment } from './segment/segment.js';
import {
  type CorpusStatistics,
  type GatheredStatistics,
  type NearRequest,
  SegmentStatistics,
  type StatisticsRequest,
  typedFrequency,
} from './statistics.js';
import { containsPhrase } from './segment/token-matching.js';
import { DEFAULT_SYNONYM_GROUPS, Synonyms } from './synonyms.js';
import { comparable, dot, norm, type VectorSimilarity } from './vectors/vector-math.js';

/** Options of a {@link Searcher}. */
export interface SearcherOptions {
  /** The analysis of queries, the segments' own. Default: {@link DEFAULT_ANALYSIS_OPTIONS}. */
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

/** What {@link Searcher.searchVector} is asked. */
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

/** What {@link Searcher.search} is asked. */
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
  /**
   * The archive's statistics, when the segments searched are one shard of it: scores are then the
   * archive's (see {@link CorpusStatistics}). Default: the segments' own.
   */
  statistics?: CorpusStatistics;
  /** The words to search, as {@link Searcher.resolveWords} gave them for the archive's statistics. */
  words?: ResolvedWords;
  /**
   * Leave proximity re-ranking to the caller: the best `count` hits come by BM25 score, each with its
   * `proximity` bonus (a shard's hits are re-ranked once merged with the other shards', as the archive's
   * best are), and the caller chooses the depth ({@link RankingOptions.rerankDepth} is not added).
   */
  rerankLater?: boolean;
  /**
   * Paragraphs (a vector's neighbours, to blend with) to tell which match the query, among the best
   * `count` or not: {@link EngineResult.watchedMatch} says so in their order, so that a blend counts a
   * neighbour that matches once. Every match is then visited (by the exhaustive scorer).
   */
  watch?: readonly { articleId: string; para: number }[];
}

/** A query's words as searched: corrections and synonyms found for an archive, and what to suggest. */
export interface ResolvedWords {
  words: QueryWord[];
  /** By index in `words`: a correction of a word that matched nothing or far less than it. */
  suggestions: Map<number, WordVariant>;
  /** Only the rarest of the query's words are searched (see {@link MAX_SCORED_WORDS}). */
  partial: boolean;
}

/** A paragraph that matched, as the engine knows it. */
export interface EngineHit {
  articleId: string;
  para: number;
  score: number;
  /** With {@link EngineSearchOptions.rerankLater}: what proximity adds to its score, when it is re-ranked. */
  proximity?: number;
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
  /** With {@link EngineSearchOptions.watch}: whether each paragraph watched matches, in its order. */
  watchedMatch?: boolean[];
}

/**
 * Distinct optional words a query is scored on: past them (a pasted paragraph, say), the rarest are
 * kept, as Lucene's MoreLikeThis keeps a document's most telling terms. A word's cost grows with its
 * postings, and the commonest words add the least to a score: 181 common words took 0.7 s alone.
 * Required words and phrases are always kept.
 */
export const MAX_SCORED_WORDS = 32;

/** Matches counted exactly (with `max-score`) before `total` may be a lower bound. */
export const EXACT_TOTAL_LIMIT = 10_000;

/**
 * Answers searches over the segments of a {@link SegmentSet}, with BM25 statistics summed over all of
 * them (Lucene's `IndexSearcher`, tantivy's `Searcher`).
 *
 * - Scores: BM25+ over exact-word and stem fields, scaled by the share of query words matched; the best
 *   {@link RankingOptions.rerankDepth} are re-scored by how close together the words occur.
 */
export class Searcher {
  readonly analysis: AnalysisOptions;
  readonly ranking: RankingOptions;
  readonly vectorSimilarity: VectorSimilarity;
  /**
   * The synonyms query words are expanded with: the shipped list ({@link DEFAULT_SYNONYM_GROUPS}) until
   * replaced, which may be at any time (synonyms are applied to queries, not to the index).
   */
  synonyms: Synonyms;
  private readonly exhaustive: boolean;
  private readonly exactTotalLimit: number;

  constructor(
    private readonly segmentSet: SegmentSet,
    options: SearcherOptions = {},
  ) {
    this.analysis = { ...options.analysis };
    this.ranking = { ...DEFAULT_RANKING_OPTIONS, ...options.ranking };
    this.exhaustive = options.scoring !== 'max-score';
    this.exactTotalLimit = options.exactTotalLimit ?? EXACT_TOTAL_LIMIT;
    this.vectorSimilarity = options.vectorSimilarity ?? 'cosine';
    this.synonyms = new Synonyms(DEFAULT_SYNONYM_GROUPS, this.analysis);
  }

  /**
   * Finds the paragraphs that match a parsed query, best first (see {@link EngineSearchOptions}).
   * Past the deadline, no further postings are scored: the best of the matches found so far are ranked
   * and re-ranked, `total` counts only them, and the result says `timedOut`.
   */
  search(query: ParsedQuery, options: EngineSearchOptions): EngineResult {
    const { count, accept: acceptArticle, articleKey, eachArticle, deadline = Deadline.NEVER } = options;
    const segments = this.segmentSet.searched();
    let resolved = options.words;
    if (resolved === undefined) {
      const statistics = options.statistics ?? new SegmentStatistics(segments);
      const scored = this.scoredWords(query, statistics);
      if (scored.words.length === 0 || segments.every((segment) => segment.liveCount === 0)) {
        return { hits: [], total: 0, totalExact: true, words: scored.words, suggestions: new Map() };
      }
      resolved = this.resolveScored(scored, statistics, options.literal ?? false);
    } else if (resolved.words.length === 0 || segments.every((segment) => segment.liveCount === 0)) {
      return {
        hits: [],
        total: 0,
        totalExact: true,
        words: resolved.words,
        suggestions: resolved.suggestions,
      };
    }
    const { words, suggestions, partial } = resolved;
    const plan = planQuery(
      segments,
      options.statistics,
      words,
      [...query.required, ...query.phrases.flat()],
      query.excluded,
      this.ranking,
    );
    const filter = this.filterFor(segments, query, acceptArticle);
    // Which of equal matches make the best `depth` (copies score the same): by article, not by place.
    const ties = byArticle(segments);
    const order: DocumentOrder | undefined =
      articleKey === undefined
        ? undefined
        : (segmentIndex, doc) => articleKey(segments[segmentIndex]!.articleId(doc));
    // Proximity re-ranks the best `rerankDepth` when two or more words are searched, by relevance.
    const reranks = this.ranking.proximityWeight > 0 && words.length >= 2 && order === undefined;
    const depth = reranks && !options.rerankLater ? Math.max(count, this.ranking.rerankDepth) : count;
    let ranked: ScoredDocument[];
    let total: number;
    let totalExact = true;
    const watched = options.watch === undefined ? undefined : this.watchedPlaces(segments, options.watch);
    const watchedMatch = options.watch?.map(() => false);
    const onMatch =
      eachArticle === undefined && watched === undefined
        ? undefined
        : (segmentIndex: number, doc: number) => {
            eachArticle?.(segments[segmentIndex]!.articleId(doc));
            const at = watched?.get(segmentIndex)?.get(doc);
            if (at !== undefined) watchedMatch![at] = true;
          };
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
        ties,
      }));
    } else {
      ranked = new MaxScoreScorer(plan, segments, filter, ties).topK(depth, deadline);
      ({ total, exact: totalExact } = countMatches(plan, segments, filter, this.exactTotalLimit, deadline));
    }
    const timedOut = deadline.wasReached;
    let hits = this.engineHits(segments, ranked);
    if (reranks) {
      if (options.rerankLater) {
        // Every candidate's bonus: merged with other shards', even a shard's only one may be re-ranked.
        this.proximityBonuses(ranked, segments, plan).forEach((bonus, at) => (hits[at]!.proximity = bonus));
      } else if (ranked.length >= 2) hits = rerank(hits, this.proximityBonuses(ranked, segments, plan));
    }
    return {
      hits,
      total,
      totalExact: totalExact && !timedOut,
      words,
      suggestions,
      ...(partial || timedOut ? { partial: true as const } : {}),
      ...(timedOut ? { timedOut: true as const } : {}),
      ...(watchedMatch === undefined ? {} : { watchedMatch }),
    };
  }

  /** Where watched paragraphs are: by segment index, their documents and their place in `watch`. */
  private watchedPlaces(
    segments: readonly Segment[],
    watch: readonly { articleId: string; para: number }[],
  ): Map<number, Map<number, number>> {
    const places = new Map<number, Map<number, number>>();
    watch.forEach(({ articleId, para }, at) => {
      const found = this.findParagraph(articleId, para, segments);
      if (found === undefined) return;
      let docs = places.get(found.index);
      if (docs === undefined) places.set(found.index, (docs = new Map()));
      docs.set(found.doc, at);
    });
    return places;
  }

  /** The statistics of the segments searched now (a shard's own, in a cluster). */
  localStatistics(): SegmentStatistics {
    return new SegmentStatistics(this.segmentSet.searched());
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
    const segments = this.segmentSet.searched();
    const { accept } = options;
    const found = nearestVectors(segments, comparable(vector, this.vectorSimilarity), {
      k: options.count,
      ties: byArticle(segments),
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
    const words = this.paragraphWords(articleId, para);
    return words === undefined
      ? []
      : significantWords(words, this.localStatistics(), max, minDocumentFrequency);
  }

  /** A searched paragraph's distinct stems, each with its count and first place; `undefined` when not searched. */
  paragraphWords(articleId: string, para: number): ParagraphWord[] | undefined {
    const found = this.findParagraph(articleId, para);
    if (found === undefined) return undefined;
    const words = new Map<string, ParagraphWord>();
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
    return [...words.values()];
  }

  /** Where a searched paragraph is: its segment (and its place in `segments`) and document number. */
  private findParagraph(
    articleId: string,
    para: number,
    segments: readonly Segment[] = this.segmentSet.searched(),
  ): { segment: Segment; index: number; doc: number } | undefined {
    for (const [index, segment] of segments.entries()) {
      for (const doc of segment.documentsOf(articleId)) {
        if (segment.isLive(doc) && segment.para(doc) === para) return { segment, index, doc };
      }
    }
    return undefined;
  }

  /**
   * The query's words to score: all of them, or, past {@link MAX_SCORED_WORDS}, the required ones, the
   * phrases' and the rarest of the others (by how many paragraphs hold their stem).
   */
  private scoredWords(
    query: ParsedQuery,
    statistics: CorpusStatistics,
  ): { words: QueryWord[]; partial: boolean } {
    const words = positiveWords(query);
    if (words.length <= MAX_SCORED_WORDS) return { words, partial: false };
    const kept = new Set([...query.required, ...query.phrases.flat()].map(wordKey));
    const frequency = (word: QueryWord) => statistics.documentFrequency(word.stem, FIELD.textStem);
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

  /**
   * What proximity adds to the scores of the best {@link RankingOptions.rerankDepth}: how close together
   * the query's words occur in each.
   */
  private proximityBonuses(
    ranked: readonly ScoredDocument[],
    segments: readonly Segment[],
    plan: QueryPlan,
  ): number[] {
    const { proximityWeight, rerankDepth } = this.ranking;
    const idf = plan.wordDocumentFrequency.map((df) => bm25Idf(df, plan.documentCount));
    // A matcher looks up every form's terms: made only for the segments the best hits are in.
    const matchers: ReturnType<Segment['wordMatcher']>[] = [];
    return ranked.slice(0, rerankDepth).map((hit) => {
      const matcher = (matchers[hit.segment] ??= segments[hit.segment]!.wordMatcher(plan.words));
      return proximityWeight * proximityScore(matcher(hit.doc), idf);
    });
  }

  /**
   * The words a query is searched with, for an archive of these statistics: the rarest
   * {@link MAX_SCORED_WORDS}, with their synonyms and, where typed wrong, their corrections.
   */
  resolveWords(query: ParsedQuery, statistics: CorpusStatistics, literal = false): ResolvedWords {
    return this.resolveScored(this.scoredWords(query, statistics), statistics, literal);
  }

  private resolveScored(
    scored: { words: QueryWord[]; partial: boolean },
    statistics: CorpusStatistics,
    literal: boolean,
  ): ResolvedWords {
    if (literal) return { words: scored.words, suggestions: new Map(), partial: scored.partial };
    const expanded = this.synonyms.expand(scored.words, this.ranking.synonymWeight);
    return { ...this.corrected(expanded, statistics), partial: scored.partial };
  }

  /** Words with their synonyms, and the corrections the statistics find for them (see {@link correctWords}). */
  private corrected(expanded: readonly QueryWord[], statistics: CorpusStatistics): CorrectedWords {
    const { typoWeight, typoLengths } = this.ranking;
    return correctWords(expanded, statistics, typoWeight, typoLengths, this.analysis);
  }

  /**
   * The look-ups worth asking before the archive's frequencies are known: those of words this node's own
   * segments (a sample of the archive) do not make clearly too frequent to correct. A word left out and
   * rare after all is looked up in a second round trip.
   */
  private likelyCorrected(requests: NearRequest[], documentCount: number): NearRequest[] {
    const local = this.localStatistics();
    if (local.documentCount === 0) return requests;
    const limit = 2 * rareLimit(documentCount);
    return requests.filter(
      ({ typed }) => (typedFrequency(local, typed) * documentCount) / local.documentCount <= limit,
    );
  }

  /**
   * What a cluster gathers from its shards, round trip after round trip, before it resolves a query's
   * words and has them searched ({@link GatheredStatistics}): first the words' own frequencies, then
   * what planning them and correcting them asks, then what planning the corrections asks. Empty (no
   * further round) once everything is known.
   */
  statisticsRequest(
    query: ParsedQuery,
    gathered: GatheredStatistics,
    literal = false,
    documentCountHint?: number,
  ): StatisticsRequest {
    const { typoWeight, typoLengths, synonymWeight } = this.ranking;
    if (gathered.rounds === 0) {
      // Everything the words may need, in one round trip: their own frequencies (which words are scored
      // and corrected), the plan of every word and synonym, and, once the archive's size is known from
      // an earlier search, the near terms of the words that may be rare enough to correct.
      const words = positiveWords(query);
      const expanded = literal ? words : this.synonyms.expand(words, synonymWeight);
      const plan = planStatisticsRequest(expanded, this.ranking);
      const near =
        literal || documentCountHint === undefined
          ? []
          : this.likelyCorrected(
              correctionCandidates(expanded, typoWeight, typoLengths),
              documentCountHint,
            ).map((request) => ({ ...request, skipAbove: rareLimit(documentCountHint * 1.05 + 1_000) }));
      const known = new Set(plan.terms!.map(([term, field]) => `${field} ${term}`));
      const terms = words
        .flatMap((word): [string, Field][] => [
          [word.stem, FIELD.textStem],
          [word.exact, FIELD.text],
          [word.exact, FIELD.title],
        ])
        .filter(([term, field]) => !known.has(`${field} ${term}`));
      return { ...plan, terms: [...plan.terms!, ...terms], near };
    }
    const { words } = this.scoredWords(query, gathered);
    if (literal) return planStatisticsRequest(words, this.ranking, gathered);
    // Near terms of the words the archive's frequencies make rare, not gathered yet; once they are,
    // what planning the corrections asks.
    const expanded = this.synonyms.expand(words, synonymWeight);
    const near = correctionLookUps(expanded, gathered, typoWeight, typoLengths).filter(
      (request) => !gathered.knowsNear(request),
    );
    if (near.length > 0) return { near };
    return planStatisticsRequest(this.corrected(expanded, gathered).words, this.ranking, gathered);
  }
}

/** A distinct stem of a paragraph: its first form, how often it occurs, where first. */
export interface ParagraphWord {
  word: QueryWord;
  count: number;
  first: number;
}

/**
 * A paragraph's most telling words ("more like this", as Lucene's `MoreLikeThis`): those held by at
 * least `minDocumentFrequency` paragraphs of the archive, ranked by tf-idf, the best `max` in their
 * order in the paragraph.
 */
export function significantWords(
  words: readonly ParagraphWord[],
  statistics: CorpusStatistics,
  max: number,
  minDocumentFrequency = 2,
): QueryWord[] {
  return words
    .map((entry) => ({ ...entry, frequency: statistics.documentFrequency(entry.word.stem, FIELD.textStem) }))
    .filter(({ frequency }) => frequency >= minDocumentFrequency)
    .map((entry) => ({
      ...entry,
      weight: Math.sqrt(entry.count) * bm25Idf(entry.frequency, statistics.documentCount),
    }))
    .sort((a, b) => b.weight - a.weight || a.first - b.first)
    .slice(0, max)
    .sort((a, b) => a.first - b.first)
    .map(({ word }) => word);
}

/**
 * Hits with proximity bonuses re-ranked: the first `bonuses.length` gain theirs and are sorted again
 * (stably: equal scores keep their BM25 order); the rest follow as they were.
 */
export function rerank<T extends { score: number }>(hits: readonly T[], bonuses: readonly number[]): T[] {
  const top = hits.slice(0, bonuses.length).map((hit, at) => ({ ...hit, score: hit.score + bonuses[at]! }));
  top.sort((a, b) => b.score - a.score);
  return [...top, ...hits.slice(bonuses.length)];
}

function signatureAt({ segment, doc }: { segment: Segment; doc: number }): Signature {
  return segment.signature(doc);
}
