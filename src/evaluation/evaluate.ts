/** The evaluation run: index an evaluation set's articles, run its queries, measure relevance and speed. */
import { readFile } from 'node:fs/promises';
import { ArshifError } from '../errors.js';
import { Archive } from '../archive/archive.js';
import { type LoadProgress, loadArticleFiles } from '../archive/load-articles.js';
import type { SearchEngineOptions } from '../search/engine.js';
import type { SearchOptions } from '../archive/search-options.js';
import {
  type Judgement,
  meanMetrics,
  quantile,
  type QueryMetrics,
  type RankedHit,
  scoreRanking,
} from './metrics.js';
import { misspell, seededRandom } from './typos.js';

/** A query of an evaluation set. */
export interface EvalQuery {
  qid: string;
  query: string;
  relevant: Judgement[];
  /** The query's embedding, for ranking by vector (see {@link EvaluateOptions.ranking}). */
  vector?: number[];
}

/** Relevance and latency of one run of the queries. */
export interface RunReport extends QueryMetrics {
  queries: number;
  queryP50Ms: number;
  queryP99Ms: number;
}

/** What `eval` prints with `--json`. */
export interface EvalReport extends RunReport {
  indexMs: number;
  /** Ranking by vector: the queries without a vector (ranked by words alone in a blend, else missed). */
  unembedded?: number;
  /**
   * With {@link EvaluateOptions.typoSeed}: the same queries, each with one typing error (see
   * `typos.ts`), and how many could be given one (the others run as written).
   */
  typos?: RunReport & { misspelled: number };
}

/** What to measure besides the queries as written. */
export interface EvaluateOptions {
  /** Also run every query with one typing error drawn with this seed. */
  typoSeed?: number;
  /**
   * How hits are ranked: by the query's `words` (default), by its `vector` alone, or by both blended
   * (`hybrid`, see {@link semanticRatio}), from each query's `vector` (a query without one is ranked
   * by its words alone in a blend, and finds nothing by vector alone).
   */
  ranking?: 'words' | 'vector' | 'hybrid';
  /** For `hybrid`: the vector ranking's share of the blend. Default that of `search`. */
  semanticRatio?: number;
}

/** Reads an evaluation set's queries (JSON Lines `{"qid", "query", "relevant": [{"id", "para"}]}`). */
export async function readQueries(file: string): Promise<EvalQuery[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ArshifError('IO_ERROR', `${file}: ${(error as Error).message}`);
  }
  return text
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => parseQuery(line, `${file}:${number}`));
}

function parseQuery(line: string, where: string): EvalQuery {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ArshifError('BAD_PARAMETER', `${where}: not valid JSON`);
  }
  const record = value as Partial<EvalQuery> | null;
  if (
    typeof record?.qid !== 'string' ||
    typeof record.query !== 'string' ||
    !Array.isArray(record.relevant) ||
    !record.relevant.every((r) => typeof r?.id === 'string' && Number.isInteger(r?.para))
  ) {
    throw new ArshifError(
      'BAD_PARAMETER',
      `${where}: expected {"qid", "query", "relevant": [{"id", "para"}]}`,
    );
  }
  const query: EvalQuery = { qid: record.qid, query: record.query, relevant: record.relevant };
  if (record.vector !== undefined && record.vector !== null) {
    if (!Array.isArray(record.vector) || !record.vector.every((value) => typeof value === 'number')) {
      throw new ArshifError('BAD_PARAMETER', `${where}: "vector" must be an array of numbers`);
    }
    query.vector = record.vector;
  }
  return query;
}

/** How many hits of each query are scored: enough for Recall@100. */
const EVAL_DEPTH = 100;

/**
 * Indexes the articles, runs every query and measures relevance and speed.
 *
 * - Queries run in file order; a query longer than the service accepts is cut to its limit.
 */
export async function evaluate(
  articleFiles: readonly string[],
  queries: readonly EvalQuery[],
  options: SearchEngineOptions = {},
  onProgress?: (progress: LoadProgress) => void,
  { typoSeed, ranking = 'words', semanticRatio }: EvaluateOptions = {},
): Promise<EvalReport> {
  // A query without a vector (one whose model gave none) is ranked by its words alone, or not at all.
  const searchOptions = (query: EvalQuery): SearchOptions =>
    ranking === 'words' || query.vector === undefined
      ? {}
      : {
          vector: query.vector!,
          ...(ranking === 'vector' ? { k: EVAL_DEPTH } : {}),
          ...(semanticRatio === undefined || ranking === 'vector' ? {} : { semanticRatio }),
        };
  const archive = new Archive(options);
  const indexStart = performance.now();
  await loadArticleFiles(archive, articleFiles, onProgress);
  const indexMs = Math.round(performance.now() - indexStart);
  const run = (set: readonly EvalQuery[]) =>
    runQueries(archive, set, (query) => [ranking === 'vector' ? '' : query.query, searchOptions(query)]);
  const unembedded = ranking === 'words' ? 0 : queries.filter((query) => query.vector === undefined).length;
  const report: EvalReport = { ...run(queries), indexMs, ...(unembedded > 0 ? { unembedded } : {}) };
  if (typoSeed !== undefined) {
    const random = seededRandom(typoSeed);
    let misspelled = 0;
    const withTypos = queries.map((query) => {
      const typo = misspell(query.query, random);
      if (typo === undefined) return query;
      misspelled += 1;
      return { ...query, query: typo.query };
    });
    report.typos = { ...run(withTypos), misspelled };
  }
  return report;
}

/**
 * Queries run once, untimed, before the timed pass: the protocol `../shared/peers/run.sh` measures
 * every engine by (Lucene included), so that latency is that of a warm process, not of code compiled
 * and a heap collected right after the build.
 */
export const WARM_UP_QUERIES = 200;

function runQueries(
  archive: Archive,
  queries: readonly EvalQuery[],
  asked: (query: EvalQuery) => [text: string, options: SearchOptions],
): RunReport {
  const perQuery: QueryMetrics[] = [];
  const latencies: number[] = [];
  for (const query of queries.slice(0, WARM_UP_QUERIES)) rankAll(archive, ...asked(query));
  for (const query of queries) {
    const { relevant } = query;
    const start = performance.now();
    const ranking = rankAll(archive, ...asked(query));
    latencies.push(performance.now() - start);
    perQuery.push(scoreRanking(ranking, relevant));
  }
  return {
    queries: queries.length,
    ...meanMetrics(perQuery),
    queryP50Ms: quantile(latencies, 0.5),
    queryP99Ms: quantile(latencies, 0.99),
  };
}

function rankAll(archive: Archive, query: string, options: SearchOptions): RankedHit[] {
  const hits: RankedHit[] = [];
  const text = query.slice(0, 1000);
  if (text.length === 0 && options.vector === undefined) return hits;
  for (let offset = 0; offset < EVAL_DEPTH; offset += 100) {
    const page = archive.search(text, { ...options, limit: Math.min(100, EVAL_DEPTH - offset), offset }).hits;
    hits.push(...page.map(({ id, para, copies }) => ({ id, para, ...(copies ? { copies } : {}) })));
    if (page.length < 100) break;
  }
  return hits;
}
