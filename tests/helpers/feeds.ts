/** Feeds to follow, and a server on loopback that serves them as a news site would. */
import { createServer, type Server } from 'node:http';

/** An RSS 2.0 feed of the paper جريدة الصباح holding `items`, declared in `encoding`. */
export const rss = (items: string, encoding = 'UTF-8') => `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>جريدة الصباح</title><link>https://example.org</link>
${items}
</channel></rss>`;

/** An RSS item with a full HTML body (`content:encoded`) beside a summary. */
export const rssItem = (
  id: string,
  title: string,
  html: string,
  date = 'Fri, 01 Mar 2024 09:30:00 GMT',
) => `<item>
<guid>${id}</guid><title>${title}</title><link>https://example.org/${id}</link><pubDate>${date}</pubDate>
<description>ملخص فقط</description>
<content:encoded><![CDATA[${html}]]></content:encoded>
</item>`;

/** An Atom feed: one entry with only a summary, one without id or link. */
export const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة الأنباء</title><id>urn:agency</id>
<updated>2024-03-02T08:00:00Z</updated>
<entry><id>urn:agency:1</id><title>اجتماع الحكومة</title><updated>2024-03-02T08:00:00Z</updated>
<summary>عقدت الحكومة اجتماعها الأسبوعي وناقشت الميزانية.</summary></entry>
<entry><title>بلا معرف ولا رابط</title><summary>نص</summary></entry>
</feed>`;

/** A feed server on loopback: each path answers what `feeds` holds, with an ETag, and 304 when it matches. */
export class FeedServer {
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
