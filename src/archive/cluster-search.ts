/**
 * A search across the shards of a cluster: the archive's statistics gathered first, every node's best
 * candidates merged and re-ranked as one archive ranks its own, then the page's whole hits fetched.
 */
import { hasVowelMarks } from '../analysis/diacritics.js';
import { ArshifError } from '../errors.js';
import {
  Deadline,
  FIELD,
  GatheredStatistics,
  groupCopies,
  type ParsedQuery,
  parseQuery,
  type QueryWord,
  relaxPhrases,
  type Searcher,
  significantWords,
  type StatisticsRequest,
  type WordVariant,
} from '../search/engine.js';
import {
  type ArchiveSearch,
  byArticle,
  byDay,
  checkQueryVector,
  collapseDepth,
  checkRelatedParagraph,
  dropCopiesOf,
  foundNearest,
  type Copy,
  type Hit,
  moreLikeThis,
  RELATED_WORDS,
  type RelatedOptions,
  type RelatedResponse,
  relatedNeighbours,
  resolveRelatedOptions,
  type SearchResponse,
  settleTies,
  suggestQuery,
  type UnmarkedHit,
} from './archive-search.js';
import { dayKey } from './catalogue.js';
import { FacetCounts } from './facet-counts.js';
import { blendRankings } from './hybrid-blend.js';
import {
  HYBRID_CANDIDATES,
  resolveSearchOptions,
  type ResolvedSearchOptions,
  type SearchOptions,
} from './search-options.js';
import {
  finalOrder,
  type ShardCandidate,
  type ShardClient,
  type ShardFilters,
  signatureFromWire,
} from './shard-protocol.js';
import { shardOf, type ShardSet } from './shards.js';

/** The nodes a search asks: one holder of each shard, and the shards none could answer for. */
export interface ShardRoute {
  /** Nodes whose shard sets are disjoint: each is asked for everything it holds. */
  clients: ShardClient[];
  /** The shards each holds, as `clients`. */
  shards: ShardSet[];
  /** Shards no live node among those asked holds: the answer is `partial`. */
  missing: number[];
}

/** What a {@link ClusterSearch} works with. */
export interface ClusterSearchParts {
  /** This node's answers: its searcher's analysis, ranking and synonyms are the cluster's. */
  local: ArchiveSearch;
  searcher: Searcher;
  /** The nodes to ask, leaving out those that just failed. */
  route: (excluded: ReadonlySet<string>) => Promise<ShardRoute>;
  /** The dimension of the archive's vectors, once it has one. */
  vectorDimensions: () => number | undefined;
  /** Called after each request to a node, for metrics. */
  observe?: (kind: ShardRequestKind, node: string, seconds: number, failed: boolean) => void;
}

/** The requests a coordinator makes of a node. */
export type ShardRequestKind = 'statistics' | 'search' | 'nearest' | 'fetch' | 'paragraph';

/** A search of the cluster may add a write's position its nodes must have applied (read your writes). */
export interface ClusterSearchOptions extends SearchOptions {
  after?: string;
}

/** Related paragraphs in a cluster, as {@link ClusterSearchOptions} for a search. */
export interface ClusterRelatedOptions extends RelatedOptions {
  after?: string;
}

/** A candidate and the node that found it. */
interface Candidate extends ShardCandidate {
  node: number;
}

/** What a search found over the cluster, before it is paged. */
interface Found {
  hits: Candidate[];
  total: number;
  totalExact: boolean;
  partial?: true;
  timedOut?: true;
  relaxed?: true;
  words: QueryWord[];
  suggestions: Map<number, WordVariant>;
  unmatched?: Candidate[];
  facets?: FacetCounts;
  /** Whether each neighbour watched matches the words (see `EngineSearchOptions.watch`). */
  watchedMatch?: boolean[];
}

/** One search over the nodes of a route. */
interface Fanout {
  resolved: ResolvedSearchOptions;
  clients: ShardClient[];
  after?: string;
  deadline: Deadline;
  filters: ShardFilters;
}

/**
 * Round trips of statistics a search makes at most: the words and their plans; the near terms of rare
 * words (when the archive grew past what the first round assumed); the plans of their corrections.
 */
const MAX_STATISTICS_ROUNDS = 3;

/** How many times a search is tried again, on other nodes, when a node fails while answering it. */
const RETRIES = 2;

/**
 * Answers searches over a cluster whose nodes each hold some shards (see `shards.ts`), as Elasticsearch's
 * "DFS query then fetch": the archive-wide BM25 statistics are gathered from the nodes first, so that
 * every node scores as one archive holding all the articles would; each node's best candidates are
 * merged and re-ranked by proximity as one archive re-ranks its best; copies are grouped and the page's
 * hits fetched from the nodes that hold them. A cluster's hits and scores are one archive's.
 *
 * - A node that fails is left out and the search asked again of the others (another holder of its
 *   shards, when there is one); shards no live node holds make the answer `partial`.
 */
export class ClusterSearch {
  /** The archive's paragraphs as of the last search: what the first round of the next one plans by. */
  private documentCount: number | undefined;

  constructor(private readonly parts: ClusterSearchParts) {}

  async search(query: string, options: ClusterSearchOptions = {}): Promise<SearchResponse> {
    const started = performance.now();
    const { after, ...searchOptions } = options;
    const resolved = resolveSearchOptions(query, searchOptions);
    const { vector } = resolved;
    if (vector !== undefined) {
      checkQueryVector(vector.values, this.parts.vectorDimensions(), this.parts.searcher.vectorSimilarity);
    }
    this.parts.local.refreshSynonyms();
    return this.onSomeNodes(resolved, after, async (fanout, route) => {
      const response = await this.answer(query, fanout, started);
      if (route.missing.length > 0) response.partial = true;
      return response;
    });
  }

  /**
   * Paragraphs of other articles close to one, over the cluster (see `ArchiveSearch.related`): the
   * paragraph is asked of the node holding it, then its vector's neighbours, or its most telling words
   * (ranked by the archive's statistics), are searched on every node.
   */
  async related(id: string, para: number, options: ClusterRelatedOptions = {}): Promise<RelatedResponse> {
    const started = performance.now();
    const { after, ...relatedOptions } = options;
    return this.onSomeNodes(undefined, after, async (fanout, route) => {
      const holder = route.shards.findIndex((shards) => shards.holds(id));
      if (holder === -1) {
        throw new ArshifError(
          'UNAVAILABLE',
          `no live node holds shard ${shardOf(id)}, where article "${id}" is`,
        );
      }
      const client = fanout.clients[holder]!;
      const paragraph = await this.call(client, 'paragraph', () =>
        client.paragraph({ articleId: id, para, ...(after === undefined ? {} : { after }) }),
      );
      checkRelatedParagraph(
        id,
        para,
        paragraph.found ? paragraph.paragraphs : undefined,
        !paragraph.found || paragraph.signature === undefined,
      );
      if (!paragraph.found || paragraph.signature === undefined) throw new Error('bug: checked above');
      const { resolved, exact } = resolveRelatedOptions(relatedOptions);
      const wanted = resolved.offset + resolved.limit;
      const { vector } = paragraph;
      // Copies of the paragraph are found by their signatures, collapsed or not.
      const finding: Fanout = {
        ...fanout,
        resolved: {
          ...resolved,
          collapse: true,
          ...(vector === undefined
            ? {}
            : {
                vector: {
                  values: Float32Array.from(vector),
                  k: relatedNeighbours(wanted),
                  semanticRatio: 0,
                  exact,
                },
              }),
        },
        deadline: Deadline.after(resolved.timeLimitMs),
        filters: { ...filtersOf(resolved), excludeArticle: id },
      };
      let found: Found;
      let words: QueryWord[] = [];
      if (vector !== undefined) found = await this.findNearest(finding);
      else {
        const statistics = new GatheredStatistics();
        const request: StatisticsRequest = {
          terms: paragraph.words.map(({ word }) => [word.stem, FIELD.textStem]),
        };
        statistics.add(
          request,
          await this.ask(finding, 'statistics', (asked) => asked.statistics({ request })),
        );
        words = significantWords(paragraph.words, statistics, RELATED_WORDS);
        found =
          words.length === 0
            ? { hits: [], total: 0, totalExact: true, words: [], suggestions: new Map() }
            : await this.findParsed('', moreLikeThis(words), finding, false, true);
      }
      dropCopiesOf(found, signatureFromWire(paragraph.signature), (hit) =>
        hit.signature === undefined ? undefined : signatureFromWire(hit.signature),
      );
      const answer = await this.respond('', found, { ...finding, resolved }, started);
      if (route.missing.length > 0) answer.partial = true;
      const { query: _query, ...rest } = answer;
      return {
        id,
        para,
        by: vector === undefined ? ('words' as const) : ('vector' as const),
        ...(vector === undefined ? { words: words.map((word) => word.exact) } : {}),
        ...rest,
      };
    });
  }

  /**
   * Runs `work` over the nodes of a route; when a node fails, again without it (at most
   * {@link RETRIES} times), so that another holder of its shards answers.
   */
  private async onSomeNodes<T>(
    resolved: ResolvedSearchOptions | undefined,
    after: string | undefined,
    work: (fanout: Fanout, route: ShardRoute) => Promise<T>,
  ): Promise<T> {
    const excluded = new Set<string>();
    for (let attempt = 0; ; attempt += 1) {
      const route = await this.parts.route(excluded);
      const fanout: Fanout = {
        resolved: resolved ?? resolveSearchOptions(undefined, {}),
        clients: route.clients,
        deadline: Deadline.after(resolved?.timeLimitMs),
        filters: resolved === undefined ? {} : filtersOf(resolved),
        ...(after === undefined ? {} : { after }),
      };
      try {
        return await work(fanout, route);
      } catch (error) {
        if (!(error instanceof NodeFailure) || attempt >= RETRIES) throw unwrap(error);
        excluded.add(error.node);
      }
    }
  }

  private async answer(query: string, fanout: Fanout, started: number): Promise<SearchResponse> {
    const { resolved } = fanout;
    const { vector } = resolved;
    const parsed = parseQuery(query, this.parts.searcher.analysis);
    let found: Found;
    // A blend weighing the vector at 0 ranks (and counts) as the words alone; at 1, as the vector alone.
    if (vector === undefined || (vector.semanticRatio === 0 && query !== ''))
      found = await this.findWords(query, parsed, fanout);
    else {
      const nearest = await this.findNearest(fanout);
      if (query === '' || vector.semanticRatio === 1) found = nearest;
      else {
        // The nodes watch the neighbours: one that matches the words is counted once.
        found = blendRankings<Candidate, Found>(
          await this.findWords(query, parsed, fanout, true, nearest.hits),
          nearest,
          (hit) => hit.similarity ?? undefined,
          vector.semanticRatio,
        );
      }
      if (resolved.sort === 'date') {
        const days = new Map(found.hits.map((hit) => [hit.articleId, dayKey(hit.entry?.day)]));
        found.hits = byDay(found.hits, (id) => days.get(id) ?? -1);
      }
    }
    return this.respond(query, found, fanout, started);
  }

  /** The archive's statistics for a query, gathered from every node in as many round trips as it needs. */
  private async gather(parsed: ParsedQuery, fanout: Fanout, literal: boolean): Promise<GatheredStatistics> {
    const gathered = new GatheredStatistics();
    // Usually one round: the words, their plans and, the archive's size known from the last search, the
    // near terms of those that may be typing errors; then what corrections need, when there are some.
    while (gathered.rounds < MAX_STATISTICS_ROUNDS) {
      const request = this.parts.searcher.statisticsRequest(parsed, gathered, literal, this.documentCount);
      if (gathered.rounds > 0 && isEmpty(request)) break;
      const answers = await this.ask(fanout, 'statistics', (client) =>
        client.statistics({ request, ...(fanout.after === undefined ? {} : { after: fanout.after }) }),
      );
      gathered.add(request, answers);
    }
    this.documentCount = gathered.documentCount;
    return gathered;
  }

  private async findWords(
    query: string,
    parsed: ParsedQuery,
    fanout: Fanout,
    blended = false,
    watch?: readonly Candidate[],
  ): Promise<Found> {
    let found = await this.findParsed(query, parsed, fanout, blended, false, watch);
    if (found.total === 0 && parsed.phrases.length > 0 && !fanout.deadline.wasReached) {
      const relaxed = await this.findParsed(query, relaxPhrases(parsed), fanout, blended, false, watch);
      found = { ...relaxed, relaxed: true };
    }
    return found;
  }

  /** The paragraphs that match a parsed query over every node, merged and re-ranked as one archive's. */
  private async findParsed(
    query: string,
    parsed: ParsedQuery,
    fanout: Fanout,
    blended: boolean,
    literal = false,
    /** A vector's neighbours, to tell which match (see `EngineSearchOptions.watch`). */
    watch?: readonly Candidate[],
  ): Promise<Found> {
    const { resolved } = fanout;
    const { searcher } = this.parts;
    const facets = resolved.facets === undefined ? undefined : new FacetCounts(resolved.facets);
    const gathered = await this.gather(parsed, fanout, literal);
    const resolvedWords = searcher.resolveWords(parsed, gathered, literal);
    const { words, suggestions } = resolvedWords;
    if (words.length === 0 || gathered.documentCount === 0) {
      return { hits: [], total: 0, totalExact: true, words, suggestions, ...(facets ? { facets } : {}) };
    }
    const wanted = resolved.offset + resolved.limit;
    let count = resolved.collapse ? collapseDepth(wanted) : wanted;
    if (blended) count = Math.max(count, HYBRID_CANDIDATES);
    const byDate = resolved.sort === 'date' && !blended;
    const marks = resolved.sort !== 'date' && hasVowelMarks(query);
    const { proximityWeight, rerankDepth } = searcher.ranking;
    const reranks = proximityWeight > 0 && words.length >= 2 && !byDate;
    // One archive's best `depth` by score (or day, then score), the best `rerankDepth` of them re-ranked.
    const depth = reranks ? Math.max(count, rerankDepth) : count;
    const statistics = gathered.toJSON();
    const watched = watch?.map(({ articleId, para }) => ({ articleId, para }));
    const search = (client: ShardClient, sent: number) =>
      client.search({
        query: parsed,
        words: { words, suggestions: [...suggestions], partial: resolvedWords.partial },
        statistics,
        count: sent,
        literal,
        filters: fanout.filters,
        byDate,
        collapse: resolved.collapse,
        entries: byDate || blended,
        // This node's own are made whole once the page is known: asking it costs no round trip.
        wholeHits: blended || client.inProcess ? 0 : resolved.offset + resolved.limit,
        ...(resolved.facets === undefined ? {} : { facets: resolved.facets }),
        ...(blended && resolved.vector !== undefined ? { vector: [...resolved.vector.values] } : {}),
        ...(marks ? { marks: query } : {}),
        ...(watched === undefined ? {} : { watch: watched }),
        ...this.timeLeft(fanout),
        ...(fanout.after === undefined ? {} : { after: fanout.after }),
      });
    // Each node sends its share of the best `depth` with room to spare, not all `depth` of them.
    const sent = shareOfDepth(depth, fanout.clients.length);
    const answers = await this.ask(fanout, 'search', (client) => search(client, sent));
    // In the order each node ranked its own by, equal scores by article: the best `depth` are one archive's.
    const inOrder = byDate
      ? (a: Candidate, b: Candidate) =>
          dayKey(b.entry?.day) - dayKey(a.entry?.day) || b.score - a.score || byArticle(a, b)
      : (a: Candidate, b: Candidate) => b.score - a.score || byArticle(a, b);
    const merge = () =>
      answers.flatMap((answer, node) => answer.hits.map((hit) => ({ ...hit, node }))).sort(inOrder);
    let hits: Candidate[] = merge();
    // A node whose share was too small for the best `depth` (its last candidate sent is among them, so
    // those it kept may be too) is asked again for all `depth`: rare, as shards are cut by a hash.
    const short = shortNodes(hits, answers, sent, depth);
    if (short.length > 0) {
      const again = await this.ask(
        { ...fanout, clients: short.map((node) => fanout.clients[node]!) },
        'search',
        (client) => search(client, depth),
      );
      short.forEach((node, at) => (answers[node] = again[at]!));
      hits = merge();
    }
    hits = finalOrder(hits.slice(0, depth), {
      reranks,
      rerankDepth,
      marks,
      byDate,
    });
    for (const answer of answers) if (answer.facets !== undefined) facets?.addRaw(answer.facets);
    const timedOut = answers.some((answer) => answer.timedOut);
    return {
      hits,
      total: answers.reduce((sum, answer) => sum + answer.total, 0),
      totalExact: answers.every((answer) => answer.totalExact) && !timedOut,
      words,
      suggestions,
      ...(resolvedWords.partial || timedOut ? { partial: true as const } : {}),
      ...(timedOut ? { timedOut: true as const } : {}),
      ...(facets === undefined ? {} : { facets }),
      ...(watch === undefined
        ? {}
        : {
            watchedMatch: watch.map((_, at) => answers.some((answer) => answer.watchedMatch?.[at] === true)),
          }),
    };
  }

  /** The paragraphs nearest the query vector over every node: each node's nearest, the best `k` kept. */
  private async findNearest(fanout: Fanout): Promise<Found> {
    const { resolved } = fanout;
    const vector = resolved.vector!;
    const answers = await this.ask(fanout, 'nearest', (client) =>
      client.nearest({
        vector: [...vector.values],
        k: vector.k,
        exact: vector.exact,
        filters: fanout.filters,
        collapse: resolved.collapse,
        entries: resolved.sort === 'date' || resolved.facets !== undefined,
        ...this.timeLeft(fanout),
        ...(fanout.after === undefined ? {} : { after: fanout.after }),
      }),
    );
    const hits = answers
      .flatMap((answer, node) => answer.hits.map((hit) => ({ ...hit, node })))
      .sort((a, b) => b.score - a.score || byArticle(a, b))
      .slice(0, vector.k);
    settleTies(hits);
    return {
      ...foundNearest(
        hits,
        answers.some((answer) => answer.timedOut),
      ),
      ...(resolved.facets === undefined ? {} : { facets: new FacetCounts(resolved.facets) }),
    };
  }

  /** A page of what the cluster found: copies grouped, whole hits fetched from their nodes. */
  private async respond(
    query: string,
    found: Found,
    fanout: Fanout,
    started: number,
  ): Promise<SearchResponse> {
    const { resolved } = fanout;
    const wanted = resolved.offset + resolved.limit;
    const grouped = resolved.collapse ? Math.min(found.hits.length, collapseDepth(wanted)) : 0;
    const groups = [
      ...groupCopies(
        found.hits
          .slice(0, grouped)
          .map((hit) => (hit.signature === undefined ? undefined : signatureFromWire(hit.signature))),
      ),
      ...found.hits.slice(grouped).map((_, at) => [grouped + at]),
    ].slice(resolved.offset, wanted);
    const hits = await this.fetchPage(groups, found, fanout);
    const response: SearchResponse = { query, total: found.total, tookMs: 0, hits };
    if (!found.totalExact) response.totalExact = false;
    if (found.relaxed) response.relaxed = true;
    const suggestion = suggestQuery(query, found, hits, this.parts.searcher.analysis);
    if (suggestion !== undefined) response.suggestion = suggestion;
    if (found.partial) response.partial = true;
    if (found.timedOut) response.timedOut = true;
    if (found.facets !== undefined) {
      // The nodes counted the words' matches; a vector's neighbours are counted here.
      for (const hit of found.unmatched ?? []) found.facets.countEntry(hit.entry);
      response.facets = found.facets.result();
    }
    response.tookMs = performance.now() - started;
    return response;
  }

  /** The whole hits of a page's groups (their first member), with their copies, from the nodes holding them. */
  private async fetchPage(groups: readonly number[][], found: Found, fanout: Fanout): Promise<Hit[]> {
    const wanted = new Map<number, { hits: Candidate[]; copies: Candidate[] }>();
    const of = (node: number) => {
      let asked = wanted.get(node);
      if (asked === undefined) wanted.set(node, (asked = { hits: [], copies: [] }));
      return asked;
    };
    const fetched = new Map<Candidate, Hit | Copy | null>();
    const mark = (hit: UnmarkedHit) => this.parts.local.markHit(hit, found.words);
    // What the nodes sent whole is used as it is (with the archive's score); only the rest is fetched.
    for (const [first, ...rest] of groups) {
      const leader = found.hits[first!]!;
      if (leader.whole !== undefined) fetched.set(leader, mark({ ...leader.whole, score: leader.score }));
      else of(leader.node).hits.push(leader);
      for (const at of rest) {
        const copy = found.hits[at]!;
        const { whole } = copy;
        if (whole !== undefined) {
          fetched.set(copy, {
            id: whole.id,
            para: whole.para,
            source: whole.source,
            published: whole.published,
          });
        } else of(copy.node).copies.push(copy);
      }
    }
    if (wanted.size === 0) return this.assemblePage(groups, found, fetched);
    const asked = [...wanted];
    const answers = await this.ask(
      { ...fanout, clients: asked.map(([node]) => fanout.clients[node]!) },
      'fetch',
      (client) => {
        const { hits, copies } = asked.find(([node]) => fanout.clients[node] === client)![1];
        return client.fetch({
          hits: hits.map(({ articleId, para, score }) => ({ articleId, para, score })),
          copies: copies.map(({ articleId, para }) => ({ articleId, para })),
          ...(fanout.after === undefined ? {} : { after: fanout.after }),
        });
      },
    );
    asked.forEach(([, { hits, copies }], at) => {
      hits.forEach((hit, place) => {
        const whole = answers[at]!.hits[place];
        fetched.set(hit, whole === null || whole === undefined ? null : mark(whole));
      });
      copies.forEach((copy, place) => fetched.set(copy, answers[at]!.copies[place] ?? null));
    });
    return this.assemblePage(groups, found, fetched);
  }

  /** The page's hits, each with its copies, from what was fetched; a paragraph gone since is left out. */
  private assemblePage(
    groups: readonly number[][],
    found: Found,
    fetched: ReadonlyMap<Candidate, Hit | Copy | null>,
  ): Hit[] {
    const page: Hit[] = [];
    for (const [first, ...rest] of groups) {
      const hit = fetched.get(found.hits[first!]!) as Hit | null;
      if (hit === null || hit === undefined) continue;
      const copies = rest.flatMap((at) => {
        const copy = fetched.get(found.hits[at]!) as Copy | null | undefined;
        return copy === null || copy === undefined ? [] : [copy];
      });
      page.push(copies.length > 0 ? { ...hit, copies } : hit);
    }
    return page;
  }

  /** Asks every node of the route at once; a node that fails fails the search, to be tried without it. */
  private async ask<T>(
    fanout: Fanout,
    kind: ShardRequestKind,
    request: (client: ShardClient) => Promise<T>,
  ): Promise<T[]> {
    const answers = new Array<Promise<T>>(fanout.clients.length);
    // The other nodes' requests go out first; this node's own part, which holds this thread until it is
    // done, once they are on their way.
    fanout.clients.forEach((client, at) => {
      if (!client.inProcess) answers[at] = this.call(client, kind, () => request(client));
    });
    // A node may fail while this thread waits below, before `Promise.all` takes its answer: handled
    // here, its failure is not an unhandled rejection (which ends the process); `Promise.all` still
    // rejects with it.
    for (const answer of answers) answer?.catch(() => undefined);
    if (answers.some((answer) => answer !== undefined)) await new Promise((resolve) => setImmediate(resolve));
    fanout.clients.forEach((client, at) => {
      if (client.inProcess) answers[at] = this.call(client, kind, () => request(client));
    });
    return Promise.all(answers);
  }

  private async call<T>(client: ShardClient, kind: ShardRequestKind, request: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const answer = await request();
      this.parts.observe?.(kind, client.id, (performance.now() - started) / 1000, false);
      return answer;
    } catch (error) {
      this.parts.observe?.(kind, client.id, (performance.now() - started) / 1000, true);
      // A client's mistake is the same on every node: it is the answer, not a node to leave out.
      if (error instanceof ArshifError && error.code === 'BAD_PARAMETER') throw error;
      throw new NodeFailure(client.id, error);
    }
  }

  private timeLeft(fanout: Fanout): { timeLimitMs?: number } {
    const { timeLimitMs } = fanout.resolved;
    if (timeLimitMs === undefined) return {};
    return { timeLimitMs: Math.max(1, Math.round(fanout.deadline.remainingMs())) };
  }
}

/** A node that failed to answer: the search is asked again without it. */
class NodeFailure extends Error {
  constructor(
    readonly node: string,
    readonly failure: unknown,
  ) {
    super(`node ${node} failed: ${failure instanceof Error ? failure.message : String(failure)}`);
  }
}

/** The error a caller sees once retries are spent: a node's own `ArshifError`, or a 503 naming the node. */
function unwrap(error: unknown): unknown {
  if (!(error instanceof NodeFailure)) return error;
  if (error.failure instanceof ArshifError) return error.failure;
  return new ArshifError('UNAVAILABLE', error.message);
}

function filtersOf({ fromDay, toDay, source, section }: ResolvedSearchOptions): ShardFilters {
  return { fromDay, toDay, source, section };
}

/**
 * How many of its best candidates each of `nodes` nodes sends towards one archive's best `depth`: a
 * quarter more than an even share, and ten, as shards are cut by a hash of the article id. A node
 * holds more than that of the best `depth` in about one search in 30,000 (at a depth of 100 over
 * three nodes); it is then asked again (see `shortNodes`).
 */
export function shareOfDepth(depth: number, nodes: number): number {
  return nodes <= 1 ? depth : Math.min(depth, Math.ceil((depth * 1.25) / nodes) + 10);
}

/**
 * The nodes that may hold more of the best `depth` than they sent: they sent all `sent` asked, and
 * the last of them is among the best `depth` of the candidates merged (`hits`, in order).
 */
function shortNodes(
  hits: readonly Candidate[],
  answers: readonly { hits: readonly ShardCandidate[] }[],
  sent: number,
  depth: number,
): number[] {
  if (sent >= depth) return [];
  const lastAt = new Map<number, number>();
  hits.forEach((hit, at) => lastAt.set(hit.node, at));
  // Those it kept come after its last: among the best `depth` when that is before the last place.
  return answers.flatMap((answer, node) =>
    answer.hits.length >= sent && lastAt.get(node)! < depth - 1 ? [node] : [],
  );
}

function isEmpty(request: StatisticsRequest): boolean {
  return Object.values(request).every((asked) => !Array.isArray(asked) || asked.length === 0);
}
