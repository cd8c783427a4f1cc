import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';
import { Archive, type ArchiveChange } from '../../src/archive/archive.js';
import { type SearchResponse } from '../../src/archive/archive-search.js';
import type { Article } from '../../src/article/article.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { mergeSegments } from '../../src/search/segment/segment-merger.js';
import { buildCompactSegment, type SegmentSource } from '../../src/search/segment/segment-writer.js';

const QUERIES = ['أسعار النفط', 'الانتخابات', 'المغرب', 'كرة القدم', '"وزارة الصحة"', 'الحكومة -النفط'];

/** Everything a search answers, scores to the bit. */
function answers(archive: Archive): unknown {
  const outcome = ({ total, hits }: SearchResponse) => ({
    total,
    hits: hits.map(({ id, para, score, snippet }) => [id, para, score, snippet]),
  });
  return {
    stats: archive.stats(),
    // The same segments, so that changes naming segments by position (merges) name the same ones.
    segments: archive.engine.segments.compactSegments.map((segment) => [segment.size, segment.liveCount]),
    searches: QUERIES.map((query) => outcome(archive.search(query, { limit: 20 }))),
    sorted: outcome(archive.search('الحكومة', { sort: 'date', limit: 20 })),
    // Once any article with vectors is searched: vectors travel with every kind of change too.
    ...(archive.vectorSettings.dimensions === undefined
      ? {}
      : {
          nearest: VECTOR_QUERIES.map((vector) => outcome(archive.search('', { vector, limit: 20 }))),
          blended: outcome(archive.search('النفط', { vector: VECTOR_QUERIES[0]!, limit: 20 })),
        }),
  };
}

const VECTOR_QUERIES = [
  [1, 0, 0.5],
  [0, 1, 0.2],
];

/** What a primary does to its index, as the persistent archive and bulk loads do it. */
type Step =
  | { op: 'put'; article: number; reversed: boolean }
  | { op: 'putMany'; from: number; count: number }
  | { op: 'remove'; article: number }
  | { op: 'beginSeal' }
  | { op: 'finishSeal'; failed: boolean }
  | { op: 'merge'; failed: boolean }
  | { op: 'seal' }
  | { op: 'compare' };

describe('a replica that applies an archive’s changes answers exactly as the archive', () => {
  const articles: Article[] = [];
  beforeAll(async () => {
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    expect(articles.length).toBeGreaterThan(30);
    // Two articles in three carry vectors, their first paragraph none.
    articles.forEach((article, n) => {
      if (n % 3 === 2) return;
      article.vectors = article.paragraphs.map((_, para) =>
        para === 0 ? null : Float32Array.of(Math.cos(n + para), Math.sin(n * para), 0.3),
      );
    });
  });

  const step: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ op: fc.constant('put'), article: fc.nat(200), reversed: fc.boolean() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('putMany'),
        from: fc.nat(200),
        count: fc.integer({ min: 2, max: 200 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('remove'), article: fc.nat(200) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('beginSeal') }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('finishSeal'), failed: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('merge'), failed: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('seal') }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('compare') }) },
  ) as fc.Arbitrary<Step>;

  it('after any sequence of writes, removals, seals and merges, changes copied as a thread receives them', () => {
    const done = { merges: 0, failedMerges: 0, seals: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.boolean(),
        (before, steps, defer, publish) => {
          // A small live limit seals in this thread too, and makes enough segments to merge.
          const options = { liveLimit: 10 };
          const primary = new Archive(options);
          for (const article of articles.slice(0, before)) primary.put(article);
          const replica = Archive.fromState(structuredClone(primary.state()), options);
          // As under search replicas: the primary keeps fresh paragraphs unindexed until searched.
          primary.engine.segments.deferLiveIndexing(defer);
          const changes: ArchiveChange[] = [];
          primary.onChange((change) => changes.push(structuredClone(change)));
          // As a service publishing its writes: searches see only what seals published.
          primary.publishWrites(publish);
          let sealing: SegmentSource[] | undefined;
          for (const next of steps) {
            const article = (index: number) => articles[index % articles.length]!;
            switch (next.op) {
              case 'put': {
                const { paragraphs } = article(next.article);
                primary.put({
                  ...article(next.article),
                  paragraphs: next.reversed ? [...paragraphs].reverse() : paragraphs,
                });
                break;
              }
              case 'putMany':
                primary.putMany(Array.from({ length: next.count }, (_, at) => article(next.from + at)));
                break;
              case 'remove':
                primary.remove(article(next.article).id);
                break;
              case 'beginSeal':
                sealing ??= primary.beginSeal();
                break;
              case 'finishSeal':
                if (sealing === undefined) break;
                primary.finishSeal(
                  next.failed ? undefined : buildCompactSegment(sealing, primary.engine.analysis),
                );
                sealing = undefined;
                done.seals += 1;
                break;
              case 'merge': {
                const group = primary.engine.segments.mergeCandidates();
                if (group === undefined) break;
                primary.beginMerge(group);
                primary.finishMerge(next.failed ? undefined : mergeSegments(group));
                done[next.failed ? 'failedMerges' : 'merges'] += 1;
                break;
              }
              case 'seal':
                if (sealing === undefined) primary.sealedSegments();
                break;
              case 'compare':
                // Searching midway indexes a deferred primary's fresh paragraphs; writes go on after.
                for (const change of changes.splice(0)) replica.apply(change);
                expect(answers(replica)).toEqual(answers(primary));
                break;
            }
            for (const change of changes.splice(0)) replica.apply(change);
          }
          expect(answers(replica)).toEqual(answers(primary));
        },
      ),
      // A fixed seed keeps the check below (every kind of change was reached) from depending on luck.
      { numRuns: 60, seed: 20261129 },
    );
    // The runs reached every kind of change.
    expect(done).toEqual({
      merges: expect.any(Number),
      failedMerges: expect.any(Number),
      seals: expect.any(Number),
    });
    expect(Math.min(done.merges, done.failedMerges, done.seals)).toBeGreaterThan(0);
  });

  it('a bulk load with articles replaced and removed while it is built: neither comes back, and a replica agrees', async () => {
    // A word of each article's own, three edits from any other's (no one-edit expansion reaches it);
    // typo tolerance, which reaches some of them (a shift of a doubled digit costs 1.5), is off.
    const marker = (n: number) => `m${String(n).padStart(3, '0').repeat(3)}`;
    // Over the bulk threshold, so that the batch is built as segments after an await.
    const batch: Article[] = Array.from({ length: 120 }, (_, n) => ({
      id: `bulk-${n}`,
      title: 'دفعة',
      paragraphs: Array.from({ length: 10 }, (_, p) => `فقرة ${p} من مقال ${marker(n)} عن الأسواق`),
    }));
    const noTypos = { ranking: { typoWeight: 0 } };
    const primary = new Archive(noTypos);
    const replica = Archive.fromState(structuredClone(primary.state()), noTypos);
    primary.onChange((change) => replica.apply(structuredClone(change)));
    const loading = primary.putAll(batch);
    primary.put({ id: 'bulk-0', title: 'بديل', paragraphs: ['نص جديد عن الذهب'] });
    primary.remove('bulk-1');
    await loading;
    expect(primary.stats()).toEqual({ articles: 119, paragraphs: 118 * 10 + 1 });
    expect(primary.search(marker(0)).total).toBe(0);
    expect(primary.search(marker(1)).total).toBe(0);
    expect(primary.search(marker(2)).hits.map((hit) => hit.id)).toContain('bulk-2');
    expect(primary.search('الذهب').hits.map((hit) => hit.id)).toEqual(['bulk-0']);
    expect(answers(replica)).toEqual(answers(primary));
    expect(replica.search('الذهب').hits.map((hit) => hit.id)).toEqual(['bulk-0']);
  });

  it('publishing writes: an article shows when its seal is done, and stays findable until its replacement shows', () => {
    const primary = new Archive();
    primary.put({ id: 'a', title: 'خبر', paragraphs: ['markeroneone عن الاسواق'] });
    primary.publishWrites(true);
    const ids = (query: string) => primary.search(query).hits.map((hit) => hit.id);
    const publish = () => {
      const articles = primary.beginSeal();
      expect(ids('markertwotwo')).toEqual(ids('markertwotwo')); // searched while it is sealed
      primary.finishSeal(articles === undefined ? undefined : buildCompactSegment(articles, {}));
    };
    primary.put({ id: 'b', title: 'خبر', paragraphs: ['markertwotwo عن الذهب'] });
    expect(ids('markertwotwo')).toEqual([]);
    publish();
    expect(ids('markertwotwo')).toEqual(['b']);
    // Replaced: the old version is found until the new one is published, then only the new one.
    primary.put({ id: 'a', title: 'خبر', paragraphs: ['markerthreethree عن النفط'] });
    expect([ids('markeroneone'), ids('markerthreethree')]).toEqual([['a'], []]);
    const articles = primary.beginSeal();
    expect([ids('markeroneone'), ids('markerthreethree')]).toEqual([['a'], []]);
    primary.finishSeal(buildCompactSegment(articles!, {}));
    expect([ids('markeroneone'), ids('markerthreethree')]).toEqual([[], ['a']]);
    // Removed: found until the next seal, even with nothing new to seal.
    primary.remove('b');
    expect(ids('markertwotwo')).toEqual(['b']);
    publish();
    expect(ids('markertwotwo')).toEqual([]);
    expect(primary.stats()).toEqual({ articles: 1, paragraphs: 1 });
    // An article without text has nothing to seal: it is counted at the next seal all the same.
    primary.put({ id: 'empty', title: 'بلا نص', paragraphs: [' '] });
    expect(primary.get('empty')?.title).toBe('بلا نص');
    publish();
    expect(primary.stats()).toEqual({ articles: 2, paragraphs: 1 });
    // Leaving publish mode, fresh writes are searched at once again.
    primary.publishWrites(false);
    primary.put({ id: 'c', title: 'خبر', paragraphs: ['markerfourfour'] });
    expect(ids('markerfourfour')).toEqual(['c']);
  });

  it('a state is refused while a seal is under way, whose result a replica could not apply', () => {
    const primary = new Archive();
    primary.put(articles[0]!);
    expect(primary.beginSeal()).toBeDefined();
    expect(() => primary.state()).toThrow(/seal or merge is under way/u);
  });
});
