import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildSegmentsInParallel,
  PARALLEL_THRESHOLD,
  SegmentBuilders,
  SegmentWorker,
} from '../../src/storage/segment-builder.js';
import { CompactSegment } from '../../src/search/segment/compact-segment.js';
import { buildCompactSegment } from '../../src/search/segment/segment-writer.js';
import { type CompactSegmentData, TermList } from '../../src/search/segments.js';

const termsOf = (data: CompactSegmentData) => new TermList(data.termText, data.termEnds).terms();

const article = (id: string, text: string) => ({ id, title: 'عنوان', paragraphs: [text] });

describe('SegmentWorker: one thread for a series of background jobs', () => {
  it('runs jobs in turn, goes on after one fails, and its segments equal those built here', async () => {
    const worker = new SegmentWorker();
    try {
      const first = worker.run({ articles: [article('a', 'ارتفعت أسعار النفط')], analysis: {} });
      const failed = worker.run({
        articles: [article('b', 'نص')],
        analysis: {},
        file: '/nonexistent/arshif/segment.seg',
      });
      const merged = worker.run({
        merge: [
          { data: buildCompactSegment([article('c', 'تراجع الذهب')], {}), deleted: [] },
          { data: buildCompactSegment([article('d', 'تراجع النفط')], {}), deleted: [0] },
        ],
      });
      expect(termsOf((await first.done).data)).toEqual(
        termsOf(buildCompactSegment([article('a', 'ارتفعت أسعار النفط')], {})),
      );
      await expect(failed.done).rejects.toMatchObject({
        code: 'IO_ERROR',
        message: expect.stringContaining('/nonexistent'),
      });
      const segment = new CompactSegment((await merged.done).data);
      expect([segment.size, segment.articleId(0)]).toEqual([1, 'c']);
    } finally {
      await worker.close();
    }
  });

  it('closing stops the thread: a job under way rejects, and the next run starts a new thread', async () => {
    const worker = new SegmentWorker();
    const running = worker.run({ articles: [article('a', 'نص')], analysis: {} });
    await worker.close();
    await expect(running.done).rejects.toMatchObject({ code: 'IO_ERROR' });
    const again = worker.run({ articles: [article('b', 'نص آخر')], analysis: {} });
    expect((await again.done).data.articleIds).toEqual(['b']);
    await worker.close();
  });

  it.skipIf(!existsSync('/proc/thread-self'))(
    'a background worker runs at a lower priority, and only its own thread does (needs Linux /proc)',
    async () => {
      const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      const threadNices = () =>
        readdirSync('/proc/self/task').map((thread) => {
          try {
            return niceOf(readFileSync(`/proc/self/task/${thread}/stat`, 'utf8'));
          } catch {
            return undefined; // a thread that ended meanwhile
          }
        });
      const before = threadNices().filter((nice) => nice === 10).length;
      const worker = new SegmentWorker(10);
      try {
        await worker.run({ articles: [article('a', 'نص')], analysis: {} }).done;
        expect(threadNices().filter((nice) => nice === 10)).toHaveLength(before + 1);
        expect(niceOf(readFileSync('/proc/thread-self/stat', 'utf8'))).toBe(0);
      } finally {
        await worker.close();
      }
    },
  );
});

describe('SegmentBuilders: the threads of a bulk load, kept from batch to batch', () => {
  // Just enough paragraphs for a batch to be built in parallel.
  const batch = (name: string) =>
    Array.from({ length: PARALLEL_THRESHOLD / 4 }, (_, at) => ({
      id: `${name}${at}`,
      title: 'عنوان',
      paragraphs: [`نص ${at}`, `خبر ${name}`, 'ارتفعت الأسعار', `رقم ${at % 97}`],
    }));

  it('builds batch after batch in the same threads, the segments a single thread builds', async () => {
    const builders = new SegmentBuilders();
    const workers = builders.start();
    try {
      const threads = workers.map((worker) => worker.threadId);
      expect(threads.every((id) => id !== undefined)).toBe(true);
      for (const name of ['a', 'b']) {
        const articles = batch(name);
        const built = await buildSegmentsInParallel(articles, {}, builders);
        expect(built).toHaveLength(builders.count);
        expect(built.flatMap((data) => data.articleIds)).toEqual(articles.map(({ id }) => id));
        expect(new Set(built.flatMap(termsOf))).toEqual(new Set(termsOf(buildCompactSegment(articles, {}))));
        expect(builders.start().map((worker) => worker.threadId)).toEqual(threads);
      }
    } finally {
      await builders.close();
    }
    expect(workers.map((worker) => worker.threadId)).toEqual(workers.map(() => undefined));
  });
});
