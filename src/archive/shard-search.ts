/** A node's part of a clustered search: its shards' statistics, candidates and whole hits, as asked. */
import { ArshifError } from '../errors.js';
import {
  answerStatistics,
  Deadline,
  type EngineHit,
  GatheredStatistics,
  type StatisticsAnswer,
} from '../search/engine.js';
import type { Archive } from './archive.js';
import type { UnmarkedHit } from './archive-search.js';
import type { ArticleEntry } from './catalogue.js';
import {
  type CandidateEntry,
  finalOrder,
  type ShardCandidate,
  type ShardClient,
  type ShardFetchAnswer,
  type ShardFetchRequest,
  type ShardNearestAnswer,
  type ShardNearestRequest,
  type ShardParagraphAnswer,
  type ShardParagraphRequest,
  type ShardFilters,
  type ShardSearchAnswer,
  type ShardSearchRequest,
  type ShardStatisticsRequest,
  wireSignature,
} from './shard-protocol.js';
import { dayKey } from './catalogue.js';
import { MAX_K } from './search-options.js';
import { markedWords, marksTier } from './vowel-marks.js';

/**
 * Longest a node waits to apply the write a request is asked `after`, before it answers `BEHIND`: the
 * coordinator then asks another node holding the same shards.
 */
export const SHARD_AFTER_WAIT_MS = 5_000;

/**
 * Answers a coordinator's requests from the archive of one node (the shards it holds): statistics
 * from its segments, candidates ranked by the whole archive's statistics, whole hits of a page.
 */
export class ShardSearch implements ShardClient {
  readonly inProcess = true;

  constructor(
    readonly id: string,
    private readonly archive: Archive,
    /** Resolves to whether the node applied the write at a position within the time given. */
    private readonly waitFor: (position: string, timeoutMs: number) => Promise<boolean> = async () => true,
  ) {}

  async statistics({ after, request }: ShardStatisticsRequest): Promise<StatisticsAnswer> {
    await this.caughtUp(after);
    return answerStatistics(this.archive.engine.searcher.localStatistics(), request);
  }

  async search(request: ShardSearchRequest): Promise<ShardSearchAnswer> {
    checkCount('count', request.count, MAX_CANDIDATES);
    checkCount('watch', request.watch?.length ?? 0, MAX_K);
    checkCount('wholeHits', request.wholeHits ?? 0, MAX_CANDIDATES);
    await this.caughtUp(request.after);
    const { searcher } = this.archive.engine;
    const answers = this.archive.answers;
    const accept = this.acceptFor(request.filters);
    const facets = request.facets === undefined ? undefined : answers.facetCounts(request.facets);
    const entryOf = (id: string) => this.archive.catalogue.searchedEntry(id);
    const found = searcher.search(request.query, {
      count: request.count,
      deadline: Deadline.after(request.timeLimitMs),
      literal: request.literal,
      statistics: GatheredStatistics.fromJSON(request.statistics),
      words: { ...request.words, suggestions: new Map(request.words.suggestions) },
      rerankLater: true,
      ...(request.watch === undefined ? {} : { watch: request.watch }),
      ...(accept === undefined ? {} : { accept }),
      ...(facets === undefined ? {} : { eachArticle: (id: string) => facets.countEntry(entryOf(id)) }),
      ...(request.byDate ? { articleKey: (id: string) => dayKey(entryOf(id)?.day) } : {}),
    });
    const similarityOf =
      request.vector === undefined ? undefined : searcher.similarityTo(Float32Array.from(request.vector));
    const marked = request.marks === undefined ? [] : markedWords(request.marks, searcher.analysis);
    const candidates = found.hits.map((hit) => {
      const candidate = this.candidate(hit, request.collapse, request.entries);
      if (similarityOf !== undefined) {
        const own = searcher.vectorOf(hit);
        candidate.similarity = own === undefined ? null : similarityOf(own);
      }
      if (marked.length > 0) {
        const text = answers.paragraphText(hit.articleId, hit.para);
        candidate.tier = text === undefined ? 0 : marksTier(marked, text, searcher.analysis);
      }
      return candidate;
    });
    if ((request.wholeHits ?? 0) > 0) this.makeWhole(candidates, request, request.wholeHits!);
    return {
      hits: candidates,
      total: found.total,
      totalExact: found.totalExact,
      ...(found.timedOut ? { timedOut: true as const } : {}),
      ...(facets === undefined ? {} : { facets: facets.raw() }),
      ...(found.watchedMatch === undefined ? {} : { watchedMatch: found.watchedMatch }),
    };
  }

  /**
   * Makes whole the best `count` candidates as this node ranks them alone (proximity, vowel marks, equal
   * scores by article), as a coordinator will most often put them on the page.
   */
  private makeWhole(candidates: ShardCandidate[], request: ShardSearchRequest, count: number): void {
    const { proximityWeight, rerankDepth } = this.archive.engine.searcher.ranking;
    const ranked = finalOrder(
      candidates.map((candidate) => ({ ...candidate, candidate })),
      {
        reranks: !request.byDate && proximityWeight > 0 && request.words.words.length >= 2,
        rerankDepth,
        marks: request.marks !== undefined,
        byDate: request.byDate,
      },
    );
    for (const { candidate } of ranked.slice(0, count)) {
      const whole = this.wholeHit(candidate);
      if (whole !== undefined) candidate.whole = whole;
    }
  }

  /**
   * A found paragraph as a whole hit, its words not marked, from the version searched; `undefined`
   * when it was removed or replaced since it was found (the coordinator then leaves it out).
   */
  private wholeHit(hit: { articleId: string; para: number; score: number }): UnmarkedHit | undefined {
    const { catalogue, answers } = this.archive;
    const entry = catalogue.searchedEntry(hit.articleId);
    const paragraph = catalogue.paragraphOf(hit.articleId, entry, hit.para);
    return paragraph === undefined ? undefined : answers.unmarkedHit(hit, entry, paragraph);
  }

  async nearest(request: ShardNearestRequest): Promise<ShardNearestAnswer> {
    checkCount('k', request.k, MAX_K);
    await this.caughtUp(request.after);
    const accept = this.acceptFor(request.filters);
    const deadline = Deadline.after(request.timeLimitMs);
    const hits = this.archive.engine.searcher.searchVector(Float32Array.from(request.vector), {
      count: request.k,
      exact: request.exact,
      deadline,
      ...(accept === undefined ? {} : { accept }),
    });
    return {
      hits: hits.map((hit) => this.candidate(hit, request.collapse, request.entries)),
      ...(deadline.wasReached ? { timedOut: true as const } : {}),
    };
  }

  async fetch(request: ShardFetchRequest): Promise<ShardFetchAnswer> {
    await this.caughtUp(request.after);
    const { catalogue, answers } = this.archive;
    const hits = request.hits.map((hit) => this.wholeHit(hit) ?? null);
    const copies = request.copies.map((copy) =>
      catalogue.searchedEntry(copy.articleId) === undefined ? null : answers.copyOf(copy),
    );
    return { hits, copies };
  }

  async paragraph({ after, articleId, para }: ShardParagraphRequest): Promise<ShardParagraphAnswer> {
    await this.caughtUp(after);
    const { catalogue } = this.archive;
    const { searcher } = this.archive.engine;
    const article = catalogue.articleOf(articleId, catalogue.latestEntry(articleId));
    if (article === undefined) return { found: false };
    const signature = searcher.paragraphSignature(articleId, para);
    const vector = searcher.paragraphVector(articleId, para);
    return {
      found: true,
      paragraphs: article.paragraphs.length,
      ...(signature === undefined ? {} : { signature: wireSignature(signature) }),
      ...(vector === undefined ? {} : { vector: [...vector] }),
      words: searcher.paragraphWords(articleId, para) ?? [],
    };
  }

  /** A search's filters, and the article whose related paragraphs are asked for left out. */
  private acceptFor(filters: ShardFilters): ((articleId: string) => boolean) | undefined {
    const accept = this.archive.answers.filterFor(filters);
    const { excludeArticle } = filters;
    if (excludeArticle === undefined) return accept;
    return (articleId) => articleId !== excludeArticle && (accept === undefined || accept(articleId));
  }

  private candidate(hit: EngineHit, collapse: boolean, entries: boolean): ShardCandidate {
    const candidate: ShardCandidate = { articleId: hit.articleId, para: hit.para, score: hit.score };
    if (hit.proximity !== undefined) candidate.proximity = hit.proximity;
    if (collapse) candidate.signature = wireSignature(this.archive.engine.searcher.signatureOf(hit));
    if (entries) {
      const entry = this.archive.catalogue.searchedEntry(hit.articleId);
      if (entry !== undefined) candidate.entry = candidateEntry(entry);
    }
    return candidate;
  }

  private async caughtUp(after: string | undefined): Promise<void> {
    if (after === undefined || (await this.waitFor(after, SHARD_AFTER_WAIT_MS))) return;
    throw new ArshifError('BEHIND', `node ${this.id} has not applied the write at position ${after} yet`);
  }
}

/**
 * Candidates a node is asked for, at most: a page at the deepest offset, with copies to group among
 * (`MAX_OFFSET` + `MAX_LIMIT`, five times over, within `COLLAPSE_DEPTH`), or a blend's.
 */
const MAX_CANDIDATES = 20_000;

/** Refuses a count a coordinator never asks for (`BAD_PARAMETER`): it would only cost the node. */
function checkCount(name: string, value: unknown, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new ArshifError(
      'BAD_PARAMETER',
      `${name} must be an integer from 0 to ${max}, got ${String(value)}`,
    );
  }
}

function candidateEntry({ day, source, sourceName, section, sectionName }: ArticleEntry): CandidateEntry {
  const entry: CandidateEntry = { day, source, sourceName, section, sectionName };
  for (const key of Object.keys(entry) as (keyof CandidateEntry)[]) {
    if (entry[key] === undefined) delete entry[key];
  }
  return entry;
}
