import { getEventListeners } from 'node:events';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { FeedFollower } from '../../src/follow/feed-follower.js';
import { parseFeedEntries } from '../../src/ingest/feed.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { temporaryDirectory } from '../temp-archive.js';

const rss = (items: string, encoding = 'UTF-8') => `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>جريدة الصباح</title><link>https://example.org</link>
${items}
</channel></rss>`;

const rssItem = (id: string, title: string, html: string, date = 'Fri, 01 Mar 2024 09:30:00 GMT') => `<item>
<guid>${id}</guid><title>${title}</title><link>https://example.org/${id}</link><pubDate>${date}</pubDate>
<description>ملخص فقط</description>
<content:encoded><![CDATA[${html}]]></content:encoded>
</item>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة الأنباء</title><id>urn:agency</id>
<updated>2024-03-02T08:00:00Z</updated>
<entry><id>urn:agency:1</id><title>اجتماع الحكومة</title><updated>2024-03-02T08:00:00Z</updated>
<summary>عقدت الحكومة اجتماعها الأسبوعي وناقشت الميزانية.</summary></entry>
<entry><title>بلا معرف ولا رابط</title><summary>نص</summary></entry>
</feed>`;

/** A feed server on loopback: each path answers what `feeds` holds, with an ETag, and 304 when it matches. */
class FeedServer {
  readonly feeds = new Map<string, { body: string | Buffer; contentType?: string; status?: number }>();
  requests: { path: string; ifNoneMatch: string | undefined }[] = [];
  private server: Server | undefined;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const path = request.url ?? '/';
      this.requests.push({ path, ifNoneMatch: request.headers['if-none-match'] });
      const feed = this.feeds.get(path);
      if (feed === undefined) {
        response.writeHead(404).end();
        return;
      }
      if (feed.status !== undefined) {
        response.writeHead(feed.status).end();
        return;
      }
      const etag = `"${Buffer.from(feed.body).toString('base64').slice(-16)}"`;
      if (request.headers['if-none-match'] === etag) {
        response.writeHead(304, { etag }).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': feed.contentType ?? 'application/rss+xml', etag })
        .end(feed.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

describe('feed entries as articles', () => {
  it('takes an RSS entry’s full content, split by its markup, and the feed’s title as the source', () => {
    const { entries, unusable } = parseFeedEntries(rss(rssItem('a1', 'سيول', '<p>الأولى</p><p>الثانية</p>')));
    expect(unusable).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.article).toMatchObject({
      id: 'a1',
      title: 'سيول',
      source: 'جريدة الصباح',
      url: 'https://example.org/a1',
      published: '2024-03-01T09:30:00.000Z',
      html: '<p>الأولى</p><p>الثانية</p>',
    });
  });

  it('takes an Atom entry’s summary when it has no content; an entry without id or link is unusable', () => {
    const { entries, unusable } = parseFeedEntries(ATOM);
    expect(entries.map((entry) => entry.article)).toEqual([
      expect.objectContaining({
        id: 'urn:agency:1',
        body: 'عقدت الحكومة اجتماعها الأسبوعي وناقشت الميزانية.',
      }),
    ]);
    expect(unusable).toEqual(['entry 2: no id and no link']);
  });

  it('refuses what is not a feed', () => {
    expect(() => parseFeedEntries('<html><body>لا</body></html>')).toThrow(/not an RSS or Atom feed/u);
  });
});

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

describe('arshif follow --once', () => {
  const server = new FeedServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());

  it('imports a feed into a new archive, exits 0, then 1 when a feed fails', async () => {
    const directory = await temporaryDirectory();
    try {
      server.feeds.set('/rss', { body: rss(rssItem('d1', 'خبر', '<p>نص الخبر</p>')) });
      let stderr = '';
      const output = {
        write: (chunk: string) => ((stderr += chunk), true),
      } as unknown as NodeJS.WritableStream;
      const run = (...args: string[]) =>
        main(['follow', ...args], { stdout: output, stderr: output } as never);
      const index = join(directory.path, 'archive');
      expect(await run(`${server.base}/rss`, '--index', index, '--once')).toBe(0);
      expect(stderr).toMatch(/follow: 1 feeds, 1 fetched.*1 entries added/u);
      expect(await run(`${server.base}/rss`, `${server.base}/missing`, '--index', index, '--once')).toBe(1);
      expect(stderr).toMatch(/missing: HTTP 404/u);
      expect(await run('ftp://x', '--index', index)).toBe(2);
      const archive = await PersistentArchive.open(index, { readonly: true });
      expect(archive.get('d1')?.title).toBe('خبر');
      await archive.close();
    } finally {
      await directory.remove();
    }
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
