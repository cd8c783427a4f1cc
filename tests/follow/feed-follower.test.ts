import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedFollower } from '../../src/follow/feed-follower.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { ATOM, FeedServer, rss, rssItem } from '../helpers/feeds.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

describe('following feeds', () => {
  const server = new FeedServer();
  let directory: Awaited<ReturnType<typeof temporaryDirectory>>;
  let archive: PersistentArchive;
  const state = () => join(directory.path, 'follow-state.json');
  const logs: string[] = [];
  const open = (urls: string[]) =>
    FeedFollower.open(archive, urls, state(), { intervalMs: 60_000, log: (line) => logs.push(line) });

  beforeAll(async () => {
    await server.start();
    directory = await temporaryDirectory();
    archive = await PersistentArchive.open(directory.path, { autoSave: false });
  });
  afterAll(async () => {
    await archive.close();
    await server.close();
    await directory.remove();
  });

  it('imports new entries, takes a 304 for an unchanged feed, and an edited entry replaces its article', async () => {
    server.feeds.set('/rss', { body: rss(rssItem('a1', 'سيول', '<p>غمرت السيول القرى</p>')) });
    server.feeds.set('/atom', { body: ATOM, contentType: 'application/atom+xml' });
    const follower = await open([`${server.base}/rss`, `${server.base}/atom`]);
    const first = await follower.round(Date.parse('2024-03-03T00:00:00Z'));
    expect(
      first.map(({ status, added, changed, unusable }) => ({ status, added, changed, unusable })),
    ).toEqual([
      { status: 'fetched', added: 1, changed: 0, unusable: 0 },
      { status: 'fetched', added: 1, changed: 0, unusable: 1 },
    ]);
    expect(archive.get('a1')?.paragraphs).toEqual(['غمرت السيول القرى']);
    expect(archive.search('الميزانية').hits.map((hit) => hit.id)).toEqual(['urn:agency:1']);
    expect(logs.at(-1)).toMatch(
      /^follow: 2 feeds, 2 fetched, 0 unchanged, 0 waiting, 0 failed; 2 entries added/u,
    );

    const second = await follower.round(Date.parse('2024-03-03T00:10:00Z'));
    expect(second.map((report) => report.status)).toEqual(['unchanged', 'unchanged']);
    expect(server.requests.at(-1)?.ifNoneMatch).toMatch(/^"/u);

    server.feeds.set('/rss', {
      body: rss(
        rssItem('a1', 'سيول', '<p>غمرت السيول القرى الجنوبية</p>', 'Fri, 01 Mar 2024 11:00:00 GMT') +
          rssItem('a2', 'أمطار', '<p>أمطار غزيرة</p>'),
      ),
    });
    const third = await follower.round(Date.parse('2024-03-03T00:20:00Z'));
    expect(third[0]).toMatchObject({ status: 'fetched', added: 1, changed: 1 });
    expect(archive.get('a1')?.paragraphs).toEqual(['غمرت السيول القرى الجنوبية']);
  });

  it('after a restart, imports nothing again and misses nothing new', async () => {
    server.feeds.set('/rss', {
      body: rss(
        rssItem('a1', 'سيول', '<p>غمرت السيول القرى الجنوبية</p>', 'Fri, 01 Mar 2024 11:00:00 GMT') +
          rssItem('a2', 'أمطار', '<p>أمطار غزيرة</p>') +
          rssItem('a3', 'طرق', '<p>إغلاق الطرق</p>'),
      ),
    });
    const restarted = await open([`${server.base}/rss`, `${server.base}/atom`]);
    const round = await restarted.round(Date.parse('2024-03-03T00:30:00Z'));
    expect(round.map(({ status, added, changed }) => ({ status, added, changed }))).toEqual([
      { status: 'fetched', added: 1, changed: 0 },
      { status: 'unchanged', added: 0, changed: 0 },
    ]);
    expect(archive.get('a3')?.paragraphs).toEqual(['إغلاق الطرق']);
  });

  it('a malformed or failing feed backs off, doubling, and never stops the others', async () => {
    // A proxy's error page served as 200: not a feed.
    server.feeds.set('/broken', {
      body: '<html><body>خطأ في الخادم</body></html>',
      contentType: 'text/html',
    });
    server.feeds.set('/down', { body: '', status: 503 });
    server.feeds.set('/ok', { body: rss(rssItem('b1', 'اقتصاد', '<p>نمو الاقتصاد</p>')) });
    const follower = await open([`${server.base}/broken`, `${server.base}/down`, `${server.base}/ok`]);
    const start = Date.parse('2024-03-04T00:00:00Z');
    const first = await follower.round(start);
    expect(first.map((report) => report.status)).toEqual(['failed', 'failed', 'fetched']);
    expect(first[0]!.error).toMatch(/not an RSS or Atom feed/u);
    expect(first[1]!.error).toBe('HTTP 503');
    expect(archive.get('b1')).toBeDefined();
    expect(follower.state(`${server.base}/down`)).toMatchObject({ failures: 1, retryAt: start + 60_000 });
    // Within the wait: not polled.
    expect((await follower.round(start + 30_000))[1]!.status).toBe('waiting');
    await follower.round(start + 60_000);
    expect(follower.state(`${server.base}/down`)).toMatchObject({
      failures: 2,
      retryAt: start + 60_000 + 120_000,
    });
    server.feeds.set('/down', { body: rss(rssItem('c1', 'عودة', '<p>عاد الموقع</p>')) });
    const back = await follower.round(start + 180_000);
    expect(back[1]).toMatchObject({ status: 'fetched', added: 1 });
    expect(follower.state(`${server.base}/down`)).toMatchObject({ failures: 0 });
    expect(follower.state(`${server.base}/down`).retryAt).toBeUndefined();
  });

  it('takes what a truncated feed still holds, counting the entry cut short as unusable', async () => {
    server.feeds.set('/truncated', {
      body: rss(rssItem('t1', 'كامل', '<p>خبر كامل</p>')).replace(
        '</channel></rss>',
        '<item><title>نص مقطوع',
      ),
    });
    const [report] = await (await open([`${server.base}/truncated`])).round();
    expect(report).toMatchObject({ status: 'fetched', added: 1, unusable: 1 });
    expect(archive.get('t1')?.paragraphs).toEqual(['خبر كامل']);
  });

  it('reads a feed in the charset it declares (windows-1256)', async () => {
    const xml = rss(rssItem('w1', 'عنوان', '<p>نص عربي بترميز ويندوز</p>'), 'windows-1256');
    const decoder = new TextDecoder('windows-1256');
    const table = new Map<string, number>();
    for (let byte = 0; byte < 256; byte += 1) table.set(decoder.decode(Uint8Array.of(byte)), byte);
    server.feeds.set('/cp1256', { body: Buffer.from([...xml].map((char) => table.get(char) ?? 0x3f)) });
    const follower = await open([`${server.base}/cp1256`]);
    expect((await follower.round())[0]).toMatchObject({ status: 'fetched', added: 1 });
    expect(archive.get('w1')?.paragraphs).toEqual(['نص عربي بترميز ويندوز']);
  });
});

describe('FeedFollower.run', () => {
  it('polls every interval until aborted, holding one abort listener whatever the rounds', async () => {
    const directory = await temporaryDirectory();
    try {
      const lines: string[] = [];
      const follower = await FeedFollower.open(
        { write: async () => ({ stored: [], ignored: [] }) },
        [],
        join(directory.path, 'state.json'),
        { intervalMs: 5, log: (line) => lines.push(line) },
      );
      const stop = new AbortController();
      const running = follower.run(stop.signal);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(lines.length).toBeGreaterThan(5);
      expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);
      stop.abort();
      await running;
      const rounds = lines.length;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(lines).toHaveLength(rounds);
    } finally {
      await directory.remove();
    }
  });
});
