/** The corpus statistics a query is ranked by, from local segments or gathered from the shards of a cluster. */
import { FIELD, FIELD_COUNT, type Field } from './fields.js';
import type { QueryWord } from './query.js';
import { phrasePostings } from './scoring/phrase-postings.js';
import { documentFrequency, type Segment } from './segment/segment.js';
import { MAX_TYPO_DISTANCE } from './typo-distance.js';

/**
 * What ranking a query needs to know of the whole corpus: BM25's counts, and which terms a query
 * term expands to. A searcher asks its own segments ({@link SegmentStatistics}); a shard of a cluster
 * is given the archive's ({@link GatheredStatistics}), so that its scores are the whole archive's
 * (Elasticsearch's "DFS query then fetch").
 *
 * Every answer counts live documents only, so that it does not depend on how a corpus was cut into
 * segments or shards, nor on their history (deleted documents not yet merged away).
 */
export interface CorpusStatistics {
  /** Live documents. */
  readonly documentCount: number;
  /** Summed lengths of a field over the live documents. */
  fieldLengthSum(field: Field): number;
  /** Live documents holding a term in a field. */
  documentFrequency(term: string, field: Field): number;
  /** Longer terms starting with `prefix` that a live document holds in one of `fields`. */
  prefixExpansions(prefix: string, fields: readonly Field[]): readonly string[];
  /** Terms one edit away from `term` that a live document holds in one of `fields`. */
  oneEditExpansions(term: string, fields: readonly Field[]): readonly string[];
  /**
   * Paragraph words (`FIELD.text`) within `maxDistance` of a typed word by `typoDistance`, its first
   * `fixed` code units kept, with their distances. May hold words no live paragraph has: callers
   * weigh each by its {@link documentFrequency}.
   */
  nearTerms(typed: string, maxDistance: number, fixed: number): ReadonlyMap<string, number>;
  /** Live paragraphs holding a phrase, its words in order. */
  phraseFrequency(phrase: readonly QueryWord[]): number;
}

/**
 * How many paragraphs hold a word as typed, in their text or their article's title: a word of
 * headlines alone (a name, a new coinage) is a word of the archive, not a typing error.
 */
export function typedFrequency(
  statistics: Pick<CorpusStatistics, 'documentFrequency'>,
  exact: string,
): number {
  return statistics.documentFrequency(exact, FIELD.text) + statistics.documentFrequency(exact, FIELD.title);
}

/** The statistics of a set of segments, answered from them as asked. */
export class SegmentStatistics implements CorpusStatistics {
  readonly documentCount: number;
  /** Frequencies asked before: expansions are filtered by them, then answered with them. */
  private readonly frequencies = new Map<string, number>();

  constructor(private readonly segments: readonly Segment[]) {
    this.documentCount = segments.reduce((sum, segment) => sum + segment.liveCount, 0);
  }

  fieldLengthSum(field: Field): number {
    return this.segments.reduce((sum, segment) => sum + segment.fieldLengthSum(field), 0);
  }

  documentFrequency(term: string, field: Field): number {
    const key = frequencyKey(term, field);
    let frequency = this.frequencies.get(key);
    if (frequency === undefined) {
      frequency = documentFrequency(this.segments, term, field);
      this.frequencies.set(key, frequency);
    }
    return frequency;
  }

  prefixExpansions(prefix: string, fields: readonly Field[]): string[] {
    const found = new Set<string>();
    for (const segment of this.segments) for (const term of segment.termsWithPrefix(prefix)) found.add(term);
    found.delete(prefix);
    return this.heldIn(found, fields);
  }

  oneEditExpansions(term: string, fields: readonly Field[]): string[] {
    const found = new Set<string>();
    for (const segment of this.segments) for (const near of segment.termsOneEditAway(term)) found.add(near);
    return this.heldIn(found, fields);
  }

  nearTerms(typed: string, maxDistance: number, fixed: number): Map<string, number> {
    const distances = new Map<string, number>();
    for (const segment of this.segments) {
      for (const [term, distance] of segment.nearTerms(typed, maxDistance, fixed)) {
        distances.set(term, Math.min(distance, distances.get(term) ?? distance));
      }
    }
    return distances;
  }

  phraseFrequency(phrase: readonly QueryWord[]): number {
    return this.segments.reduce(
      (sum, segment) => sum + (phrasePostings(segment, phrase)?.documentFrequency ?? 0),
      0,
    );
  }

  /**
   * The terms a live document holds in one of the fields (a dictionary keeps the deleted ones' too):
   * the first segment that holds one answers, rather than every segment's count.
   */
  private heldIn(terms: Iterable<string>, fields: readonly Field[]): string[] {
    return [...terms].filter((term) =>
      fields.some((field) => this.segments.some((segment) => segment.frequency(term, field) > 0)),
    );
  }
}

/** Expansions of a term asked of a shard: in which fields a candidate must be held. */
export interface ExpansionRequest {
  term: string;
  fields: Field[];
}

/** A typed word whose near terms are asked of a shard. */
export interface NearRequest {
  typed: string;
  maxDistance: number;
  fixed: number;
  /**
   * Skip the look-up when the shard holds the typed word in more paragraphs than this: the word is then
   * too frequent in the archive to be corrected (asked before the archive's frequencies are known).
   */
  skipAbove?: number;
}

/**
 * Statistics asked of every shard in one round trip. Each shard's counts are summed: documents and
 * lengths always; the rest as asked.
 */
export interface StatisticsRequest {
  /** Document frequencies of terms in fields. */
  terms?: [string, Field][];
  prefixes?: ExpansionRequest[];
  oneEdits?: ExpansionRequest[];
  near?: NearRequest[];
  phrases?: QueryWord[][];
}

/** A term a shard holds, with its document frequency in each field asked (in their order). */
export type HeldTerm = [term: string, frequencies: number[]];

/** A shard's answer to a {@link StatisticsRequest}, in the request's order. */
export interface StatisticsAnswer {
  documentCount: number;
  /** By field id. */
  fieldLengthSums: number[];
  terms: number[];
  /** Per request: the candidates the shard holds in an asked field, with their frequencies there. */
  prefixes: HeldTerm[][];
  oneEdits: HeldTerm[][];
  /**
   * Per request: the near words some live paragraph of the shard holds, with distance and frequency;
   * `null` when skipped (see {@link NearRequest.skipAbove}).
   */
  near: ([term: string, distance: number, frequency: number][] | null)[];
  phrases: number[];
}

/** Answers a statistics request from one shard's own statistics. */
export function answerStatistics(statistics: CorpusStatistics, request: StatisticsRequest): StatisticsAnswer {
  const held = ({ term, fields }: ExpansionRequest, candidates: readonly string[]): HeldTerm[] =>
    candidates.map((candidate) => [
      candidate,
      fields.map((field) => statistics.documentFrequency(candidate, field)),
    ]);
  return {
    documentCount: statistics.documentCount,
    fieldLengthSums: Array.from({ length: FIELD_COUNT }, (_, field) =>
      statistics.fieldLengthSum(field as Field),
    ),
    terms: (request.terms ?? []).map(([term, field]) => statistics.documentFrequency(term, field)),
    prefixes: (request.prefixes ?? []).map((asked) =>
      held(asked, statistics.prefixExpansions(asked.term, asked.fields)),
    ),
    oneEdits: (request.oneEdits ?? []).map((asked) =>
      held(asked, statistics.oneEditExpansions(asked.term, asked.fields)),
    ),
    near: (request.near ?? []).map(({ typed, maxDistance, fixed, skipAbove }) =>
      skipAbove !== undefined && typedFrequency(statistics, typed) > skipAbove
        ? null
        : [...statistics.nearTerms(typed, maxDistance, fixed)].flatMap(
            ([term, distance]): [string, number, number][] => {
              const frequency = statistics.documentFrequency(term, FIELD.text);
              return frequency > 0 ? [[term, distance, frequency]] : [];
            },
          ),
    ),
    phrases: (request.phrases ?? []).map((phrase) => statistics.phraseFrequency(phrase)),
  };
}

/**
 * The statistics of a whole archive, summed from its shards' answers to the requests made of them
 * (round trip after round trip: each request may depend on the answers to the last).
 *
 * - A question that was never asked of the shards is a bug, and throws: answering 0 would rank a
 *   cluster's hits apart from a single archive's without a sign.
 */
export class GatheredStatistics implements CorpusStatistics {
  documentCount = 0;
  private readonly lengths = new Array<number>(FIELD_COUNT).fill(0);
  private readonly frequencies = new Map<string, number>();
  private readonly prefixes = new Map<string, string[]>();
  private readonly oneEdits = new Map<string, string[]>();
  private readonly near = new Map<string, Map<string, number>>();
  private readonly phrases = new Map<string, number>();
  /** Round trips added so far. */
  rounds = 0;

  /** Adds one round: the request and every shard's answer to it. */
  add(request: StatisticsRequest, answers: readonly StatisticsAnswer[]): void {
    const first = this.rounds === 0;
    this.rounds += 1;
    if (first) {
      for (const answer of answers) {
        this.documentCount += answer.documentCount;
        answer.fieldLengthSums.forEach((sum, field) => {
          this.lengths[field] = this.lengths[field]! + sum;
        });
      }
    }
    const count = (key: string, frequency: number) =>
      this.frequencies.set(key, (this.frequencies.get(key) ?? 0) + frequency);
    (request.terms ?? []).forEach(([term, field], at) => {
      this.frequencies.set(frequencyKey(term, field), 0);
      for (const answer of answers) count(frequencyKey(term, field), answer.terms[at]!);
    });
    const expansions = (
      asked: ExpansionRequest[] | undefined,
      answered: (answer: StatisticsAnswer) => HeldTerm[][],
      into: Map<string, string[]>,
    ) =>
      (asked ?? []).forEach(({ term, fields }, at) => {
        const candidates = new Map<string, number[]>();
        for (const answer of answers) {
          for (const [candidate, frequencies] of answered(answer)[at]!) {
            const sums = candidates.get(candidate) ?? fields.map(() => 0);
            frequencies.forEach((frequency, place) => (sums[place]! += frequency));
            candidates.set(candidate, sums);
          }
        }
        // Shards that lack a candidate hold it in none of the fields: its sums are whole.
        for (const [candidate, sums] of candidates) {
          fields.forEach((field, at) => {
            if (!this.frequencies.has(frequencyKey(candidate, field)))
              this.frequencies.set(frequencyKey(candidate, field), sums[at]!);
          });
        }
        into.set(expansionKey(term, fields), [...candidates.keys()]);
      });
    expansions(request.prefixes, (answer) => answer.prefixes, this.prefixes);
    expansions(request.oneEdits, (answer) => answer.oneEdits, this.oneEdits);
    (request.near ?? []).forEach(({ typed, maxDistance, fixed }, at) => {
      // Skipped by a shard: the word is too frequent to be corrected, and its near terms are not known.
      if (answers.some((answer) => answer.near[at] === null)) return;
      const distances = new Map<string, number>();
      const frequencies = new Map<string, number>();
      for (const answer of answers) {
        for (const [term, distance, frequency] of answer.near[at]!) {
          distances.set(term, distance);
          frequencies.set(term, (frequencies.get(term) ?? 0) + frequency);
        }
      }
      for (const [term, frequency] of frequencies) {
        if (!this.frequencies.has(frequencyKey(term, FIELD.text)))
          this.frequencies.set(frequencyKey(term, FIELD.text), frequency);
      }
      this.near.set(nearKey(typed, maxDistance, fixed), distances);
    });
    (request.phrases ?? []).forEach((phrase, at) => {
      this.phrases.set(
        phraseKey(phrase),
        answers.reduce((sum, answer) => sum + answer.phrases[at]!, 0),
      );
    });
  }

  /** The gathered statistics as JSON, for the shards a query is then sent to. */
  toJSON(): GatheredStatisticsJson {
    return {
      documentCount: this.documentCount,
      lengths: [...this.lengths],
      frequencies: [...this.frequencies],
      prefixes: [...this.prefixes],
      oneEdits: [...this.oneEdits],
      near: [...this.near].map(([key, distances]) => [key, [...distances]]),
      phrases: [...this.phrases],
    };
  }

  /** Statistics from {@link toJSON}; throws `TypeError` when `json` is not such. */
  static fromJSON(json: GatheredStatisticsJson): GatheredStatistics {
    const statistics = new GatheredStatistics();
    if (
      typeof json?.documentCount !== 'number' ||
      !Array.isArray(json.lengths) ||
      json.lengths.length !== FIELD_COUNT ||
      ![json.frequencies, json.prefixes, json.oneEdits, json.near, json.phrases].every(Array.isArray)
    ) {
      throw new TypeError('statistics must be as GatheredStatistics.toJSON gives them');
    }
    statistics.documentCount = json.documentCount;
    json.lengths.forEach((sum, field) => (statistics.lengths[field] = Number(sum)));
    for (const [key, value] of json.frequencies) statistics.frequencies.set(String(key), Number(value));
    for (const [key, terms] of json.prefixes) statistics.prefixes.set(String(key), terms.map(String));
    for (const [key, terms] of json.oneEdits) statistics.oneEdits.set(String(key), terms.map(String));
    for (const [key, distances] of json.near)
      statistics.near.set(
        String(key),
        new Map(distances.map(([term, distance]) => [String(term), Number(distance)])),
      );
    for (const [key, value] of json.phrases) statistics.phrases.set(String(key), Number(value));
    statistics.rounds = 1;
    return statistics;
  }

  /** Whether a term's frequency in a field was gathered. */
  knows(term: string, field: Field): boolean {
    return this.frequencies.has(frequencyKey(term, field));
  }

  knowsPrefixes({ term, fields }: ExpansionRequest): boolean {
    return this.prefixes.has(expansionKey(term, fields));
  }

  knowsOneEdits({ term, fields }: ExpansionRequest): boolean {
    return this.oneEdits.has(expansionKey(term, fields));
  }

  knowsNear({ typed, maxDistance, fixed }: NearRequest): boolean {
    return this.gatheredNear(typed, maxDistance, fixed) !== undefined;
  }

  /**
   * The near terms gathered for a typed word within `maxDistance`, or within a larger distance and kept
   * to those within it: a cluster asks a word's widest look-up before it knows whether the archive holds
   * the word (which narrows it, see `MAX_KNOWN_WORD_DISTANCE`), and need not ask again.
   */
  private gatheredNear(
    typed: string,
    maxDistance: number,
    fixed: number,
  ): ReadonlyMap<string, number> | undefined {
    const exact = this.near.get(nearKey(typed, maxDistance, fixed));
    if (exact !== undefined) return exact;
    for (let wider = maxDistance + 1; wider <= MAX_TYPO_DISTANCE; wider += 1) {
      const gathered = this.near.get(nearKey(typed, wider, fixed));
      if (gathered !== undefined) {
        const within = new Map([...gathered].filter(([, distance]) => distance <= maxDistance));
        this.near.set(nearKey(typed, maxDistance, fixed), within);
        return within;
      }
    }
    return undefined;
  }

  knowsPhrase(phrase: readonly QueryWord[]): boolean {
    return this.phrases.has(phraseKey(phrase));
  }

  fieldLengthSum(field: Field): number {
    return this.lengths[field]!;
  }

  documentFrequency(term: string, field: Field): number {
    return gathered(
      this.frequencies.get(frequencyKey(term, field)),
      `the frequency of ${term} in field ${field}`,
    );
  }

  prefixExpansions(prefix: string, fields: readonly Field[]): readonly string[] {
    return gathered(this.prefixes.get(expansionKey(prefix, fields)), `the expansions of ${prefix}`);
  }

  oneEditExpansions(term: string, fields: readonly Field[]): readonly string[] {
    return gathered(this.oneEdits.get(expansionKey(term, fields)), `the terms one edit from ${term}`);
  }

  nearTerms(typed: string, maxDistance: number, fixed: number): ReadonlyMap<string, number> {
    return gathered(this.gatheredNear(typed, maxDistance, fixed), `the near terms of ${typed}`);
  }

  phraseFrequency(phrase: readonly QueryWord[]): number {
    return gathered(this.phrases.get(phraseKey(phrase)), 'the frequency of a phrase');
  }
}

/** {@link GatheredStatistics} as JSON. */
export interface GatheredStatisticsJson {
  documentCount: number;
  lengths: number[];
  frequencies: [string, number][];
  prefixes: [string, string[]][];
  oneEdits: [string, string[]][];
  near: [string, [string, number][]][];
  phrases: [string, number][];
}

function gathered<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bug: ${what} was not gathered from the shards`);
  return value;
}

function frequencyKey(term: string, field: Field): string {
  return `${field}\u0000${term}`;
}

function expansionKey(term: string, fields: readonly Field[]): string {
  return `${fields.join(',')}\u0000${term}`;
}

function nearKey(typed: string, maxDistance: number, fixed: number): string {
  return `${maxDistance} ${fixed}\u0000${typed}`;
}

function phraseKey(phrase: readonly QueryWord[]): string {
  return phrase
    .map((word) => `${word.exact}\u0001${word.stem}\u0001${word.alternative ?? ''}`)
    .join('\u0000');
}
