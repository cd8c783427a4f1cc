import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article/article.js';
import { ArshifError } from '../../src/errors.js';
import { incomingArticles } from '../../src/http/incoming-articles.js';

/** An article of our format. */
const OIL = { id: 'oil-1', title: 'أسواق الطاقة', paragraphs: ['ارتفعت أسعار النفط في الأسواق.'] };
const GOLD = { id: 'gold-1', paragraphs: ['تراجعت أسعار الذهب اليوم.'] };

/** A ninjs 3.x text item, and what it converts to. */
const FLOOD = {
  uri: 'urn:newsml:wire.example:20240301:flood',
  type: 'text',
  versionCreated: '2024-03-01T09:30:00Z',
  headlines: [{ role: 'main', value: 'سيول في الجنوب' }],
  bodies: [{ role: 'main', contentType: 'text/plain', value: 'اجتاحت السيول القرى.\n\nوقال الدفاع المدني.' }],
};
const FLOOD_ARTICLE = {
  id: 'urn:newsml:wire.example:20240301:flood',
  title: 'سيول في الجنوب',
  published: '2024-03-01T09:30:00Z',
  paragraphs: ['اجتاحت السيول القرى.', 'وقال الدفاع المدني.'],
};

/** A ninjs 1.x item identified by `guid` alone. */
const MATCH = {
  guid: 'tag:wire.example,2024:match',
  headline: 'فوز المنتخب',
  body_text: 'فاز المنتخب الوطني.',
};

/** A picture: no text body, so skipped. */
const PICTURE = { uri: 'urn:newsml:wire.example:photo-7', type: 'picture' };

/** The articles as the archive would store them. */
const stored = (articles: unknown[]) => articles.map((article) => parseArticle(article));

/** The error `incomingArticles` throws, checked to be an `INVALID_ARTICLE`. */
function refusal(body: unknown, ninjs: boolean): ArshifError {
  try {
    incomingArticles(body, ninjs);
  } catch (error) {
    expect(error).toBeInstanceOf(ArshifError);
    expect((error as ArshifError).code).toBe('INVALID_ARTICLE');
    return error as ArshifError;
  }
  throw new Error('expected an ArshifError, nothing was thrown');
}

describe('incomingArticles', () => {
  it.each([
    ['an empty array', [], false, []],
    ['one article of our format', OIL, false, [OIL]],
    ['an array of our articles, in order', [GOLD, OIL], false, [GOLD, OIL]],
    ['a ninjs item, told by its shape (uri, no id)', FLOOD, false, [FLOOD_ARTICLE]],
    [
      'a ninjs item identified by guid',
      MATCH,
      false,
      [{ id: MATCH.guid, title: 'فوز المنتخب', paragraphs: ['فاز المنتخب الوطني.'] }],
    ],
    ['ours and ninjs mixed, in order', [OIL, FLOOD, GOLD], false, [OIL, FLOOD_ARTICLE, GOLD]],
    ['a ninjs item, by content type', FLOOD, true, [FLOOD_ARTICLE]],
  ])('takes %s', (_rule, body, ninjs, expected) => {
    const { articles, skipped } = incomingArticles(body, ninjs);
    expect(skipped).toEqual([]);
    expect(stored(articles)).toEqual(stored(expected));
  });

  it('keeps an article of our format as it was sent, the same object', () => {
    const { articles } = incomingArticles([OIL, GOLD], false);
    expect(articles[0]).toBe(OIL);
    expect(articles[1]).toBe(GOLD);
  });

  it('reads an item with an id as ours by shape, and as ninjs (its uri the id) by content type', () => {
    const both = {
      id: 'own-id',
      uri: 'urn:newsml:wire.example:both',
      body: 'نص الخبر الكامل.',
      body_text: 'نص الخبر الكامل.',
    };
    expect(stored(incomingArticles(both, false).articles)[0]!.id).toBe('own-id');
    expect(stored(incomingArticles(both, true).articles)[0]!.id).toBe('urn:newsml:wire.example:both');
  });

  it.each([
    ['alone', PICTURE, [], [{ item: 1, uri: PICTURE.uri, reason: 'picture item without a text body' }]],
    [
      'by their place in the body as sent',
      [OIL, PICTURE, FLOOD, { uri: 'urn:newsml:wire.example:event-3' }],
      [OIL, FLOOD_ARTICLE],
      [
        { item: 2, uri: PICTURE.uri, reason: 'picture item without a text body' },
        { item: 4, uri: 'urn:newsml:wire.example:event-3', reason: 'untyped item without a text body' },
      ],
    ],
  ])('lists ninjs items without a text body as skipped, %s', (_rule, body, expected, skipped) => {
    const result = incomingArticles(body, false);
    expect(stored(result.articles)).toEqual(stored(expected));
    expect(result.skipped).toEqual(skipped);
  });

  it.each([
    ['not an object', 'ارتفعت أسعار النفط', false, 'the article: an article must be a JSON object'],
    [
      'an article refused by our rules, named by its id',
      { id: 'خبر-1', published: 'أمس', paragraphs: [] },
      false,
      'the article (id "خبر-1"): field "published" must be YYYY-MM-DD or an ISO 8601 date-time, got "أمس"',
    ],
    [
      'a blank id, not named',
      { id: '   ', paragraphs: [] },
      false,
      'the article: field "id" must not be blank',
    ],
    [
      'the second of three, counted as sent',
      [OIL, { id: 'bad', title: 7, paragraphs: [] }, GOLD],
      false,
      'article 2 of 3 (id "bad"): field "title" must be a string, got number',
    ],
    [
      'a ninjs item converted, then refused by our rules, named by its uri',
      { ...FLOOD, versionCreated: 'قريبا' },
      false,
      `the ninjs item (uri "${FLOOD.uri}"): field "published" must be YYYY-MM-DD or an ISO 8601 date-time, got "قريبا"`,
    ],
    [
      'an item without a uri when the content type says ninjs, named by its place alone',
      [FLOOD, OIL],
      true,
      'ninjs item 2 of 2: a ninjs item needs "uri" (or "guid"), its identifier',
    ],
  ])('refuses %s with INVALID_ARTICLE naming it', (_rule, body, ninjs, message) => {
    expect(refusal(body, ninjs).message).toBe(message);
  });

  it('names a refused ninjs item by its uri, else by its guid', () => {
    const item = { type: 'text', body_text: 'نص الخبر', versioncreated: 'أمس' };
    expect(() => incomingArticles({ ...item, uri: 'urn:a', guid: 'g-1' }, true)).toThrow(
      /^the ninjs item \(uri "urn:a"\): field "published"/u,
    );
    expect(() => incomingArticles({ ...item, guid: 'g-1' }, true)).toThrow(
      /^the ninjs item \(guid "g-1"\): field "published"/u,
    );
  });

  it('cuts a long id to 80 characters where it names an article', () => {
    const id = 'خ'.repeat(150);
    expect(refusal({ id, published: 'أمس' }, false).message).toMatch(
      new RegExp(`^the article \\(id "${'خ'.repeat(80)}"\\): field "published"`, 'u'),
    );
  });
});
