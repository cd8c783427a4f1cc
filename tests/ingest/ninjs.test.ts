import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { incomingArticles } from '../../src/http/incoming-articles.js';
import { ninjsToArticle } from '../../src/ingest/ninjs.js';
import { parseArticle } from '../../src/article/article.js';
import { sharedFile } from '../helpers/shared-data.js';

const iptc = sharedFile('ninjs-iptc');
if (iptc.missing) console.warn(iptc.missing);

const HTML =
  '<p>اجتاحت <b>السيول</b> القرى الجنوبية.</p><p>وقال الدفاع المدني إن &laquo;الوضع تحت السيطرة&raquo;.</p>';
const PARAGRAPHS = ['اجتاحت السيول القرى الجنوبية.', 'وقال الدفاع المدني إن «الوضع تحت السيطرة».'];

/** The same Arabic wire item in each major version's shape. */
const ITEMS = {
  '1.6': {
    uri: 'urn:newsml:wire.example:20240301:flood',
    type: 'text',
    version: '2',
    versioncreated: '2024-03-01T09:30:00Z',
    firstcreated: '2024-03-01T08:00:00Z',
    language: 'ar',
    headline_main: 'سيول في الجنوب',
    body_richtext: HTML,
    copyrightholder: 'وكالة الأنباء',
    subject: [{ name: 'كوارث طبيعية', code: 'medtop:20000139' }],
    genre: [{ name: 'خبر', code: 'genre:Current' }],
  },
  '2.2': {
    uri: 'urn:newsml:wire.example:20240301:flood',
    type: 'text',
    version: '2',
    versioncreated: '2024-03-01T09:30:00Z',
    language: 'ar',
    headlines: [
      { role: 'sub', value: 'الدفاع المدني يطمئن' },
      { role: 'main', value: 'سيول في الجنوب' },
    ],
    bodies: [
      { role: 'main', contenttype: 'text/plain', value: PARAGRAPHS.join('\n\n') },
      { role: 'main', contenttype: 'text/html', value: HTML },
    ],
    copyrightholder: 'وكالة الأنباء',
    subjects: [{ name: 'كوارث طبيعية', uri: 'http://cv.iptc.org/newscodes/mediatopic/20000139' }],
    genres: [{ name: 'خبر', uri: 'http://cv.iptc.org/newscodes/genre/Current' }],
  },
  '3.1': {
    uri: 'urn:newsml:wire.example:20240301:flood',
    type: 'text',
    version: '2',
    versionCreated: '2024-03-01T09:30:00Z',
    language: 'ar',
    headlines: [{ role: 'main', value: 'سيول في الجنوب' }],
    bodies: [{ role: 'main', contentType: 'text/html', value: HTML }],
    copyrightHolder: 'وكالة الأنباء',
    subjects: [{ name: 'كوارث طبيعية', uri: 'http://cv.iptc.org/newscodes/mediatopic/20000139' }],
    genres: [{ name: 'خبر', uri: 'http://cv.iptc.org/newscodes/genre/Current' }],
  },
} as const;

describe('ninjs items as articles', () => {
  it.each(Object.entries(ITEMS))(
    'ninjs %s: every field where it belongs, the HTML kept',
    (_version, item) => {
      const converted = ninjsToArticle(item);
      expect('article' in converted).toBe(true);
      const article = parseArticle((converted as { article: unknown }).article);
      expect(article).toMatchObject({
        id: 'urn:newsml:wire.example:20240301:flood',
        title: 'سيول في الجنوب',
        published: '2024-03-01T09:30:00Z',
        source: 'وكالة الأنباء',
        paragraphs: PARAGRAPHS,
        html: HTML,
        version: '2',
        language: 'ar',
        subjects: ['كوارث طبيعية'],
        genres: ['خبر'],
      });
    },
  );

  it('takes the text body, split on blank lines, when there is no HTML one', () => {
    const { article } = ninjsToArticle({ uri: 'u1', body_text: 'الأولى\n\nالثانية' }) as { article: unknown };
    expect(parseArticle(article).paragraphs).toEqual(['الأولى', 'الثانية']);
  });

  it('skips an item without a text body, saying why', () => {
    expect(ninjsToArticle({ uri: 'p1', type: 'picture', headlines: [{ value: 'صورة' }] })).toEqual({
      skipped: 'picture item without a text body',
      uri: 'p1',
    });
  });

  it.each([
    ['not an object', 42, /must be a JSON object/u],
    ['without uri', { headline: 'بلا معرف', body_text: 'نص' }, /needs "uri"/u],
  ])('refuses an item %s', (_name, item, message) => {
    expect(() => ninjsToArticle(item)).toThrow(message);
  });

  it('tells ninjs items from our articles in a batch, naming a bad item by place', () => {
    const { articles, skipped } = incomingArticles(
      [{ id: 'own', paragraphs: ['نص'] }, ITEMS['3.1'], { uri: 'pic', type: 'picture' }],
      false,
    );
    expect(articles).toHaveLength(2);
    expect(skipped).toEqual([{ item: 3, uri: 'pic', reason: 'picture item without a text body' }]);
    expect(() => incomingArticles([ITEMS['3.1'], { guid: '' }], true)).toThrow(/^ninjs item 2 of 2: /u);
    // Counted as the body lists them, skipped items included; a converted item refused by our rules too.
    expect(() =>
      incomingArticles(
        [
          { uri: 'pic', type: 'picture' },
          { id: 'bad', published: 'yesterday', paragraphs: [] },
        ],
        false,
      ),
    ).toThrow(/^article 2 of 2 \(id "bad"\): field "published"/u);
    expect(() => incomingArticles([{ ...ITEMS['3.1'], versionCreated: 'soon' }], true)).toThrow(
      /^the ninjs item \(uri "urn:newsml:wire\.example:20240301:flood"\): field "published"/u,
    );
  });
});

describe.skipIf(iptc.missing !== undefined)(
  'the IPTC’s own ninjs examples and schemas (../shared/data/ninjs-iptc)',
  () => {
    const schema = (version: string) =>
      JSON.parse(readFileSync(join(iptc.path, 'schemas', `ninjs-schema_${version}.json`), 'utf8')) as object;
    /**
     * A validator of one version. The 2.x and 3.x schemas refer to GeoJSON's schema online, which these
     * machines cannot fetch: it is stood in for by one that accepts anything (no item here has geoJSON).
     */
    const validatorOf = (version: string, draft2020: boolean) => {
      const ajv = draft2020
        ? new Ajv2020({ strict: false, allErrors: true })
        : new Ajv({ strict: false, allErrors: true });
      addFormats.default(ajv);
      ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json' });
      return ajv.compile(schema(version));
    };
    // Read when a test runs, not while tests are collected: a skipped block's files may be absent.
    const validators = () => ({
      '1.6': validatorOf('1.6', false),
      '2.2': validatorOf('2.2', true),
      '3.1': validatorOf('3.1', true),
    });

    it.each(Object.keys(ITEMS) as (keyof typeof ITEMS)[])('our Arabic item is valid ninjs %s', (version) => {
      const validate = validators()[version];
      expect(validate(ITEMS[version]), JSON.stringify(validate.errors)).toBe(true);
    });

    const readExamples = () =>
      readdirSync(join(iptc.path, 'examples')).flatMap((file) => {
        const parsed = JSON.parse(readFileSync(join(iptc.path, 'examples', file), 'utf8')) as unknown;
        return (Array.isArray(parsed) ? parsed : [parsed]).map((item, at) => ({
          file,
          at,
          item: item as Record<string, unknown>,
        }));
      });

    it('every example with a text body imports as a valid article; the others are skipped, none refused', () => {
      const examples = readExamples();
      let imported = 0;
      let skipped = 0;
      for (const { file, item } of examples) {
        const converted = ninjsToArticle(item);
        if ('skipped' in converted) {
          skipped += 1;
          continue;
        }
        imported += 1;
        const article = parseArticle(converted.article);
        expect(article.id, file).toBe(item.uri ?? item.guid);
        expect(article.paragraphs.length, file).toBeGreaterThan(0);
        expect(article.paragraphs.join(' '), file).not.toMatch(/<\/?(?:p|br|div|span)\b/u);
      }
      // Every text item imports, no picture does; composites and events import when they have a body.
      const ofType = (type: string) => examples.filter(({ item }) => item.type === type).length;
      expect(imported).toBeGreaterThanOrEqual(ofType('text'));
      expect(skipped).toBeGreaterThanOrEqual(ofType('picture'));
      expect({ imported, skipped }).toEqual({ imported: 35, skipped: examples.length - 35 });
    });
  },
);
