import MiniSearch, { type Options, type Query, type SearchResult } from 'minisearch';
import { type AnalysisOptions, analyzeForIndex, type IndexToken } from '../analysis/analyze.js';
import { type ParsedQuery, positiveWords, type QueryWord } from './query.js';
import { decodeMiniSearch, type EncodedIndex, encodeMiniSearch } from './minisearch-codec.js';
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
  private readonly paragraphs = new Map<string, Paragraph>();
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
      searchOptions: {
        tokenize: (text) => [text],
        processTerm: (term) => term,
        bm25: this.ranking.bm25,
      },
    };
    this.miniSearch =
      saved === undefined ? new MiniSearch(miniSearchOptions) : decodeMiniSearch(saved, miniSearchOptions);
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
    for (const [, id] of saved.documentIds) {
      const { articleId, para } = parseParagraphKey(id);
      const paragraph = paragraphOf(articleId, para);
      if (paragraph === undefined) index.miniSearch.discard(id);
      else index.paragraphs.set(id, paragraph);
    }
    return index;
  }

  /** The index as flat arrays, for {@link ParagraphIndex.restore}. */
  toSnapshot(): EncodedIndex {
    return encodeMiniSearch(this.miniSearch as unknown as MiniSearch<never>);
  }

  /** Number of paragraphs indexed. */
  get size(): number {
    return this.paragraphs.size;
  }

  /** Indexes a paragraph; blank paragraphs are skipped. Replace an article with {@link remove} first. */
  add(paragraph: Paragraph): void {
    if (paragraph.text.trim() === '') return;
    const id = paragraphKey(paragraph.articleId, paragraph.para);
    this.miniSearch.add({ ...paragraph, id });
    this.paragraphs.set(id, paragraph);
  }

  /** Removes a paragraph from the index; unknown paragraphs are ignored. */
  remove(articleId: string, para: number): void {
    const id = paragraphKey(articleId, para);
    if (!this.paragraphs.delete(id)) return;
    this.miniSearch.discard(id);
  }

  /**
   * Finds the paragraphs that match a parsed query, best first.
   *
   * @param accept - keeps only the paragraphs it returns true for (filters on article fields).
   */
  search(query: ParsedQuery, accept?: (paragraph: Paragraph) => boolean): RankedParagraph[] {
    const words = positiveWords(query);
    if (words.length === 0) return [];
    let tree: Query = { combineWith: 'OR', queries: words.map((word) => this.wordQuery(word)) };
    if (query.excluded.length > 0) {
      const excluded = query.excluded.map((word) => ({ queries: [word.stem], fields: ['textStem'] }));
      tree = { combineWith: 'AND_NOT', queries: [tree, ...excluded] };
    }
    const required = [...query.required, ...query.phrases.flat()];
    const ranked: RankedParagraph[] = [];
    // The OR query returns every paragraph holding any query word, so counting them gives each word's
    // document frequency for the proximity weights without a second index.
    const documentFrequency = new Array<number>(words.length).fill(0);
    for (const result of this.miniSearch.search(tree)) {
      const matched = new Set(result.queryTerms);
      const has = (word: QueryWord) =>
        matched.has(word.stem) ||
        matched.has(word.exact) ||
        (word.alternative !== undefined && matched.has(word.alternative));
      words.forEach((word, index) => {
        if (has(word)) documentFrequency[index]! += 1;
      });
      const paragraph = this.paragraphs.get(result.id as string);
      if (paragraph === undefined || (accept && !accept(paragraph))) continue;
      // The title ranks a paragraph but cannot make it a hit alone: a hit shows where the words are.
      if (!Object.values(result.match).some((fields) => fields.some((field) => field.startsWith('text'))))
        continue;
      if (!required.every(has)) continue;
      const coverage = words.filter(has).length;
      const share = (coverage / words.length) ** this.ranking.coverageExponent;
      ranked.push({ paragraph, score: (result.score / (result.queryTerms.length || 1)) * share });
    }
    ranked.sort((a, b) => b.score - a.score);
    const total = this.miniSearch.documentCount;
    const idf = documentFrequency.map((df) => Math.log(1 + (total - df + 0.5) / (df + 0.5)));
    return this.rerank(this.applyPhrases(ranked, query), words, idf);
  }

  private wordQuery(word: QueryWord): Query {
    const { exactBoost, titleBoost, alternativeBoost, prefixWeight, fuzzyWeight } = this.ranking;
    const queries: Query[] = [
      {
        queries: [word.exact],
        fields: [...EXACT_FIELDS],
        boost: { text: exactBoost, title: exactBoost * titleBoost },
      },
      {
        queries: [word.stem],
        fields: [...STEM_FIELDS],
        boost: { textStem: 1, titleStem: titleBoost },
        prefix: (term: string) => prefixWeight > 0 && term.length >= MIN_PREFIX_LENGTH,
        fuzzy: (term: string) => (fuzzyWeight > 0 && term.length >= MIN_FUZZY_LENGTH ? 1 : false),
        weights: { prefix: prefixWeight, fuzzy: fuzzyWeight },
      },
      { queries: [word.stem], fields: [ALTERNATIVE_FIELD], boost: { [ALTERNATIVE_FIELD]: alternativeBoost } },
    ];
    if (word.alternative !== undefined) {
      queries.push({
        queries: [word.alternative],
        fields: ['textStem'],
        boost: { textStem: alternativeBoost },
      });
    }
    return { combineWith: 'OR', queries };
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
