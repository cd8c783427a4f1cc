import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { Archive } from '../../src/archive/archive.js';
import { temporaryArchive } from '../helpers/temp-archive.js';

const OIL = [1, 0, 0];
const GOLD = [0, 1, 0];
const SPORT = [0, 0, 1];
const ARTICLES = [
  {
    id: 'oil',
    title: 'النفط',
    published: '2024-03-01',
    source: 'وكالة',
    paragraphs: ['ارتفعت أسعار النفط في الأسواق', 'وقال الوزير إن الإنتاج سيزيد'],
    vectors: [OIL, [0.7, 0.1, 0.1]],
  },
  {
    id: 'gold',
    title: 'الذهب',
    published: '2024-01-05',
    source: 'صحيفة',
    paragraphs: ['تراجع الذهب مع صعود الدولار'],
    vectors: [[0.2, 0.9, 0]],
  },
  {
    id: 'match',
    title: 'المباراة',
    source: 'وكالة',
    paragraphs: ['فاز الفريق في المباراة النهائية وارتفعت أسعار التذاكر'],
    vectors: [SPORT],
  },
  { id: 'plain', title: 'بلا متجه', paragraphs: ['أسعار النفط والذهب في الأسواق العالمية'] },
];

describe('HTTP search by vector (POST /search)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const archive = new Archive();
    archive.putMany(ARTICLES);
    app = await buildApp({ archive });
  });
  afterAll(() => app.close());
  const post = (body: unknown) => app.inject({ method: 'POST', url: '/search', payload: body as object });

  it('finds the nearest paragraphs by vector alone, in the hit shape of GET /search', async () => {
    const response = await post({ vector: OIL, k: 2 });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.hits.map((hit: { id: string; para: number }) => `${hit.id}#${hit.para}`)).toEqual([
      'oil#0',
      'oil#1',
    ]);
    expect(body.hits[0]).toMatchObject({
      title: 'النفط',
      highlights: [],
      snippet: 'ارتفعت أسعار النفط في الأسواق',
    });
    expect(body).toMatchObject({ query: '', total: 2 });
  });

  it('takes the parameters of GET /search as JSON: the same words give the same hits', async () => {
    const got = (
      await app.inject({
        method: 'GET',
        url: `/search?q=${encodeURIComponent('أسعار')}&limit=2&source=${encodeURIComponent('وكالة')}`,
      })
    ).json();
    const posted = (await post({ q: 'أسعار', limit: 2, source: 'وكالة' })).json();
    expect(posted.hits).toEqual(got.hits);
    const facets = (await post({ q: 'أسعار', facets: ['source'] })).json().facets;
    expect(facets).toEqual((await post({ q: 'أسعار', facets: 'source' })).json().facets);
  });

  it('blends words and vector, highlighting the words in every hit', async () => {
    const body = (await post({ q: 'أسعار', vector: GOLD, semanticRatio: 0.5 })).json();
    const ids = body.hits.map((hit: { id: string }) => hit.id);
    expect(ids).toContain('gold');
    expect(ids).toContain('plain');
    const plain = body.hits.find((hit: { id: string }) => hit.id === 'plain');
    expect(plain.snippet).toContain('<mark>أسعار</mark>');
  });

  it.each([
    ['neither q nor vector', { limit: 3 }, /^give "q" \(words\), "vector" \(an embedding\) or both$/u],
    [
      'a vector of another dimension',
      { vector: [1, 0] },
      /^vector has 2 dimensions; this archive's have 3$/u,
    ],
    ['a vector of zeros', { vector: [0, 0, 0] }, /all zeros/u],
    ['a vector of strings', { vector: ['a', 'b', 'c'] }, /vector/u],
    [
      'a vector past a 32-bit float',
      { vector: [1e39, 0, 0] },
      /^vector has 1e\+39 at index 0, beyond a 32-bit float$/u,
    ],
    ['too many dimensions', { vector: new Array(4097).fill(0.1) }, /vector/u],
    ['k without a vector', { q: 'أسعار', k: 3 }, /^k applies to a search by vector: give "vector" too$/u],
    ['k past 1,000', { vector: OIL, k: 1001 }, /k/u],
    ['semanticRatio past 1', { q: 'أسعار', vector: OIL, semanticRatio: 2 }, /semanticRatio/u],
    [
      'semanticRatio without words',
      { vector: OIL, semanticRatio: 0.2 },
      /semanticRatio blends a query text/u,
    ],
    ['an unknown parameter', { vector: OIL, knn: 3 }, /knn/u],
    ['a facet that is not one', { q: 'أسعار', facets: ['author'] }, /facets must be among/u],
  ])('answers 400 BAD_PARAMETER for %s', async (_name, body, message) => {
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: 'BAD_PARAMETER', message: expect.stringMatching(message) });
  });

  it('answers 400 for a body that is not a JSON object', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/search',
      headers: { 'content-type': 'application/json' },
      payload: '[1, 2, 3]',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('BAD_PARAMETER');
  });
});

describe('HTTP related paragraphs (GET /articles/:id/related)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const archive = new Archive();
    archive.putMany([
      ...ARTICLES,
      {
        id: 'oil-copy',
        title: 'نسخة',
        paragraphs: ['ارتفعت أسعار النفط في الأسواق'],
        vectors: [[0.98, 0.05, 0]],
      },
    ]);
    app = await buildApp({ archive });
  });
  afterAll(() => app.close());
  const related = (path: string) => app.inject({ method: 'GET', url: `/articles/${path}` });

  it('lists the nearest paragraphs of other articles by vector, leaving out copies of the text', async () => {
    const response = await related('oil/related?para=0');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ id: 'oil', para: 0, by: 'vector' });
    expect(body.hits.map((hit: { id: string }) => hit.id)).toEqual(['gold', 'match']);
  });

  it('lists paragraphs sharing the most telling words of a paragraph without a vector', async () => {
    const body = (await related('plain/related?para=0&limit=5')).json();
    expect(body.by).toBe('words');
    expect(body.words.length).toBeGreaterThan(0);
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits.every((hit: { id: string }) => hit.id !== 'plain')).toBe(true);
  });

  it.each([
    ['an unknown article', 'nope/related?para=0', 404, 'NOT_FOUND'],
    ['a paragraph the article lacks', 'oil/related?para=5', 400, 'BAD_PARAMETER'],
    ['no para', 'oil/related', 400, 'BAD_PARAMETER'],
    ['a para that is no number', 'oil/related?para=x', 400, 'BAD_PARAMETER'],
    ['an unknown parameter', 'oil/related?para=0&q=x', 400, 'BAD_PARAMETER'],
  ])('answers %s with %i', async (_name, path, status, code) => {
    const response = await related(path);
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
  });
});

describe('HTTP articles with vectors (persistent archive)', () => {
  const TOKEN = 'secret-token';
  let app: FastifyInstance;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const opened = await temporaryArchive([ARTICLES[0]]);
    dispose = opened.dispose;
    app = await buildApp({ archive: opened.archive, writer: opened.archive, token: TOKEN });
  });
  afterAll(async () => {
    await app.close();
    await dispose();
  });
  const write = (payload: unknown) =>
    app.inject({
      method: 'POST',
      url: '/articles',
      headers: { authorization: `Bearer ${TOKEN}` },
      payload: payload as object,
    });

  it('gives the vectors back only when asked, as sent (to 32-bit precision)', async () => {
    const plain = (await app.inject({ method: 'GET', url: '/articles/oil' })).json();
    expect(plain.vectors).toBeUndefined();
    const withVectors = (await app.inject({ method: 'GET', url: '/articles/oil?vectors=true' })).json();
    expect(withVectors.vectors).toEqual([OIL, [0.7, 0.1, 0.1]]);
  });

  it('refuses an article whose vector is of another dimension, naming the article and the paragraph, storing nothing', async () => {
    const response = await write([
      { id: 'fine', paragraphs: ['نص'], vectors: [[1, 2, 3]] },
      {
        id: 'bad',
        paragraphs: ['نص', 'آخر'],
        vectors: [null, [1, 2]],
      },
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({
      code: 'INVALID_ARTICLE',
      message: `article 2 of 2 (id "bad"): the vector of paragraph 2 (para 1) has 2 dimensions; this archive's have 3`,
    });
    expect((await app.inject({ method: 'GET', url: '/articles/fine' })).statusCode).toBe(404);
  });

  it.each([
    [
      'not aligned with the paragraphs',
      {
        id: 'x',
        paragraphs: ['نص'],
        vectors: [
          [1, 2, 3],
          [1, 2, 3],
        ],
      },
      /^the article \(id "x"\): field "vectors" has 2 entries for 1 paragraphs/u,
    ],
    [
      'a vector of strings',
      { id: 'x', paragraphs: ['نص'], vectors: [['1', '2', '3']] },
      /^the article \(id "x"\): the vector of paragraph 1 \(para 0\) has a value that is not a number at index 0$/u,
    ],
  ])('refuses an article with vectors %s', async (_name, article, message) => {
    const response = await write(article);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(message);
  });

  it('replaces an article’s vectors with its new version, and searches them at once', async () => {
    expect((await write({ id: 'oil', paragraphs: ['نص جديد'], vectors: [SPORT] })).statusCode).toBe(200);
    const hits = (
      await app.inject({ method: 'POST', url: '/search', payload: { vector: SPORT, k: 1 } })
    ).json().hits;
    expect(hits[0]).toMatchObject({ id: 'oil', para: 0 });
    const stored = (await app.inject({ method: 'GET', url: '/articles/oil?vectors=true' })).json();
    expect(stored.vectors).toEqual([SPORT]);
  });
});
