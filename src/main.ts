/**
 * Arshif's library API: everything the HTTP service and the command line do, for programs that embed
 * the search (a newsroom tool, say), with no HTTP involved.
 *
 * @example
 * import { PersistentArchive } from 'arshif';
 * const archive = await PersistentArchive.open('data/newsroom');
 * await archive.put({ id: 'a1', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط اليوم'] });
 * const { hits } = archive.search('اسعار النفط', { limit: 5, sort: 'date' });
 * await archive.close();
 */
export { analyze, analyzeForIndex, ANALYZER_VERSION, DEFAULT_ANALYSIS_OPTIONS } from './analysis/analyze.js';
export type { AnalysisOptions, IndexToken, Token } from './analysis/analyze.js';
export { normalize, NORMALIZERS } from './analysis/normalize.js';
export type { Normalizer } from './analysis/normalize.js';
export { lightStem, alternativeStem } from './analysis/stem.js';
export { isStopWord, STOP_WORDS } from './analysis/stop-words.js';
export { splitWords } from './analysis/tokenize.js';
export type { Span } from './analysis/tokenize.js';
export { ArshifError } from './errors.js';
export type { ArshifErrorCode } from './errors.js';
export { Archive } from './archive/archive.js';
export type { ArchiveEngineOptions, ArchiveOptions, ArchiveStats } from './archive/archive.js';
export type { FacetCount } from './archive/facet-counts.js';
export type { Copy, Hit, RelatedOptions, RelatedResponse, SearchResponse } from './archive/archive-search.js';
export { parseArticle } from './article/article.js';
export type { Article } from './article/article.js';
export { loadArticleFiles } from './archive/load-articles.js';
export type { LoadProgress, LoadReport } from './archive/load-articles.js';
export { DEFAULT_AUTO_SAVE, PersistentArchive } from './archive/persistent-archive.js';
export type {
  ArticleWriter,
  AutoSaveOptions,
  IgnoredVersion,
  IndexStatus,
  OpenReport,
  PersistentArchiveOptions,
  RemoveReport,
  WriteReport,
} from './archive/persistent-archive.js';
export { htmlParagraphs } from './ingest/html-paragraphs.js';
export { ninjsToArticle } from './ingest/ninjs.js';
export type { NinjsConversion } from './ingest/ninjs.js';
export { parseFeedEntries } from './ingest/feed.js';
export type { FeedEntry, ParsedFeed } from './ingest/feed.js';
export { FeedFollower } from './follow/feed-follower.js';
export type { FeedReport, FeedState, FollowOptions } from './follow/feed-follower.js';
export type { SaveReport } from './archive/archive-directory.js';
export { DEFAULT_SEARCH_REPLICAS, SearchReplicas } from './archive/search-replicas.js';
export { ClusterNode } from './archive/cluster-node.js';
export type { ClusterNodeOptions, NodeStatus } from './archive/cluster-node.js';
export { SHARD_COUNT, shardOf, ShardSet } from './archive/shards.js';
export type { ClusterRelatedOptions, ClusterSearchOptions } from './archive/cluster-search.js';
export { PostgresStore } from './storage/postgres-store.js';
export type { PostgresStoreOptions, PostgresWriteOutcome } from './storage/postgres-store.js';
export type { ArchiveReader, SearchReplicasOptions } from './archive/search-replicas.js';
export type { SearchEngineOptions } from './search/engine.js';
export { DEFAULT_RANKING_OPTIONS } from './search/engine.js';
export { DEFAULT_SYNONYM_GROUPS, parseSynonymsFile } from './search/engine.js';
export type { SynonymGroup, SynonymSource, SynonymsFile } from './search/engine.js';
export type { RankingOptions } from './search/engine.js';
export type { FacetName, SearchOptions } from './archive/search-options.js';
export { evaluate, readQueries } from './evaluation/evaluate.js';
export type { EvalQuery, EvalReport } from './evaluation/evaluate.js';
