/**
 * What the coordinator of a clustered search asks the nodes holding its shards, and what they answer:
 * plain JSON, the same over HTTP as in one process.
 */
import {
  type GatheredStatisticsJson,
  type ParagraphWord,
  type ParsedQuery,
  type QueryWord,
  rerank,
  type Signature,
  type StatisticsAnswer,
  type StatisticsRequest,
  type WordVariant,
} from '../search/engine.js';
import { type Copy, settleTies, type UnmarkedHit } from './archive-search.js';
import { type ArticleEntry, dayKey } from './catalogue.js';
import type { RawFacetCounts } from './facet-counts.js';
import type { FacetName, ResolvedSearchOptions } from './search-options.js';
import { rescoreByMarks } from './vowel-marks.js';

/** A search's filters, as every shard applies them; paragraphs related to one leave out its article. */
export type ShardFilters = Pick<ResolvedSearchOptions, 'fromDay' | 'toDay' | 'source' | 'section'> & {
  excludeArticle?: string;
};

/** What every request to a node carries. */
export interface ShardRequestBase {
  /** A write's position the node must have applied before it answers (read your writes). */
  after?: string;
}

/** A round of statistics (see `GatheredStatistics`). */
export interface ShardStatisticsRequest extends ShardRequestBase {
  request: StatisticsRequest;
}

/**
 * A paragraph's near-duplicate signature on the wire: its words' hash, and its min-hashes as the hex of
 * their little-endian bytes (one string parses faster than twenty numbers, a hundred times a search).
 */
export interface WireSignature {
  words: string;
  minHashes: string;
}

/** The facts of a hit's article a coordinator needs: its day (to sort by), its facets (to count). */
export type CandidateEntry = Pick<ArticleEntry, 'day' | 'source' | 'sourceName' | 'section' | 'sectionName'>;

/** A paragraph a node found, with what the coordinator needs to rank, group and count it. */
export interface ShardCandidate {
  articleId: string;
  para: number;
  score: number;
  /** What proximity adds when the coordinator re-ranks it (see `EngineSearchOptions.rerankLater`). */
  proximity?: number;
  /** Present when copies are grouped. */
  signature?: WireSignature;
  /** Its vector's similarity to the query vector (`null`: it has none); present in a blend. */
  similarity?: number | null;
  /** Its agreement with the query's vowel marks (see `marksTier`); present when the query has some. */
  tier?: number;
  /** Its article's facts; present when the search sorts by date or counts facets. */
  entry?: CandidateEntry;
  /**
   * The whole hit, for the node's best (see {@link ShardSearchRequest.wholeHits}), its words not marked:
   * the coordinator marks those of the page alone.
   */
  whole?: UnmarkedHit;
}

/** What is asked of each node in a search by words. */
export interface ShardSearchRequest extends ShardRequestBase {
  query: ParsedQuery;
  words: { words: QueryWord[]; suggestions: [number, WordVariant][]; partial: boolean };
  statistics: GatheredStatisticsJson;
  count: number;
  literal: boolean;
  filters: ShardFilters;
  /** Count matches by these facets. */
  facets?: FacetName[];
  /** Rank by the article's day first (newest first), then by score. */
  byDate: boolean;
  /** Send signatures, to group copies. */
  collapse: boolean;
  /** Send each candidate's similarity to this vector (a blend). */
  vector?: number[];
  /** The query, when its vowel marks choose readings: send each candidate's agreement. */
  marks?: string;
  /** Also send each candidate's entry (its day and facets). */
  entries: boolean;
  /** Paragraphs (a vector's neighbours) to tell which match, among the candidates sent or not. */
  watch?: { articleId: string; para: number }[];
  /**
   * Send whole the node's best this many, as it ranks them alone: most often they are the page's, which
   * then needs no further round trip (the others are fetched).
   */
  wholeHits?: number;
  timeLimitMs?: number;
}

/** A node's answer to a search by words. */
export interface ShardSearchAnswer {
  hits: ShardCandidate[];
  total: number;
  totalExact: boolean;
  timedOut?: true;
  facets?: RawFacetCounts;
  /** With `watch`: whether each paragraph watched (that this node holds) matches, in its order. */
  watchedMatch?: boolean[];
}

/** What is asked of each node in a search by vector. */
export interface ShardNearestRequest extends ShardRequestBase {
  vector: number[];
  k: number;
  exact: boolean;
  filters: ShardFilters;
  collapse: boolean;
  entries: boolean;
  timeLimitMs?: number;
}

/** A node's nearest paragraphs, best first. */
export interface ShardNearestAnswer {
  hits: ShardCandidate[];
  timedOut?: true;
}

/** The whole hits of a page and its copies, asked of the nodes that hold them. */
export interface ShardFetchRequest extends ShardRequestBase {
  hits: { articleId: string; para: number; score: number }[];
  copies: { articleId: string; para: number }[];
}

/** The whole hits and copies asked for, in order; `null` for one the node no longer holds. */
export interface ShardFetchAnswer {
  hits: (UnmarkedHit | null)[];
  copies: (Copy | null)[];
}

/** A paragraph asked of the node holding it: what finding paragraphs related to it starts from. */
export interface ShardParagraphRequest extends ShardRequestBase {
  articleId: string;
  para: number;
}

/** The paragraph as its node knows it; `found: false` when the node holds no such article. */
export type ShardParagraphAnswer =
  | { found: false }
  | {
      found: true;
      /** Paragraphs of the article, to say which exist. */
      paragraphs: number;
      /** Absent when the paragraph is blank (not searched). */
      signature?: WireSignature;
      vector?: number[];
      /** Its distinct stems, for a "more like this" query ranked by the archive's statistics. */
      words: ParagraphWord[];
    };

/** A node as a coordinator reaches it: in the same process, or over HTTP. */
export interface ShardClient {
  /** The node's id among the store's nodes. */
  readonly id: string;
  /** Whether it answers in this process (this node's own part): asked after the others. */
  readonly inProcess?: boolean;
  statistics(request: ShardStatisticsRequest): Promise<StatisticsAnswer>;
  search(request: ShardSearchRequest): Promise<ShardSearchAnswer>;
  nearest(request: ShardNearestRequest): Promise<ShardNearestAnswer>;
  fetch(request: ShardFetchRequest): Promise<ShardFetchAnswer>;
  paragraph(request: ShardParagraphRequest): Promise<ShardParagraphAnswer>;
}

/** A signature as sent. */
export function wireSignature({ words, minHashes }: Signature): WireSignature {
  const bytes = new Uint8Array(minHashes.length * 4);
  const view = new DataView(bytes.buffer);
  minHashes.forEach((value, at) => view.setUint32(at * 4, value, true));
  return { words, minHashes: Buffer.from(bytes).toString('hex') };
}

/** A signature as received, for `groupCopies`; throws `TypeError` for one that is not such. */
export function signatureFromWire({ words, minHashes }: WireSignature): Signature {
  if (typeof words !== 'string' || typeof minHashes !== 'string' || minHashes.length % 8 !== 0) {
    throw new TypeError('a signature is {"words": string, "minHashes": hex of 4-byte values}');
  }
  const bytes = Buffer.from(minHashes, 'hex');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // 4 bytes a min-hash, as nodes before 16-bit signatures sent them: their low 16 bits are the
  // min-hashes of now, so that a node of either kind is compared alike here.
  return {
    words,
    minHashes: Uint16Array.from(
      { length: bytes.length / 4 },
      (_, at) => view.getUint32(at * 4, true) & 0xffff,
    ),
  };
}

/** How one archive orders its matches once scored (see {@link finalOrder}). */
export interface FinalOrder {
  /** Whether the best `rerankDepth` are re-ranked by proximity (two words or more, by relevance). */
  reranks: boolean;
  rerankDepth: number;
  /** Whether the query's vowel marks re-score the best. */
  marks: boolean;
  /** Whether they are sorted by day first. */
  byDate: boolean;
}

/**
 * Candidates, in score (or day) order, put in the order one archive puts its matches in: the best
 * `rerankDepth` re-ranked by their proximity bonus, vowel marks agreed with, equal scores by article.
 * What a coordinator does with every node's, and a node with its own to send its best whole.
 */
export function finalOrder<T extends ShardCandidate>(hits: T[], order: FinalOrder): T[] {
  let ranked = hits;
  if (order.reranks && ranked.length >= 2) {
    ranked = rerank(
      ranked,
      ranked.slice(0, order.rerankDepth).map((hit) => hit.proximity ?? 0),
    );
  }
  if (order.marks) ranked = rescoreByMarks(ranked, (hit) => hit.tier ?? 0);
  return settleTies(ranked, order.byDate ? (hit) => dayKey(hit.entry?.day) : undefined);
}
