import MiniSearch, { type Options, type Query, type SearchResult } from 'minisearch';
import { type AnalysisOptions, analyzeForIndex, type IndexToken } from '../analysis/analyze.js';
import { type ParsedQuery, positiveWords, type QueryWord } from './query.js';
import { decodeMiniSearch, type EncodedIndex, encodeMiniSearch } from './minisearch-codec.js';
import { internalsOf, type MiniSearchInternals, purgeDiscarded } from './minisearch-internals.js';
import { MAX_SOURCE_TERMS, ParagraphScorer, type TermQuery } from './paragraph-scorer.js';
import {
  containsPhrase,
  DEFAULT_RANKING_OPTIONS,
  matchWords,
  proximityScore,
  type RankingOptions,
} from './ranking.js';

/** A paragraph as the index holds it. */
export interface Paragraph {
  articleId: string;
  para: number;
  text: string;
  title: string;
}

/** A paragraph that matched a query, with its score. */
export interface RankedParagraph {
  paragraph: Paragraph;
  score: number;
}

/** Options of a {@link ParagraphIndex}. */
export interface ParagraphIndexOptions {
  /** The analysis of paragraphs and queries. Default: {@link DEFAULT_ANALYSIS_OPTIONS}. */
  analysis?: AnalysisOptions;
  /** How hits are scored. Default: {@link DEFAULT_RANKING_OPTIONS}. */
  ranking?: Partial<RankingOptions>;
  /**
   * Which code scores matches: `typed-arrays` (default, several times faster on large archives) or
   * `minisearch` (MiniSearch's own search). Both give the same scores and order; the second is kept as the
   * reference the first is tested against.
   */
  scoring?: 'typed-arrays' | 'minisearch';
}

/**
 * The four MiniSearch fields: each text is indexed twice, once by exact normalised words and once by
 * stems, so an exact match can rank above a match on another inflection of the word.
 */
const EXACT_FIELDS = ['text', 'title'] as const;
const STEM_FIELDS = ['textStem', 'titleStem'] as const;
const ALTERNATIVE_FIELD = 'textAlternative';
const FIELDS = [...EXACT_FIELDS, ...STEM_FIELDS, ALTERNATIVE_FIELD];

/** The inverse of {@link paragraphKey}. */
function parseParagraphKey(id: string): { articleId: string; para: number } {
  const colon = id.indexOf(':');
  return { articleId: id.slice(colon + 1), para: Number(id.slice(0, colon)) };
}

/**
 * Receives a paragraph matching a query, before ranking: MiniSearch's score (summed BM25+ times
 * `quality`, the number of distinct query terms matched), whether a match is in the text and not only
 * the title, and which query terms (by index) it matched.
 */
type CandidateVisitor = (
  paragraph: Paragraph | undefined,
  score: number,
  quality: number,
  inText: boolean,
  has: (term: number) => boolean,
) => void;

/**
 * Sorts candidates best first — by score, then MiniSearch's score, then match order (the sort is stable)
 * — but only as far as `count`: the rest follow, all worse, unsorted. Sorting every match of a common
 * word (100,000 on ANT) costs more than finding the few a page shows.
 */
function sortBest<T extends { score: number; tieBreak: number }>(ranked: T[], count: number): T[] {
  const byScore = (a: T, b: T) => b.score - a.score || b.tieBreak - a.tieBreak;
  if (ranked.length <= 2 * count) return ranked.sort(byScore);
  const scores = Float64Array.from(ranked, (candidate) => candidate.score).sort();
  const threshold = scores[scores.length - count]!;
  const best = ranked.filter((candidate) => candidate.score >= threshold).sort(byScore);
  return best.concat(ranked.filter((candidate) => candidate.score < threshold));
}

/** A paragraph holding an excluded word's stem is no hit. */
function excludedQueries(query: ParsedQuery): TermQuery[] {
  return query.excluded.map((word) => ({ term: word.stem, fields: [['textStem', 1]] }));
}

/** A term query as MiniSearch takes it, for {@link ParagraphIndex}'s reference search. */
function toMiniSearchQuery(query: TermQuery): Query {
  return {
    queries: [query.term],
    fields: query.fields.map(([field]) => field),
    boost: Object.fromEntries(query.fields),
    prefix: query.prefix ?? false,
    fuzzy: query.fuzzy || false,
    ...(query.prefix || query.fuzzy
      ? { weights: { prefix: query.prefixWeight ?? 0, fuzzy: query.fuzzyWeight ?? 0 } }
      : {}),
  };
}

/** The distinct strings MiniSearch is asked for a word: its exact form, stem and alternative stem. */
function termsOf(word: QueryWord): string[] {
  return word.alternative === undefined ? [word.exact, word.stem] : [word.exact, word.stem, word.alternative];
}

function popCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count += 1;
  return count;
}

/** Shortest query stems expanded to longer stems and to stems one edit away. */
const MIN_PREFIX_LENGTH = 4;
const MIN_FUZZY_LENGTH = 6;

/** The MiniSearch document id of a paragraph: the index first, so any article id parses back. */
function paragraphKey(articleId: string, para: number): string {
  return `${para}:${articleId}`;
}

/**
 * A full-text index of paragraphs over MiniSearch, with Arabic analysis and proximity re-ranking.
 *
 * - One MiniSearch document per paragraph; the article title is a second, weighted field.
 * - Scores: BM25+ over exact-word and stem fields, scaled by how many query words match, then the best
 *   {@link RankingOptions.rerankDepth} hits are re-scored by how close together the words occur.
 */
export class ParagraphIndex {
  readonly analysis: AnalysisOptions;
  readonly ranking: RankingOptions;
  private readonly miniSearch: MiniSearch<Paragraph & { id: string }>;
  private readonly internals: MiniSearchInternals;
  private readonly scorer: ParagraphScorer;
  private readonly useMiniSearchScoring: boolean;
  /** The indexed paragraphs by MiniSearch short id: one array read per match, no string-keyed lookup. */
  private readonly byShortId: (Paragraph | undefined)[] = [];
  private lastAnalyzed: { text: string; tokens: IndexToken[] } = { text: '', tokens: [] };

  /** @param saved - an encoded index to start from (see {@link ParagraphIndex.restore}). */
  constructor(options: ParagraphIndexOptions = {}, saved?: EncodedIndex) {
    this.analysis = { ...options.analysis };
    this.ranking = { ...DEFAULT_RANKING_OPTIONS, ...options.ranking };
    const miniSearchOptions: Options<Paragraph & { id: string }> = {
      fields: FIELDS,
      extractField: (document, field) =>
        field === 'id' ? document.id : field.startsWith('text') ? document.text : document.title,
      tokenize: (text, field) => {
        const tokens = this.tokensOf(text);
        if (field === ALTERNATIVE_FIELD)
          return tokens.flatMap((t) => (t.alternative === undefined ? [] : [t.alternative]));
        return field?.endsWith('Stem') ? tokens.map((t) => t.term) : tokens.map((t) => t.exact);
      },
      processTerm: (term) => term,
      // MiniSearch's vacuum walks the term tree across timer waits while deleting terms from it; a write
      // in between, or a node merge, can break the walk (an unhandled rejection). Removals use remove(),
      // which leaves no dirt, and restore() purges what it discards (see purgeDiscarded).
      autoVacuum: false,
      searchOptions: {
        tokenize: (text) => [text],
        processTerm: (term) => term,
        bm25: this.ranking.bm25,
      },
    };
    this.miniSearch =
      saved === undefined ? new MiniSearch(miniSearchOptions) : decodeMiniSearch(saved, miniSearchOptions);
    this.internals = internalsOf(this.miniSearch);
    this.scorer = new ParagraphScorer(this.miniSearch, this.ranking.bm25);
    this.useMiniSearchScoring = options.scoring === 'minisearch';
  }

  /**
   * Rebuilds an index from a snapshot without analysing any text.
   *
   * @param paragraphOf - the paragraph as the snapshot indexed it, or `undefined` when its article has
   *   changed or gone since: such paragraphs are dropped from the index, to be added again as they now are.
   */
  static restore(
    saved: EncodedIndex,
    paragraphOf: (articleId: string, para: number) => Paragraph | undefined,
    options: ParagraphIndexOptions = {},
  ): ParagraphIndex {
    const index = new ParagraphIndex(options, saved);
    let discarded = 0;
    for (const [shortId, id] of saved.documentIds) {
      const { articleId, para } = parseParagraphKey(id);
      const paragraph = paragraphOf(articleId, para);
      index.byShortId[shortId] = paragraph;
      if (paragraph === undefined) {
        // The text the snapshot indexed is gone from the store, so remove() cannot re-analyse it.
        index.miniSearch.discard(id);
        discarded += 1;
      }
    }
    if (discarded > 0) purgeDiscarded(index.miniSearch);
    return index;
  }

  /** The index as flat arrays, for {@link ParagraphIndex.restore}. */
  toSnapshot(): EncodedIndex {
    return encodeMiniSearch(this.miniSearch);
  }

  /** Number of paragraphs indexed. */
  get size(): number {
    return this.miniSearch.documentCount;
  }

  /** Indexes a paragraph; blank paragraphs are skipped. Replace an article with {@link remove} first. */
  add(paragraph: Paragraph): void {
    if (paragraph.text.trim() === '') return;
    const id = paragraphKey(paragraph.articleId, paragraph.para);
    this.miniSearch.add({ ...paragraph, id });
    this.byShortId[this.internals._idToShortId.get(id)!] = paragraph;
  }

  /** Removes a paragraph from the index; unknown paragraphs are ignored. */
  remove(articleId: string, para: number): void {
    const id = paragraphKey(articleId, para);
    const shortId = this.internals._idToShortId.get(id);
    const paragraph = shortId === undefined ? undefined : this.byShortId[shortId];
    if (shortId === undefined || paragraph === undefined) return;
    // remove(), not discard(): it re-analyses the text and deletes exactly its postings, leaving no
    // dirt for a vacuum (see the constructor).
    this.miniSearch.remove({ ...paragraph, id });
    this.byShortId[shortId] = undefined;
  }

  /**
   * Finds the paragraphs that match a parsed query, best first.
   *
   * @param accept - keeps only the paragraphs it returns true for (filters on article fields).
   * @param ordered - how many of the best must come in order (at least the re-ranked ones); the rest
   *   follow unordered. Default: all.
   */
  search(
    query: ParsedQuery,
    accept?: (paragraph: Paragraph) => boolean,
    ordered = Number.POSITIVE_INFINITY,
  ): RankedParagraph[] {
    const words = positiveWords(query);
    if (words.length === 0) return [];
    const terms = new Map<string, number>();
    for (const word of words) {
      for (const term of termsOf(word)) if (!terms.has(term)) terms.set(term, terms.size);
    }
    const indicesOf = (word: QueryWord) => termsOf(word).flatMap((term) => terms.get(term) ?? []);
    const wordTerms = words.map(indicesOf);
    const requiredTerms = [...query.required, ...query.phrases.flat()].map(indicesOf);
    const ranked: (RankedParagraph & { tieBreak: number })[] = [];
    // Every paragraph holding any query word comes through here, so counting them gives each word's
    // document frequency for the proximity weights without a second index.
    const documentFrequency = new Array<number>(words.length).fill(0);
    const visit: CandidateVisitor = (paragraph, score, quality, inText, has) => {
      let coverage = 0;
      for (let index = 0; index < wordTerms.length; index += 1) {
        if (wordTerms[index]!.some(has)) {
          documentFrequency[index]! += 1;
          coverage += 1;
        }
      }
      if (paragraph === undefined || (accept && !accept(paragraph))) return;
      // The title ranks a paragraph but cannot make it a hit alone: a hit shows where the words are.
      if (!inText || !requiredTerms.every((indices) => indices.some(has))) return;
      const share = (coverage / words.length) ** this.ranking.coverageExponent;
      ranked.push({ paragraph, score: (score / quality) * share, tieBreak: score });
    };
    if (this.useMiniSearchScoring || terms.size > MAX_SOURCE_TERMS)
      this.searchWithMiniSearch(query, words, terms, visit);
    else this.searchWithScorer(query, words, terms, visit);
    const total = this.miniSearch.documentCount;
    const idf = documentFrequency.map((df) => Math.log(1 + (total - df + 0.5) / (df + 0.5)));
    const paragraphs = sortBest(ranked, Math.max(ordered, this.ranking.rerankDepth)).map(
      ({ paragraph, score }) => ({ paragraph, score }),
    );
    return this.rerank(this.applyPhrases(paragraphs, query), words, idf);
  }

  /**
   * Visits every paragraph matching any query word and no excluded word, in MiniSearch's result order,
   * with MiniSearch's score, through typed-array scoring ({@link ParagraphScorer}).
   */
  private searchWithScorer(
    query: ParsedQuery,
    words: QueryWord[],
    terms: ReadonlyMap<string, number>,
    visit: CandidateVisitor,
  ): void {
    const { byShortId } = this;
    // One predicate for every candidate, reading the candidate's bits: no allocation per match.
    let matched = 0;
    const has = (term: number) => (matched & (1 << term)) !== 0;
    this.scorer.score(
      words.map((word) => this.termQueries(word)),
      terms,
      excludedQueries(query),
      (shortId, score, sourceTerms, inText) => {
        matched = sourceTerms;
        const quality = popCount(sourceTerms) || 1;
        // As MiniSearch reports it (score × matched query terms), so ties break the same way.
        visit(byShortId[shortId], score * quality, quality, inText, has);
      },
    );
  }

  /** {@link searchWithScorer} through MiniSearch's own search: the reference the scorer is tested against. */
  private searchWithMiniSearch(
    query: ParsedQuery,
    words: QueryWord[],
    terms: ReadonlyMap<string, number>,
    visit: CandidateVisitor,
  ): void {
    // The same term queries the scorer runs, as MiniSearch's query tree.
    let tree: Query = {
      combineWith: 'OR',
      queries: words.map((word) => ({
        combineWith: 'OR',
        queries: this.termQueries(word).map(toMiniSearchQuery),
      })),
    };
    if (query.excluded.length > 0) {
      tree = { combineWith: 'AND_NOT', queries: [tree, ...excludedQueries(query).map(toMiniSearchQuery)] };
    }
    const termAt = [...terms.keys()];
    for (const result of this.miniSearch.search(tree)) {
      const matched = new Set(result.queryTerms);
      const inText = Object.values(result.match).some((fields) =>
        fields.some((field) => field.startsWith('text')),
      );
      visit(
        this.byShortId[this.internals._idToShortId.get(result.id as string)!],
        result.score,
        result.queryTerms.length || 1,
        inText,
        (term) => matched.has(termAt[term]!),
      );
    }
  }

  /** The term queries of one word: its exact form, its stem (with prefix and fuzzy expansion) and its alternative stems. */
  private termQueries(word: QueryWord): TermQuery[] {
    const { exactBoost, titleBoost, alternativeBoost, prefixWeight, fuzzyWeight } = this.ranking;
    // MiniSearch reads a boost of 0 as "no boost", i.e. 1.
    const boost = (value: number) => value || 1;
    const queries: TermQuery[] = [
      {
        term: word.exact,
        fields: [
          ['text', boost(exactBoost)],
          ['title', boost(exactBoost * titleBoost)],
        ],
      },
      {
        term: word.stem,
        fields: [
          ['textStem', 1],
          ['titleStem', boost(titleBoost)],
        ],
        prefix: prefixWeight > 0 && word.stem.length >= MIN_PREFIX_LENGTH,
        fuzzy: fuzzyWeight > 0 && word.stem.length >= MIN_FUZZY_LENGTH ? 1 : 0,
        prefixWeight,
        fuzzyWeight,
      },
      { term: word.stem, fields: [[ALTERNATIVE_FIELD, boost(alternativeBoost)]] },
    ];
    if (word.alternative !== undefined) {
      queries.push({ term: word.alternative, fields: [['textStem', boost(alternativeBoost)]] });
    }
    return queries;
  }

  private applyPhrases(ranked: RankedParagraph[], query: ParsedQuery): RankedParagraph[] {
    if (query.phrases.length === 0 && query.excludedPhrases.length === 0) return ranked;
    return ranked.filter(({ paragraph }) => {
      const tokens = analyzeForIndex(paragraph.text, this.analysis);
      return (
        query.phrases.every((phrase) => containsPhrase(tokens, phrase)) &&
        !query.excludedPhrases.some((phrase) => containsPhrase(tokens, phrase))
      );
    });
  }

  private rerank(ranked: RankedParagraph[], words: QueryWord[], idf: number[]): RankedParagraph[] {
    const { proximityWeight, rerankDepth } = this.ranking;
    if (proximityWeight === 0 || words.length < 2 || ranked.length < 2) return ranked;
    const top = ranked.slice(0, rerankDepth).map(({ paragraph, score }) => {
      const matches = matchWords(analyzeForIndex(paragraph.text, this.analysis), words);
      return { paragraph, score: score + proximityWeight * proximityScore(matches, idf) };
    });
    top.sort((a, b) => b.score - a.score);
    return [...top, ...ranked.slice(rerankDepth)];
  }

  /** Analyses a text once for the two fields that read it, which MiniSearch asks for in a row. */
  private tokensOf(text: string): IndexToken[] {
    if (this.lastAnalyzed.text !== text) {
      this.lastAnalyzed = { text, tokens: analyzeForIndex(text, this.analysis) };
    }
    return this.lastAnalyzed.tokens;
  }
}

export type { SearchResult };
