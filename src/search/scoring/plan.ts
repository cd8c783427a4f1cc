/** The query plan: each word's terms and expansions, their posting lists, BM25+ weights and score bounds. */
import { FIELD, type Field, isTextField } from '../fields.js';
import { type QueryWord, wordKey } from '../query.js';
import type { RankingOptions } from '../ranking.js';
import { type Postings, type Segment, totalDocumentFrequency } from '../segment/segment.js';
import {
  type CorpusStatistics,
  type GatheredStatistics,
  SegmentStatistics,
  type StatisticsRequest,
} from '../statistics.js';
import { phrasePostings } from './phrase-postings.js';

/** Shortest query stems expanded to longer stems and to stems one edit away. */
export const MIN_PREFIX_LENGTH = 4;
export const MIN_FUZZY_LENGTH = 6;

/**
 * Longer and one-edit-away terms a query term is expanded to, at most (Lucene's fuzzy `maxExpansions`
 * is 50): the closest, then the most frequent. On ANT a 4-letter stem such as `البا` starts 246 stems,
 * each a posting list to score; 9 of 5,312 title stems have more than 50.
 */
export const MAX_EXPANSIONS = 50;

/** One term looked up for a query word, in some fields with their boosts. */
interface TermQuery {
  term: string;
  fields: readonly (readonly [Field, number])[];
  /** Also match longer terms that start with `term`, and terms one edit away, at these weights (0: not). */
  prefixWeight: number;
  fuzzyWeight: number;
  /** A variant's form: its matches count for the words it stands for (its own, and more with a span). */
  covers?: readonly number[];
}

/**
 * A posting list a query scores: a term (a query term or one of its expansions) in one field, with its
 * weight and its statistics over all segments.
 */
export interface PlannedTerm {
  term: string;
  field: Field;
  /** Expansion weight times field boost. */
  weight: number;
  /** BM25 idf from the document frequency summed over all segments. */
  idf: number;
  /** Average length of the field over all segments' live documents. */
  averageLength: number;
  /** Its term query, numbered across the query in scoring order (scores add up term query by term query). */
  termQuery: number;
  /** Its word (index into {@link QueryPlan.words}). */
  word: number;
  /** The words a match on it counts as matched: every word that has its query term among its forms. */
  covers: readonly number[];
  /** Whether it is a field of the paragraph text (a hit needs one such match, or to be a lead paragraph). */
  inText: boolean;
  /**
   * Bit flags of a match on it: bit `w` for each covered word `w` below {@link OVERFLOW_WORD} (words
   * from it on share that bit), and {@link IN_TEXT}.
   */
  flags: number;
  /** Its postings in each segment, by segment index. */
  postings: readonly (Postings | undefined)[];
}

/** The flag bit of a match in a text field. */
export const IN_TEXT = 1 << 31;
/** Words from this index on share one flag bit: a query with more words counts them another way. */
export const OVERFLOW_WORD = 30;

/** The flag bits of matches on these words. */
export function wordFlags(words: Iterable<number>): number {
  let flags = 0;
  for (const word of words) flags |= 1 << Math.min(word, OVERFLOW_WORD);
  return flags;
}

/** BM25+ parameters, as MiniSearch names them. */
export interface Bm25 {
  k: number;
  b: number;
  d: number;
}

/** Everything the scorers need for one query over a set of segments. */
export interface QueryPlan {
  words: readonly QueryWord[];
  /** Every posting list to score, in scoring order: word by word, term query by term query. */
  terms: readonly PlannedTerm[];
  /** Words (indices) every hit must match. */
  required: readonly number[];
  /** Per segment, the postings of excluded words: a document in any is no hit. */
  excluded: readonly (readonly Postings[])[];
  bm25: Bm25;
  /** By number of words matched: the factor a document's summed score is multiplied by (share ** exponent). */
  shareFactors: Float64Array;
  /** Live documents in all segments. */
  documentCount: number;
  /** Per word, the largest document frequency of its terms: what its proximity weight is computed from. */
  wordDocumentFrequency: readonly number[];
  /**
   * What the title's part of a lead paragraph's score is multiplied by when the title holds every word
   * (`RankingOptions.leadTitleBoost` over `titleBoost`; see {@link withLeadTitle}).
   */
  leadTitleFactor: number;
  /** The flags of every word matched (0 for a query of more than {@link OVERFLOW_WORD} words: no lead bonus). */
  allWordFlags: number;
}

/**
 * The BM25+ score of one posting, as MiniSearch computes it. Both scorers add a document's posting
 * scores in plan order, starting from 0, so they agree to the bit.
 */
export function scorePosting(
  frequency: number,
  length: number,
  term: PlannedTerm,
  { k, b, d }: Bm25,
): number {
  return (
    term.weight *
    (term.idf * (d + (frequency * (k + 1)) / (frequency + k * (1 - b + (b * length) / term.averageLength))))
  );
}

/** A document's score: its summed BM25+ scaled by the share of the query's words it matches. */
export function finalScore(sum: number, wordsMatched: number, plan: QueryPlan): number {
  return sum * plan.shareFactors[wordsMatched]!;
}

/**
 * A lead paragraph's summed score once its title's part is weighed: when its title holds every word of
 * the query (`leadTitleFlags`, the flags of its title's matches, hold them all), the title's part
 * (`leadTitleSum`) weighs {@link QueryPlan.leadTitleFactor} times. The story a headline names comes
 * before the stories that mention its words, and no other paragraph of it gains.
 */
export function withLeadTitle(
  sum: number,
  leadTitleSum: number,
  leadTitleFlags: number,
  plan: QueryPlan,
): number {
  const { leadTitleFactor, allWordFlags } = plan;
  return allWordFlags !== 0 && (leadTitleFlags & allWordFlags) === allWordFlags
    ? sum + (leadTitleFactor - 1) * leadTitleSum
    : sum;
}

/** Whether a term's matches are gathered apart on lead paragraphs (see {@link withLeadTitle}). */
export function weighsOnLead(term: PlannedTerm, plan: QueryPlan): boolean {
  return !term.inText && plan.leadTitleFactor !== 1 && plan.allWordFlags !== 0;
}

/** BM25's idf of a term held by `documentFrequency` of `documentCount` documents. */
export function bm25Idf(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** The highest {@link scorePosting} of a posting list, over its impact pairs. */
export function maxPostingScore(term: PlannedTerm, postings: Postings, bm25: Bm25): number {
  let best = 0;
  const { impactFrequencies, impactLengths } = postings;
  for (let at = 0; at < impactFrequencies.length; at += 1) {
    best = Math.max(best, scorePosting(impactFrequencies[at]!, impactLengths[at]!, term, bm25));
  }
  return best;
}

/** The words a variant of word `word` stands for: it and the `span - 1` after it. */
function spanOf(word: number, span = 1): number[] {
  return Array.from({ length: span }, (_, offset) => word + offset);
}

/** The term queries of one word: its exact form, its stem (with expansions) and its alternative stems. */
function termQueries(word: QueryWord, wordIndex: number, ranking: RankingOptions): TermQuery[] {
  const { exactBoost, titleBoost, alternativeBoost, prefixWeight, fuzzyWeight } = ranking;
  // A boost of 0 reads as "no boost", i.e. 1, as MiniSearch reads it.
  const boost = (value: number) => value || 1;
  const queries: TermQuery[] = [
    {
      term: word.exact,
      fields: [
        [FIELD.text, boost(exactBoost)],
        [FIELD.title, boost(exactBoost * titleBoost)],
      ],
      prefixWeight: 0,
      fuzzyWeight: 0,
    },
    {
      term: word.stem,
      fields: [
        [FIELD.textStem, 1],
        [FIELD.titleStem, boost(titleBoost)],
      ],
      prefixWeight: word.stem.length >= MIN_PREFIX_LENGTH ? prefixWeight : 0,
      fuzzyWeight: word.stem.length >= MIN_FUZZY_LENGTH ? fuzzyWeight : 0,
    },
    {
      term: word.stem,
      fields: [[FIELD.textAlternative, boost(alternativeBoost)]],
      prefixWeight: 0,
      fuzzyWeight: 0,
    },
  ];
  if (word.alternative !== undefined) {
    queries.push({
      term: word.alternative,
      fields: [[FIELD.textStem, boost(alternativeBoost)]],
      prefixWeight: 0,
      fuzzyWeight: 0,
    });
  }
  // A variant (a correction, a synonym) is matched as the word is, exact form and stem, at its weight;
  // two corrections of one stem (`الحكومه`, `حكومه`) score its postings once, at the closer's weight.
  const stems = new Set([word.stem, word.alternative]);
  for (const variant of word.variants ?? []) {
    const covers = spanOf(wordIndex, variant.span);
    queries.push({
      term: variant.exact,
      fields: [
        [FIELD.text, boost(exactBoost) * variant.weight],
        [FIELD.title, boost(exactBoost * titleBoost) * variant.weight],
      ],
      prefixWeight: 0,
      fuzzyWeight: 0,
      covers,
    });
    if (stems.has(variant.stem)) continue;
    stems.add(variant.stem);
    queries.push({
      term: variant.stem,
      fields: [
        [FIELD.textStem, variant.weight],
        [FIELD.titleStem, boost(titleBoost) * variant.weight],
      ],
      prefixWeight: 0,
      fuzzyWeight: 0,
      covers,
    });
  }
  return queries;
}

/**
 * A term query's terms and their weights: the term, then longer terms, then terms one edit away; at
 * most {@link MAX_EXPANSIONS} besides the term, the closest first and, as close, the most frequent.
 */
function expand(query: TermQuery, statistics: CorpusStatistics): [string, number][] {
  const candidates: { term: string; distance: number; weight: number }[] = [];
  const fields = query.fields.map(([field]) => field);
  const prefixed = new Set<string>();
  if (query.prefixWeight > 0) {
    for (const term of statistics.prefixExpansions(query.term, fields)) prefixed.add(term);
    for (const term of prefixed) {
      const distance = term.length - query.term.length;
      const weight = (query.prefixWeight * term.length) / (term.length + 0.3 * distance);
      candidates.push({ term, distance, weight });
    }
  }
  if (query.fuzzyWeight > 0) {
    for (const term of statistics.oneEditExpansions(query.term, fields)) {
      if (!prefixed.has(term)) {
        candidates.push({ term, distance: 1, weight: (query.fuzzyWeight * term.length) / (term.length + 1) });
      }
    }
  }
  let kept = candidates;
  if (candidates.length > MAX_EXPANSIONS) {
    const field = fields[0]!;
    const frequency = new Map(
      candidates.map(({ term }) => [term, statistics.documentFrequency(term, field)]),
    );
    kept = [...candidates]
      .sort(
        (a, b) =>
          a.distance - b.distance ||
          frequency.get(b.term)! - frequency.get(a.term)! ||
          (a.term < b.term ? -1 : 1),
      )
      .slice(0, MAX_EXPANSIONS);
  }
  // In the order they were always planned in: longer terms by term, then terms one edit away by term.
  const prefixes = kept.filter(({ term }) => prefixed.has(term)).sort((a, b) => (a.term < b.term ? -1 : 1));
  const edits = kept.filter(({ term }) => !prefixed.has(term)).sort((a, b) => (a.term < b.term ? -1 : 1));
  return [
    [query.term, 1],
    ...[...prefixes, ...edits].map(({ term, weight }): [string, number] => [term, weight]),
  ];
}

/**
 * Plans a query over segments: its words' term queries, expanded to the terms the segments hold, each
 * in each of its fields, with BM25 statistics summed over all segments, or the archive's statistics
 * when they are `gathered` (the segments are then one shard's).
 *
 * - `words` are distinct ({@link wordKey}); `required` and `excluded` words are matched by key and stem.
 */
export function planQuery(
  segments: readonly Segment[],
  gathered: CorpusStatistics | undefined,
  words: readonly QueryWord[],
  required: readonly QueryWord[],
  excluded: readonly QueryWord[],
  ranking: RankingOptions,
): QueryPlan {
  // The segments' own statistics, unless the archive's were gathered (a shard of a cluster).
  const statistics = gathered ?? new SegmentStatistics(segments);
  const frequencyOf = (postings: readonly (Postings | undefined)[], gatheredFrequency: () => number) =>
    gathered === undefined ? totalDocumentFrequency(postings) : gatheredFrequency();
  const { documentCount } = statistics;
  const averageLength = (field: Field) => statistics.fieldLengthSum(field) / documentCount;
  const wordsWithForm = new Map<string, number[]>();
  words.forEach((word, index) => {
    for (const form of new Set([word.exact, word.stem, word.alternative ?? word.stem])) {
      wordsWithForm.set(form, [...(wordsWithForm.get(form) ?? []), index]);
    }
  });
  const terms: PlannedTerm[] = [];
  const wordDocumentFrequency = new Array<number>(words.length).fill(0);
  let termQuery = 0;
  // Plans a posting list per segment (a term's, or a phrase's) unless no live document holds it.
  const addTerm = (
    term: string,
    field: Field,
    weight: number,
    postings: (Postings | undefined)[],
    documentFrequency: number,
    wordIndex: number,
    covers: readonly number[],
  ) => {
    if (documentFrequency === 0) return;
    wordDocumentFrequency[wordIndex] = Math.max(wordDocumentFrequency[wordIndex]!, documentFrequency);
    terms.push({
      term,
      field,
      weight,
      idf: bm25Idf(documentFrequency, documentCount),
      averageLength: averageLength(field),
      termQuery,
      word: wordIndex,
      covers,
      inText: isTextField(field),
      flags: wordFlags(covers) | (isTextField(field) ? IN_TEXT : 0),
      postings,
    });
  };
  words.forEach((word, wordIndex) => {
    for (const query of termQueries(word, wordIndex, ranking)) {
      const covers = query.covers ?? wordsWithForm.get(query.term) ?? [wordIndex];
      for (const [term, termWeight] of expand(query, statistics)) {
        for (const [field, boost] of query.fields) {
          const postings = segments.map((segment) => segment.postings(term, field));
          const frequency = frequencyOf(postings, () => statistics.documentFrequency(term, field));
          addTerm(term, field, termWeight * boost, postings, frequency, wordIndex, covers);
        }
      }
      termQuery += 1;
    }
    // A phrase that counts as the word (a synonym of several words), as a posting list of its own.
    for (const { words: phrase, weight, span } of word.phraseVariants ?? []) {
      const postings = segments.map((segment) => phrasePostings(segment, phrase));
      const term = phrase.map((part) => part.exact).join(' ');
      const frequency = frequencyOf(postings, () => statistics.phraseFrequency(phrase));
      addTerm(term, FIELD.textStem, weight, postings, frequency, wordIndex, spanOf(wordIndex, span));
      termQuery += 1;
    }
  });
  const keys = words.map(wordKey);
  return {
    words,
    terms,
    required: [...new Set(required.map((word) => keys.indexOf(wordKey(word))))].filter((index) => index >= 0),
    excluded: segments.map((segment) =>
      excluded.flatMap((word) => segment.postings(word.stem, FIELD.textStem) ?? []),
    ),
    bm25: ranking.bm25,
    shareFactors: Float64Array.from(
      { length: words.length + 1 },
      (_, matched) => (matched / words.length) ** ranking.coverageExponent,
    ),
    documentCount,
    wordDocumentFrequency,
    leadTitleFactor: ranking.titleBoost > 0 ? ranking.leadTitleBoost / ranking.titleBoost : 1,
    allWordFlags:
      words.length > 0 && words.length <= OVERFLOW_WORD ? wordFlags(words.map((_, index) => index)) : 0,
  };
}

/**
 * What {@link planQuery} will ask of the statistics for these words: each term query's term in its
 * fields, its expansions, its words' phrases. Questions `known` already answers are left out (the
 * words' corrections are planned after their own forms were gathered).
 */
export function planStatisticsRequest(
  words: readonly QueryWord[],
  ranking: RankingOptions,
  known?: GatheredStatistics,
): StatisticsRequest {
  const request: Required<StatisticsRequest> = {
    terms: [],
    prefixes: [],
    oneEdits: [],
    near: [],
    phrases: [],
  };
  const asked = new Set<string>();
  const once = (key: string) => {
    if (asked.has(key)) return false;
    asked.add(key);
    return true;
  };
  words.forEach((word, wordIndex) => {
    for (const query of termQueries(word, wordIndex, ranking)) {
      const fields = query.fields.map(([field]) => field);
      for (const field of fields) {
        if (known?.knows(query.term, field) !== true && once(`t${field} ${query.term}`))
          request.terms.push([query.term, field]);
      }
      const expansion = { term: query.term, fields };
      if (
        query.prefixWeight > 0 &&
        known?.knowsPrefixes(expansion) !== true &&
        once(`p${fields} ${query.term}`)
      )
        request.prefixes.push(expansion);
      if (
        query.fuzzyWeight > 0 &&
        known?.knowsOneEdits(expansion) !== true &&
        once(`o${fields} ${query.term}`)
      )
        request.oneEdits.push(expansion);
    }
    for (const { words: phrase } of word.phraseVariants ?? []) {
      if (known?.knowsPhrase(phrase) !== true) request.phrases.push([...phrase]);
    }
  });
  return request;
}
