import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Article, paragraphOfArticle, parseArticle } from '../../src/article/article.js';
import { SqliteStore, STORE_FORMAT_VERSION } from '../../src/storage/sqlite-store.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A store file's path in a new temporary directory, removed after the test. */
async function storeFile(): Promise<string> {
  const directory = await temporaryDirectory();
  cleanups.push(directory.remove);
  return join(directory.path, 'articles.sqlite');
}

/** Opens a store, closed after the test. */
function open(file: string, options?: { readonly?: boolean }): SqliteStore {
  const store = SqliteStore.open(file, options);
  cleanups.push(() => store.close());
  return store;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');

async function newStore(): Promise<SqliteStore> {
  return open(await storeFile());
}

const OIL = parseArticle({
  id: 'oil',
  title: 'النفط يرتفع',
  published: '2024-03-01T10:00:00+03:00',
  source: 'الجزيرة',
  section: 'اقتصاد',
  paragraphs: ['ارتفعت أسعار النفط في الأسواق العالمية', '   ', 'وتوقع محللون استمرار الارتفاع'],
});
const SDF = parseArticle({
  id: 'sdf',
  title: 'البلدة',
  paragraphs: ['أعلنت قوات سوريا الديمقراطية (قسد) سيطرتها على البلدة'],
});
const GOLD = parseArticle({
  id: 'gold',
  title: 'الذهب',
  published: '2023-12-31',
  paragraphs: ['تراجع سعر الذهب مع صعود الدولار', 'واستقرت الفضة'],
  vectors: [[0.5, -1, 0.25], null],
});

/** An article as the store keeps its text: its vectors apart. */
function withoutVectors({ vectors: _vectors, ...text }: Article): Article {
  return text;
}

describe('SqliteStore', () => {
  it('a new store is empty, at position 0, with an id of its own that it keeps', async () => {
    const file = await storeFile();
    const store = SqliteStore.open(file);
    expect(store.position()).toBe(0);
    expect(store.read()).toEqual({ position: 0, facts: [], changed: [] });
    expect(store.vectorSettings()).toEqual({});
    const { storeId } = store;
    expect(storeId).toMatch(/^[0-9a-f-]{36}$/u);
    store.close();
    expect(open(file).storeId).toBe(storeId);
    expect(open(await storeFile()).storeId).not.toBe(storeId);
  });

  it('gives every write the next positions, a removal one too, and a removal of nothing none', async () => {
    const store = await newStore();
    expect(
      store.writeAll([
        { put: [OIL, SDF] },
        { put: [{ ...OIL, title: 'النفط يتراجع' }] },
        { remove: 'sdf' },
        { remove: 'sdf' },
        { remove: 'never-stored' },
        { put: [] },
        { put: [GOLD] },
      ]),
    ).toEqual([
      { position: 2 },
      { position: 3 },
      { position: 4, removed: true },
      { position: 4, removed: false },
      { position: 4, removed: false },
      { position: 4 },
      { position: 5 },
    ]);
    expect(store.position()).toBe(5);
    expect(store.writeAll([{ put: [SDF] }])).toEqual([{ position: 6 }]);
  });

  it('reads the facts of every stored article, oldest write first, and the articles changed after a position', async () => {
    const store = await newStore();
    store.writeAll([{ put: [OIL, SDF] }, { put: [GOLD] }, { remove: 'sdf' }]);
    const oilFacts = {
      id: 'oil',
      day: '2024-03-01',
      source: 'الجزيرة',
      section: 'اقتصاد',
      paragraphs: 2,
    };
    const goldFacts = { id: 'gold', day: '2023-12-31', source: undefined, section: undefined, paragraphs: 2 };
    expect(store.read(0)).toEqual({ position: 4, facts: [oilFacts, goldFacts], changed: [OIL, GOLD] });
    expect(store.read(2)).toEqual({ position: 4, facts: [oilFacts, goldFacts], changed: [GOLD] });
    expect(store.read(3).changed).toEqual([]);
    expect(store.read(4).changed).toEqual([]);

    store.writeAll([{ put: [SDF] }]);
    const { facts, changed } = store.read(4);
    expect(changed).toEqual([SDF]);
    expect(facts.at(-1)).toEqual({
      id: 'sdf',
      day: undefined,
      source: undefined,
      section: undefined,
      paragraphs: 1,
      acronyms: [['قسد', 'قوات سوريا الديمقراطية']],
    });
  });

  it('a replaced article moves to its new position, with its new text', async () => {
    const store = await newStore();
    store.writeAll([{ put: [OIL, SDF] }]);
    const replaced = { ...OIL, paragraphs: ['تراجعت أسعار النفط'] };
    store.writeAll([{ put: [replaced] }]);
    const { facts, changed } = store.read(2);
    expect(changed).toEqual([replaced]);
    expect(facts.map((fact) => [fact.id, fact.paragraphs])).toEqual([
      ['sdf', 1],
      ['oil', 1],
    ]);
    expect(store.article('oil')).toEqual(replaced);
  });

  it('reads one article and its vectors, one per paragraph, null for none', async () => {
    const store = await newStore();
    store.writeAll([{ put: [OIL, GOLD] }]);
    expect(store.article('oil')).toEqual(OIL);
    expect(store.article('gold')).toEqual(withoutVectors(GOLD));
    expect(store.article('missing')).toBeUndefined();
    expect(store.articleVectors('gold')).toEqual([Float32Array.from([0.5, -1, 0.25]), null]);
    expect(store.articleVectors('oil')).toBeUndefined();
    expect(store.articleVectors('missing')).toBeUndefined();
  });

  it('reads one paragraph with its title and date, as the whole article holds them, without parsing it', async () => {
    const file = await storeFile();
    const quoted = parseArticle({
      id: 'quoted',
      title: 'قال: "لن نتراجع" \\ عنوان',
      paragraphs: ['سطر\tمع "اقتباس" و\\ شرطة', 'وبعده 🙂 \u200f علامة'],
    });
    open(file).writeAll([{ put: [OIL, GOLD, quoted] }]);
    for (const store of [open(file), open(file, { readonly: true })]) {
      for (const article of [OIL, GOLD, quoted]) {
        for (let para = 0; para < article.paragraphs.length; para += 1) {
          expect(store.paragraph(article.id, para)).toEqual(paragraphOfArticle(article, para));
        }
        expect(store.paragraph(article.id, article.paragraphs.length)).toBeUndefined();
      }
      expect(store.paragraph('missing', 0)).toBeUndefined();
      expect(store.paragraph('oil', 2)).toEqual({
        title: 'النفط يرتفع',
        published: '2024-03-01T10:00:00+03:00',
        text: 'وتوقع محللون استمرار الارتفاع',
      });
    }
  });

  it('forgets the vectors of an article replaced without them, or removed', async () => {
    const store = await newStore();
    const silver = parseArticle({ id: 'silver', paragraphs: ['الفضة'], vectors: [[1, 0, 0]] });
    store.writeAll([{ put: [GOLD, silver] }]);
    store.writeAll([{ put: [withoutVectors(GOLD)] }, { remove: 'silver' }]);
    expect(store.articleVectors('gold')).toBeUndefined();
    expect(store.articleVectors('silver')).toBeUndefined();
    expect(store.read().changed).toEqual([withoutVectors(GOLD)]);
  });

  it('keeps what was written once closed, and shows it to a read-only connection', async () => {
    const file = await storeFile();
    const writer = SqliteStore.open(file);
    writer.writeAll([{ put: [OIL, GOLD] }, { remove: 'oil' }]);
    const reader = open(file, { readonly: true });
    expect(reader.read()).toEqual(writer.read());
    expect(reader.articleVectors('gold')).toEqual(GOLD.vectors);
    writer.close();
    const reopened = open(file);
    expect(reopened.position()).toBe(3);
    expect(reopened.article('gold')).toEqual(withoutVectors(GOLD));
    expect(reader.storeId).toBe(reopened.storeId);
  });

  it('refuses writes opened read-only, with IO_ERROR, writing nothing', async () => {
    const file = await storeFile();
    open(file).writeAll([{ put: [OIL] }]);
    const reader = open(file, { readonly: true });
    expect(() => reader.writeAll([{ put: [GOLD] }])).toThrow(
      expect.objectContaining({ code: 'IO_ERROR', message: expect.stringContaining(file) }),
    );
    expect(reader.read().facts.map((fact) => fact.id)).toEqual(['oil']);
  });

  it('derives the facts again when another program edited a document', async () => {
    const file = await storeFile();
    open(file).writeAll([{ put: [OIL] }]);
    const other = new Database(file);
    other
      .prepare('UPDATE articles SET doc = ? WHERE id = ?')
      .run(JSON.stringify({ ...OIL, source: 'العربية' }), 'oil');
    other.close();
    expect(
      open(file)
        .read()
        .facts.map((fact) => fact.source),
    ).toEqual(['العربية']);
  });
});

describe('SqliteStore: vector settings', () => {
  it('records the similarity asked for, which may change until a vector is stored', async () => {
    const store = await newStore();
    store.setVectorSimilarity('dot');
    expect(store.vectorSettings()).toEqual({ similarity: 'dot' });
    store.setVectorSimilarity('cosine');
    expect(store.vectorSettings()).toEqual({ similarity: 'cosine' });
  });

  it('fixes the dimension and cosine similarity with the first vector, and refuses another similarity', async () => {
    const store = await newStore();
    store.writeAll([{ put: [GOLD] }]);
    expect(store.vectorSettings()).toEqual({ dimensions: 3, similarity: 'cosine' });
    store.setVectorSimilarity('cosine');
    expect(() => store.setVectorSimilarity('dot')).toThrow(
      expect.objectContaining({
        code: 'BAD_PARAMETER',
        message: expect.stringMatching(/compared by cosine similarity.*cannot be opened for dot/u),
      }),
    );
    expect(store.vectorSettings()).toEqual({ dimensions: 3, similarity: 'cosine' });
  });

  it('keeps a similarity set before the first vector, and the settings once the vectors are gone', async () => {
    const store = await newStore();
    store.setVectorSimilarity('dot');
    store.writeAll([{ put: [GOLD] }, { remove: 'gold' }]);
    expect(store.vectorSettings()).toEqual({ dimensions: 3, similarity: 'dot' });
    expect(() => store.setVectorSimilarity('cosine')).toThrow(
      expect.objectContaining({
        code: 'BAD_PARAMETER',
        message: expect.stringContaining('by dot similarity'),
      }),
    );
  });
});

describe('SqliteStore.open: refused with BAD_INDEX naming the file', () => {
  it.each<[string, (file: string) => Promise<void>, { readonly?: boolean }, RegExp]>([
    [
      'a file that is not a database',
      (file) => writeFile(file, 'هذا ليس مخزن مقالات، بل نص عادي\n'.repeat(200)),
      {},
      /not a database/u,
    ],
    ['a missing file opened read-only', async () => {}, { readonly: true }, /./u],
    [
      'a store of another format version',
      async (file) => {
        SqliteStore.open(file).close();
        const other = new Database(file);
        other.prepare("UPDATE meta SET value = '99' WHERE key = 'formatVersion'").run();
        other.close();
      },
      {},
      new RegExp(`store format 99, this program reads ${STORE_FORMAT_VERSION}`, 'u'),
    ],
  ])('%s', async (_name, make, options, reason) => {
    const file = await storeFile();
    await make(file);
    expect(() => open(file, options)).toThrow(
      expect.objectContaining({
        code: 'BAD_INDEX',
        message: expect.stringMatching(
          new RegExp(`^article store ${escapeRegExp(file)}: .*${reason.source}`, 'u'),
        ),
      }),
    );
  });
});
