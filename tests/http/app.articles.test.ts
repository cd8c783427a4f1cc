import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArshifError } from '../../src/errors.js';
import { buildApp } from '../../src/http/app.js';
import type { SearchResponse } from '../../src/archive/archive-search.js';
import type { Article } from '../../src/article/article.js';
import type { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { temporaryArchive } from '../helpers/temp-archive.js';
import { archiveOf, expectError, FIXTURE, fixtureApp, PARAGRAPHS, ref, TOKEN } from './app-fixture.js';

describe('HTTP app (inject)', () => {
  const { get, inject } = fixtureApp();

  describe('GET /articles/:id', () => {
    it.each(FIXTURE.map((article) => [article.id, article] as const))(
      'returns %s as stored',
      async (id, article) => {
        const response = await get(`/articles/${encodeURIComponent(id)}`);
        expect(response.statusCode).toBe(200);
        expect(response.json()).toStrictEqual(JSON.parse(JSON.stringify(article)));
      },
    );

    it('omits the date of the undated article', async () => {
      const body = (await get(`/articles/${encodeURIComponent('خبر-الطاقة')}`)).json<object>();
      expect(body).not.toHaveProperty('published');
    });

    it('answers 404 NOT_FOUND for an unknown id', async () => {
      expectError(await get('/articles/no-such-article'), 404, 'NOT_FOUND');
    });
  });

  describe('write routes without a token configured', () => {
    it.each([
      ['POST /articles', { method: 'POST', url: '/articles', payload: { id: 'x', paragraphs: ['نص'] } }],
      ['DELETE /articles/:id', { method: 'DELETE', url: '/articles/summit-2024' }],
    ] as const)('%s → 403 WRITES_DISABLED, even with a token sent', async (_name, request) => {
      expectError(await inject(request), 403, 'WRITES_DISABLED');
      expectError(
        await inject({ ...request, headers: { authorization: `Bearer ${TOKEN}` } }),
        403,
        'WRITES_DISABLED',
      );
      expect((await get('/articles/summit-2024')).statusCode).toBe(200);
    });

    it.each([
      ['a writer but no token', { writer: true, token: undefined }],
      ['a writer and an empty token', { writer: true, token: '' }],
      ['a token but no writer', { writer: false, token: TOKEN }],
    ])('with %s → 403 WRITES_DISABLED', async (_name, setup) => {
      const { archive: persistent, dispose } = await temporaryArchive(FIXTURE);
      const partial = await buildApp({
        archive: persistent.archive,
        ...(setup.writer ? { writer: persistent } : {}),
        ...(setup.token === undefined ? {} : { token: setup.token }),
      });
      const response = await partial.inject({
        method: 'POST',
        url: '/articles',
        headers: { authorization: `Bearer ${setup.token ?? ''}` },
        payload: { id: 'x', paragraphs: ['نص'] },
      });
      expectError(response, 403, 'WRITES_DISABLED');
      expect(persistent.get('x')).toBeUndefined();
      await partial.close();
      await dispose();
    });
  });
});

describe('HTTP write routes when the storage fails', () => {
  it('answers 503 IO_ERROR, with the error shape, and the archive is unchanged', async () => {
    const archive = archiveOf(FIXTURE);
    const failing = {
      put: async () => {
        throw new ArshifError('IO_ERROR', 'article store: database or disk is full');
      },
      write: async () => {
        throw new ArshifError('IO_ERROR', 'article store: database or disk is full');
      },
      remove: async () => {
        throw new ArshifError('IO_ERROR', 'article store: disk I/O error');
      },
      removeArticle: async () => {
        throw new ArshifError('IO_ERROR', 'article store: disk I/O error');
      },
    };
    const app = await buildApp({ archive, writer: failing, token: TOKEN });
    const headers = { authorization: `Bearer ${TOKEN}` };
    const posted = await app.inject({
      method: 'POST',
      url: '/articles',
      headers,
      payload: { id: 'x', paragraphs: ['نص'] },
    });
    expect(posted.statusCode).toBe(503);
    expect(posted.json()).toEqual({
      error: { code: 'IO_ERROR', message: 'article store: database or disk is full' },
    });
    const deleted = await app.inject({ method: 'DELETE', url: '/articles/summit-2024', headers });
    expect(deleted.statusCode).toBe(503);
    expect(archive.stats().articles).toBe(FIXTURE.length);
    await app.close();
  });
});

describe('HTTP write routes (writer and token configured)', () => {
  let archive: PersistentArchive;
  let dispose: () => Promise<void>;
  let app: FastifyInstance;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const NEW_ARTICLE = {
    id: 'flood-2024',
    title: 'فيضانات في الجنوب',
    published: '2024-06-02',
    source: 'وكالة الأنباء العربية',
    section: 'سياسة',
    paragraphs: ['اجتاحت السيولُ القرى الجنوبية بعد أمطار غزيرة.', 'وأعلنت السلطات حالة الطوارئ.'],
  };

  const inject = (options: InjectOptions) => app.inject(options);
  const searchIds = async (q: string) =>
    (await inject({ method: 'GET', url: `/search?${new URLSearchParams({ q })}` }))
      .json<SearchResponse>()
      .hits.map(ref);
  const health = async () =>
    (await inject({ method: 'GET', url: '/health' })).json<Record<string, unknown>>();

  beforeEach(async () => {
    ({ archive, dispose } = await temporaryArchive(FIXTURE));
    app = await buildApp({ archive: archive.archive, writer: archive, token: TOKEN, bodyLimit: 4096 });
  });
  afterEach(async () => {
    await app.close();
    await dispose();
  });

  it('POST adds an article, then GET /articles/:id returns it and /search finds it', async () => {
    const response = await inject({ method: 'POST', url: '/articles', headers: auth, payload: NEW_ARTICLE });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toStrictEqual({ ids: ['flood-2024'], articles: 1, paragraphs: 2 });
    const stored = await inject({ method: 'GET', url: '/articles/flood-2024' });
    expect(stored.statusCode).toBe(200);
    expect(stored.json()).toStrictEqual(NEW_ARTICLE);
    expect(await searchIds('السيول')).toEqual(['flood-2024#0']);
    expect(await health()).toEqual({
      status: 'ok',
      articles: FIXTURE.length + 1,
      paragraphs: PARAGRAPHS + 2,
    });
  });

  it('POST accepts an array of articles', async () => {
    const second = { id: 'flood-2024-b', body: 'تواصل هطول الأمطار.\n\nوارتفع منسوب النهر.' };
    const response = await inject({
      method: 'POST',
      url: '/articles',
      headers: auth,
      payload: [NEW_ARTICLE, second],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toStrictEqual({
      ids: ['flood-2024', 'flood-2024-b'],
      articles: 2,
      paragraphs: 4,
    });
    expect(await searchIds('منسوب')).toEqual(['flood-2024-b#1']);
  });

  it('POST with an existing id replaces the article: old text is no longer found', async () => {
    await inject({ method: 'POST', url: '/articles', headers: auth, payload: NEW_ARTICLE });
    const replacement = {
      id: 'flood-2024',
      title: 'تحديث',
      paragraphs: ['انحسرت المياه وعاد السكان إلى منازلهم.'],
    };
    const response = await inject({ method: 'POST', url: '/articles', headers: auth, payload: replacement });
    expect(response.statusCode, response.body).toBe(200);
    expect((await inject({ method: 'GET', url: '/articles/flood-2024' })).json()).toStrictEqual(replacement);
    expect(await searchIds('السيول')).toEqual([]);
    expect(await searchIds('الطوارئ')).toEqual([]);
    expect(await searchIds('منازلهم')).toEqual(['flood-2024#0']);
    expect(await health()).toEqual({
      status: 'ok',
      articles: FIXTURE.length + 1,
      paragraphs: PARAGRAPHS + 1,
    });
  });

  it('DELETE removes an article from GET and /search', async () => {
    expect(await searchIds('عاجل')).toEqual(['site-redesign#0']);
    const response = await inject({ method: 'DELETE', url: '/articles/site-redesign', headers: auth });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toStrictEqual({ id: 'site-redesign', deleted: true });
    expectError(await inject({ method: 'GET', url: '/articles/site-redesign' }), 404, 'NOT_FOUND');
    expect(await searchIds('عاجل')).toEqual([]);
    expect(await health()).toEqual({
      status: 'ok',
      articles: FIXTURE.length - 1,
      paragraphs: PARAGRAPHS - 1,
    });
  });

  describe('body encodings: converted when labelled, refused otherwise, never stored mangled', () => {
    /** A body's bytes in Windows-1256 (Arabic letters and ASCII only, as NEW_ARTICLE's text is). */
    const windows1256 = (text: string) => {
      const table = new Map<string, number>();
      const decoder = new TextDecoder('windows-1256');
      for (let byte = 0; byte < 256; byte += 1) table.set(decoder.decode(Uint8Array.of(byte)), byte);
      return Buffer.from([...text].map((char) => table.get(char) ?? 0x3f));
    };
    const plain = { ...NEW_ARTICLE, paragraphs: ['اجتاحت السيول القرى الجنوبية بعد أمطار غزيرة'] };
    const send = (payload: Buffer, contentType: string) =>
      inject({
        method: 'POST',
        url: '/articles',
        headers: { ...auth, 'content-type': contentType },
        payload,
      });

    it('a body labelled charset=windows-1256 is converted exactly', async () => {
      const response = await send(
        windows1256(JSON.stringify(plain)),
        'application/json; charset=Windows-1256',
      );
      expect(response.statusCode, response.body).toBe(200);
      const stored = (await inject({ method: 'GET', url: '/articles/flood-2024' })).json<Article>();
      expect(stored.paragraphs).toEqual(plain.paragraphs);
      expect(stored.title).toBe(plain.title);
    });

    it.each([
      [
        'another charset, named',
        () => send(Buffer.from(JSON.stringify(plain)), 'application/json; charset=iso-8859-6'),
        415,
        /charset "iso-8859-6" is not supported/u,
      ],
      [
        'Windows-1256 bytes sent as UTF-8, the article named',
        () => send(windows1256(JSON.stringify(plain)), 'application/json'),
        400,
        /^the body is not valid UTF-8: byte \d+, in article 1 \(id "flood-2024"\)$/u,
      ],
      [
        'one bad byte in the second article of a batch',
        () =>
          send(
            Buffer.concat([
              Buffer.from(
                `[${JSON.stringify({ id: 'ok', paragraphs: ['نص'] })},{"id":"second","paragraphs":["`,
              ),
              Buffer.from([0xff]),
              Buffer.from('"]}]'),
            ]),
            'application/json; charset=utf-8',
          ),
        400,
        /in article 2 \(id "second"\)$/u,
      ],
    ])('%s → %i, nothing stored', async (_name, request, status, message) => {
      const response = await request();
      expect(response.statusCode).toBe(status);
      expect(response.json<{ error: { message: string } }>().error.message).toMatch(message);
      expect(await health()).toEqual({ status: 'ok', articles: FIXTURE.length, paragraphs: PARAGRAPHS });
    });
  });

  it('the Bearer scheme is case-insensitive (RFC 7235), with spaces around the token', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer  ']) {
      const response = await inject(post(NEW_ARTICLE, { authorization: `${scheme} ${TOKEN} ` }));
      expect(response.statusCode, response.body).toBe(200);
    }
    expect((await inject({ method: 'DELETE', url: '/articles/flood-2024', headers: auth })).statusCode).toBe(
      200,
    );
  });

  it('DELETE of an Arabic id works percent-encoded', async () => {
    const id = encodeURIComponent('خبر-الطاقة');
    expect((await inject({ method: 'DELETE', url: `/articles/${id}`, headers: auth })).statusCode).toBe(200);
    expectError(await inject({ method: 'GET', url: `/articles/${id}` }), 404);
  });

  const post = (payload: InjectOptions['payload'], headers: Record<string, string> = auth) =>
    ({ method: 'POST', url: '/articles', headers, payload }) satisfies InjectOptions;

  it.each([
    ['POST without Authorization', 401, 'UNAUTHORIZED', post(NEW_ARTICLE, {})],
    ['POST with a wrong token', 401, 'UNAUTHORIZED', post(NEW_ARTICLE, { authorization: 'Bearer wrong' })],
    [
      'POST with the token as a prefix',
      401,
      'UNAUTHORIZED',
      post(NEW_ARTICLE, { authorization: `Bearer ${TOKEN}x` }),
    ],
    ['POST with an empty bearer', 401, 'UNAUTHORIZED', post(NEW_ARTICLE, { authorization: 'Bearer ' })],
    ['POST with Basic auth', 401, 'UNAUTHORIZED', post(NEW_ARTICLE, { authorization: `Basic ${TOKEN}` })],
    ['POST with the bare token', 401, 'UNAUTHORIZED', post(NEW_ARTICLE, { authorization: TOKEN })],
    ['DELETE without Authorization', 401, 'UNAUTHORIZED', { method: 'DELETE', url: '/articles/summit-2024' }],
    [
      'DELETE with a wrong token',
      401,
      'UNAUTHORIZED',
      { method: 'DELETE', url: '/articles/summit-2024', headers: { authorization: 'Bearer wrong' } },
    ],
    [
      'DELETE of an unknown id',
      404,
      'NOT_FOUND',
      { method: 'DELETE', url: '/articles/no-such-article', headers: auth },
    ],
    [
      'invalid JSON',
      400,
      undefined,
      post('{"id": "x", "paragraphs": [', { ...auth, 'content-type': 'application/json' }),
    ],
    ['an empty JSON body', 400, undefined, post('', { ...auth, 'content-type': 'application/json' })],
    ['an empty array', 400, undefined, post([])],
    ['an article without id', 400, undefined, post({ title: 'بلا معرّف', paragraphs: ['نص'] })],
    ['an article with a bad date', 400, undefined, post({ ...NEW_ARTICLE, published: '2024-02-30' })],
    ['an article whose paragraphs are not strings', 400, undefined, post({ id: 'x', paragraphs: [1, 2] })],
    ['an array holding one bad article', 400, undefined, post([NEW_ARTICLE, { id: '', paragraphs: [] }])],
    ['an id of only spaces', 400, undefined, post({ id: '  \t', paragraphs: ['نص'] })],
    ['a time of 25 o’clock', 400, undefined, post({ ...NEW_ARTICLE, published: '2024-02-29T25:00:00Z' })],
    ['a time of 24:61', 400, undefined, post({ ...NEW_ARTICLE, published: '2024-02-29T24:61:00Z' })],
    ['an offset of +24:00', 400, undefined, post({ ...NEW_ARTICLE, published: '2024-02-29T10:00:00+24:00' })],
    // Refused before the body is read: an unauthenticated client learns nothing of validation.
    ['an unauthenticated bad body', 401, 'UNAUTHORIZED', post([], {})],
    [
      'an unauthenticated body over bodyLimit',
      401,
      'UNAUTHORIZED',
      post({ id: 'big', paragraphs: ['ن'.repeat(5000)] }, {}),
    ],
    ['a JSON string', 400, undefined, post('"نص"', { ...auth, 'content-type': 'application/json' })],
    ['a body over bodyLimit', 413, undefined, post({ id: 'big', paragraphs: ['ن'.repeat(5000)] })],
  ] as const)('%s → %i, and the archive is unchanged', async (_name, status, code, request) => {
    expectError(await inject(request), status, code);
    expect(await health()).toEqual({ status: 'ok', articles: FIXTURE.length, paragraphs: PARAGRAPHS });
    expect((await inject({ method: 'GET', url: '/articles/summit-2024' })).statusCode).toBe(200);
    expectError(await inject({ method: 'GET', url: '/articles/flood-2024' }), 404);
  });
});
