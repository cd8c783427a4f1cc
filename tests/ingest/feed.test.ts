import { describe, expect, it } from 'vitest';
import { parseFeedEntries } from '../../src/ingest/feed.js';
import { ATOM, rss, rssItem } from '../helpers/feeds.js';

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
