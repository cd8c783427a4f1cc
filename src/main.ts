/**
 * Arshif's library API: everything the HTTP service and the command line do, for programs that embed
 * the search (a newsroom tool, say), with no HTTP involved.
 *
 * @example
 * import { Archive, loadArticleFiles } from 'arshif';
 * const archive = new Archive();
 * await loadArticleFiles(archive, ['corpus/articles.jsonl']);
 * const { hits } = archive.search('أسعار النفط', { limit: 5, sort: 'date' });
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
export { Archive } from './index/archive.js';
export type { ArchiveStats, Hit, SearchResponse } from './index/archive.js';
export { parseArticle } from './index/article.js';
export type { Article } from './index/article.js';
export { loadArticleFiles } from './index/load-articles.js';
export type { LoadReport } from './index/load-articles.js';
export type { ParagraphIndexOptions } from './index/paragraph-index.js';
export { DEFAULT_RANKING_OPTIONS } from './index/ranking.js';
export type { RankingOptions } from './index/ranking.js';
export type { SearchOptions } from './index/search-options.js';
export { evaluate, readQueries } from './evaluation/evaluate.js';
export type { EvalQuery, EvalReport } from './evaluation/evaluate.js';
