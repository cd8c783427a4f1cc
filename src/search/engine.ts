/**
 * The engine's entry for the layers above it: the search engine (its segment set and searcher), queries,
 * ranking options, synonyms, copies and vector similarity. Outer layers import the engine from here
 * (or, for compact segments as data, from `segments.ts`), never from its inner files.
 */
export { SearchEngine, type SearchEngineOptions } from './search-engine.js';
export { SegmentSet, MERGE_FACTOR, MERGE_FLOOR } from './segment-set.js';
export {
  Searcher,
  EXACT_TOTAL_LIMIT,
  MAX_SCORED_WORDS,
  type EngineHit,
  type EngineResult,
  type EngineSearchOptions,
  type EngineVectorOptions,
  type ParagraphWord,
  type ResolvedWords,
  rerank,
  significantWords,
} from './searcher.js';
export { Deadline } from './collect/deadline.js';
export { FIELD, type Field } from './fields.js';
export {
  answerStatistics,
  GatheredStatistics,
  type GatheredStatisticsJson,
  type StatisticsAnswer,
  type StatisticsRequest,
} from './statistics.js';
export {
  parseQuery,
  queryWords,
  relaxPhrases,
  type ParsedQuery,
  type QueryWord,
  type WordVariant,
} from './query.js';
export { DEFAULT_RANKING_OPTIONS, type RankingOptions } from './ranking.js';
export { matchWords } from './segment/token-matching.js';
export {
  DEFAULT_SYNONYM_GROUPS,
  mergeSynonymGroups,
  parseSynonymsFile,
  Synonyms,
  type SynonymGroup,
  type SynonymSource,
  type SynonymsFile,
} from './synonyms.js';
export { groupCopies, signatureOf, type Signature } from './near-duplicates.js';
export { lacksDirection, VECTOR_SIMILARITIES, type VectorSimilarity } from './vectors/vector-math.js';
