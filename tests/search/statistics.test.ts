import { describe, expect, it } from 'vitest';
import { FIELD } from '../../src/search/fields.js';
import { queryWords } from '../../src/search/query.js';
import { CompactSegment } from '../../src/search/segment/compact-segment.js';
import { buildCompactSegment } from '../../src/search/segment/segment-writer.js';
import {
  answerStatistics,
  GatheredStatistics,
  SegmentStatistics,
  type StatisticsRequest,
} from '../../src/search/statistics.js';

const PARAGRAPHS = [
  'ارتفعت أسعار النفط في الأسواق العالمية',
  'انخفضت أسعار الذهب اليوم',
  'قالت الحكومة إن أسعار النفط ستستقر',
  'الحكومات العربية تناقش أسعار الطاقة',
];

/** A segment of one-paragraph articles, numbered from `from`. */
function segmentOf(paragraphs: readonly string[], from: number): CompactSegment {
  return new CompactSegment(
    buildCompactSegment(
      paragraphs.map((text, at) => ({ id: `a${from + at}`, title: 'عنوان', paragraphs: [text] })),
      {},
    ),
  );
}

describe('GatheredStatistics', () => {
  const whole = new SegmentStatistics([segmentOf(PARAGRAPHS, 0)]);
  const shards = [segmentOf(PARAGRAPHS.slice(0, 2), 0), segmentOf(PARAGRAPHS.slice(2), 2)].map(
    (segment) => new SegmentStatistics([segment]),
  );
  const [oil] = queryWords('النفط', undefined);
  const [government] = queryWords('الحكومت', undefined);
  const request: StatisticsRequest = {
    terms: [
      [oil!.exact, FIELD.text],
      [oil!.stem, FIELD.textStem],
    ],
    prefixes: [{ term: 'حكوم', fields: [FIELD.textStem, FIELD.titleStem] }],
    oneEdits: [{ term: 'اسعار', fields: [FIELD.textStem] }],
    near: [{ typed: government!.exact, maxDistance: 1, fixed: 2 }],
    phrases: [queryWords('أسعار النفط', undefined)],
  };

  it("summed from shards' answers, answers as the statistics of one index holding them all", () => {
    const gathered = new GatheredStatistics();
    gathered.add(
      request,
      shards.map((shard) => answerStatistics(shard, request)),
    );
    for (const statistics of [gathered, GatheredStatistics.fromJSON(JSON.parse(JSON.stringify(gathered)))]) {
      expect(statistics.documentCount).toBe(whole.documentCount);
      for (const field of Object.values(FIELD))
        expect(statistics.fieldLengthSum(field)).toBe(whole.fieldLengthSum(field));
      expect(statistics.documentFrequency(oil!.stem, FIELD.textStem)).toBe(2);
      expect(statistics.documentFrequency(oil!.exact, FIELD.text)).toBe(
        whole.documentFrequency(oil!.exact, FIELD.text),
      );
      expect([...statistics.prefixExpansions('حكوم', [FIELD.textStem, FIELD.titleStem])].sort()).toEqual(
        [...whole.prefixExpansions('حكوم', [FIELD.textStem, FIELD.titleStem])].sort(),
      );
      expect(statistics.phraseFrequency(queryWords('أسعار النفط', undefined))).toBe(2);
      const near = statistics.nearTerms(government!.exact, 1, 2);
      expect(near.size).toBeGreaterThan(0);
      for (const [term] of near) {
        expect(statistics.documentFrequency(term, FIELD.text)).toBe(
          whole.documentFrequency(term, FIELD.text),
        );
      }
    }
  });

  it("answers a word's near terms within one edit from those gathered within two, not the other way", () => {
    const [typed] = queryWords('الحكومتا', undefined);
    const wide: StatisticsRequest = { near: [{ typed: typed!.exact, maxDistance: 2, fixed: 2 }] };
    const gathered = new GatheredStatistics();
    gathered.add(
      wide,
      shards.map((shard) => answerStatistics(shard, wide)),
    );
    const held = (near: ReadonlyMap<string, number>) =>
      [...near].filter(([term]) => whole.documentFrequency(term, FIELD.text) > 0).sort();
    const withinOne = held(whole.nearTerms(typed!.exact, 1, 2));
    expect(withinOne.length).toBeGreaterThan(0);
    expect(held(whole.nearTerms(typed!.exact, 2, 2)).length).toBeGreaterThan(withinOne.length);
    expect(gathered.knowsNear({ typed: typed!.exact, maxDistance: 1, fixed: 2 })).toBe(true);
    expect([...gathered.nearTerms(typed!.exact, 1, 2)].sort()).toEqual(withinOne);

    const narrow: StatisticsRequest = { near: [{ typed: typed!.exact, maxDistance: 1, fixed: 2 }] };
    const gatheredNarrow = new GatheredStatistics();
    gatheredNarrow.add(
      narrow,
      shards.map((shard) => answerStatistics(shard, narrow)),
    );
    expect(gatheredNarrow.knowsNear({ typed: typed!.exact, maxDistance: 2, fixed: 2 })).toBe(false);
    expect(() => gatheredNarrow.nearTerms(typed!.exact, 2, 2)).toThrow(/not gathered/u);
  });

  it('refuses a question the shards were never asked, rather than answer 0', () => {
    const gathered = new GatheredStatistics();
    gathered.add(
      request,
      shards.map((shard) => answerStatistics(shard, request)),
    );
    expect(() => gathered.documentFrequency('الذهب', FIELD.text)).toThrow(/not gathered/u);
    expect(() => gathered.prefixExpansions('ذهب', [FIELD.textStem])).toThrow(/not gathered/u);
    expect(() => GatheredStatistics.fromJSON({} as never)).toThrow(TypeError);
  });
});
