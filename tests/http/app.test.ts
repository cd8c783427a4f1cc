import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { DEFAULT_SYNONYM_GROUPS } from '../../src/search/synonyms.js';
import { normalize } from '../../src/analysis/normalize.js';
import { ArshifError } from '../../src/errors.js';
import { buildApp } from '../../src/http/app.js';
import { trustProxyFromEnvironment } from '../../src/http/server.js';
import { MAX_ANALYZE_LENGTH } from '../../src/http/schemas.js';
import { Archive, type Hit, type SearchResponse } from '../../src/archive/archive.js';
import type { Article } from '../../src/article/article.js';
import type { PersistentArchive } from '../../src/archive/persistent-archive.js';
import type { SearchOptions } from '../../src/archive/search-options.js';
import { temporaryArchive } from '../temp-archive.js';

/** A long paragraph whose only match sits past the first snippet window. */
const LONG_PARAGRAPH = `${'تناول الاجتماع قضايا متعددة تخص المنطقة. '.repeat(12)}وناقش الوزراء خطر الفيضانات.`;

/**
 * Four articles, each exercising something: a diacritised word (زعزعةَ), HTML-like characters, an
 * undated article, two paragraphs holding the same two words once adjacent and once apart.
 */
const FIXTURE: readonly Article[] = [
  {
    id: 'summit-2024',
    title: 'قمة عربية حول الأمن المائي',
    published: '2024-03-10',
    source: 'وكالة الأنباء العربية',
    section: 'سياسة',
    url: 'https://example.com/summit',
    paragraphs: [
      'حذّر القادة العرب من أن شحّ المياه قد يؤدي إلى زعزعةَ الاستقرار في المنطقة.',
      'ودعا البيان الختامي إلى التعاون الاقتصادي وضبط أسعار الغذاء بين الدول العربية.',
      LONG_PARAGRAPH,
    ],
  },
  {
    id: 'site-redesign',
    title: 'تصميم جديد لموقع الصحيفة',
    published: '2024-05-01T09:30:00Z',
    source: 'الصحيفة الرقمية',
    section: 'تكنولوجيا',
    paragraphs: ['يعرض الشريط الجديد <b>عاجل</b> & "آخر الأخبار" في أعلى الصفحة.'],
  },
  {
    id: 'خبر-الطاقة',
    title: 'أسواق الطاقة',
    source: 'وكالة الأنباء العربية',
    section: 'اقتصاد',
    paragraphs: ['ارتفعت أسعار النفط في الأسواق العالمية مع تراجع المخزون.'],
  },
  {
    id: 'match-2023',
    title: 'فوز المنتخب',
    published: '2023-11-20',
    source: 'قناة الرياضة',
    section: 'رياضة',
    paragraphs: [
      'فاز المنتخب الوطني في المباراة وارتفعت أسعار التذاكر بعد الفوز.',
      'وتراجع النفط بينما ارتفعت أسعار الذهب في الأسواق.',
    ],
  },
];

const PARAGRAPHS = FIXTURE.reduce((sum, article) => sum + article.paragraphs.length, 0);
const TOKEN = 'test-token-ثابت';
const HIT_KEYS = [
  'highlights',
  'id',
  'para',
  'published',
  'score',
  'section',
  'snippet',
  'source',
  'text',
  'title',
];

function archiveOf(articles: readonly Article[]): Archive {
  const archive = new Archive();
  for (const article of articles) archive.put(structuredClone(article));
  return archive;
}

/** Asserts SPEC.md's error body, `{"error": {"code", "message"}}` and nothing else, with the status. */
function expectError(response: LightMyRequestResponse, status: number, code?: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  expect(response.headers['content-type']).toMatch(/^application\/json/u);
  const body = response.json<unknown>();
  expect(body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
  const { error } = body as { error: { code: string; message: string } };
  expect(Object.keys(body as object)).toEqual(['error']);
  expect(Object.keys(error).sort()).toEqual(['code', 'message']);
  expect(error.code).not.toBe('');
  expect(error.message).not.toBe('');
  if (code !== undefined) expect(error.code).toBe(code);
}

/** The snippet of a short paragraph: all of it, HTML-escaped, highlights in `<mark>`. */
function markedUp(text: string, highlights: readonly [number, number][]): string {
  const escape = (value: string) =>
    value
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&#39;');
  let html = '';
  let cursor = 0;
  for (const [start, end] of highlights) {
    html += `${escape(text.slice(cursor, start))}<mark>${escape(text.slice(start, end))}</mark>`;
    cursor = end;
  }
  return html + escape(text.slice(cursor));
}

/** `[start, end]` of `word` in `text`, from the text itself. */
function spanOf(text: string, word: string, from = 0): [number, number] {
  const start = text.indexOf(word, from);
  expect(start, `${word} not in ${text}`).toBeGreaterThanOrEqual(0);
  return [start, start + word.length];
}

const ref = (hit: Pick<Hit, 'id' | 'para'>) => `${hit.id}#${hit.para}`;

describe('HTTP app (inject)', () => {
  let app: FastifyInstance;

  const get = (path: string, query?: Record<string, string>) =>
    app.inject({ method: 'GET', url: query === undefined ? path : `${path}?${new URLSearchParams(query)}` });

  async function search(query: Record<string, string>): Promise<SearchResponse> {
    const response = await get('/search', query);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SearchResponse>();
  }

  beforeAll(async () => {
    app = await buildApp({ archive: archiveOf(FIXTURE) });
  });
  afterAll(async () => {
    await app.close();
  });

  describe('GET /search', () => {
    it('answers query, total, tookMs and hits of exactly the SPEC shape', async () => {
      const response = await get('/search', { q: 'زعزعة' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json; charset=utf-8/u);
      const body = response.json<SearchResponse>();
      expect(body).toEqual({ query: 'زعزعة', total: 1, tookMs: expect.any(Number), hits: expect.any(Array) });
      const text = FIXTURE[0]!.paragraphs[0]!;
      const [hit] = body.hits;
      expect(Object.keys(hit!).sort()).toEqual(HIT_KEYS);
      expect(hit).toEqual({
        id: 'summit-2024',
        para: 0,
        title: 'قمة عربية حول الأمن المائي',
        published: '2024-03-10',
        source: 'وكالة الأنباء العربية',
        section: 'سياسة',
        score: expect.any(Number),
        text,
        highlights: [spanOf(text, 'زعزعةَ')],
        snippet: markedUp(text, [spanOf(text, 'زعزعةَ')]),
      });
      expect(hit!.score).toBeGreaterThan(0);
    });

    it('highlights the diacritised word as written, fatha included', async () => {
      const [hit] = (await search({ q: 'زعزعة' })).hits;
      const [start, end] = hit!.highlights[0]!;
      expect(hit!.text.slice(start, end)).toBe('زعزعةَ');
      expect(hit!.snippet).toContain('<mark>زعزعةَ</mark>');
    });

    it('gives null for the fields an article lacks', async () => {
      const [hit] = (await search({ q: 'المخزون' })).hits;
      expect(hit).toMatchObject({ id: 'خبر-الطاقة', published: null, source: 'وكالة الأنباء العربية' });
    });

    it('HTML-escapes the snippet and marks only the matched word', async () => {
      const [hit] = (await search({ q: 'عاجل' })).hits;
      const text = FIXTURE[1]!.paragraphs[0]!;
      expect(hit!.text).toBe(text);
      expect(hit!.highlights).toEqual([spanOf(text, 'عاجل')]);
      expect(hit!.snippet).toBe(
        'يعرض الشريط الجديد &lt;b&gt;<mark>عاجل</mark>&lt;/b&gt; &amp; &quot;آخر الأخبار&quot; في أعلى الصفحة.',
      );
    });

    it.each([
      ['أسعار', ['أسعار']],
      ['اسعار', ['أسعار']],
      ['الأخبار', ['الأخبار']],
      ['الاستقرار المنطقة', ['الاستقرار', 'المنطقة']],
    ])('highlights of %s slice the original text', async (q, written) => {
      const { hits } = await search({ q });
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits) {
        expect(hit.highlights.length, ref(hit)).toBeGreaterThan(0);
        let previousEnd = 0;
        for (const [start, end] of hit.highlights) {
          expect(start).toBeGreaterThanOrEqual(previousEnd);
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(hit.text.length);
          previousEnd = end;
        }
        const present = written.filter((word) => hit.text.includes(word));
        expect(present.length, ref(hit)).toBeGreaterThan(0);
        for (const word of present)
          expect(hit.highlights, `${ref(hit)} ${word}`).toContainEqual(spanOf(hit.text, word));
        if (hit.text.length < 240) expect(hit.snippet).toBe(markedUp(hit.text, hit.highlights));
      }
    });

    it('cuts a long paragraph into a snippet around the match, marked with …', async () => {
      const [hit] = (await search({ q: 'الفيضانات' })).hits;
      expect(ref(hit!)).toBe('summit-2024#2');
      expect(hit!.highlights).toEqual([spanOf(LONG_PARAGRAPH, 'الفيضانات')]);
      expect(hit!.snippet.startsWith('…')).toBe(true);
      expect(hit!.snippet).toContain('<mark>الفيضانات</mark>');
      const plain = hit!.snippet
        .replaceAll(/<\/?mark>/gu, '')
        .replace(/^…/u, '')
        .replace(/…$/u, '');
      expect(LONG_PARAGRAPH).toContain(plain);
      expect(plain.length).toBeLessThan(LONG_PARAGRAPH.length);
    });

    it('counts every match in total and pages with limit and offset', async () => {
      const all = await search({ q: 'أسعار', limit: '100' });
      expect(all.hits.map(ref).sort()).toEqual([
        'match-2023#0',
        'match-2023#1',
        'summit-2024#1',
        'خبر-الطاقة#0',
      ]);
      expect(all.total).toBe(4);
      const first = await search({ q: 'أسعار', limit: '2' });
      const second = await search({ q: 'أسعار', limit: '2', offset: '2' });
      const beyond = await search({ q: 'أسعار', offset: '4' });
      expect(first.hits).toHaveLength(2);
      expect([first, second, beyond].map((page) => page.total)).toEqual([4, 4, 4]);
      expect([...first.hits, ...second.hits].map(ref)).toEqual(all.hits.map(ref));
      expect(beyond.hits).toEqual([]);
    });

    it('ranks by relevance by default and by date with sort=date, newest first and undated last', async () => {
      const relevance = await search({ q: 'أسعار', sort: 'relevance' });
      expect((await search({ q: 'أسعار' })).hits.map(ref)).toEqual(relevance.hits.map(ref));
      const scores = relevance.hits.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));

      const byDate = await search({ q: 'أسعار', sort: 'date' });
      expect(byDate.total).toBe(relevance.total);
      expect(byDate.hits.map((hit) => hit.id)).toEqual([
        'summit-2024',
        'match-2023',
        'match-2023',
        'خبر-الطاقة',
      ]);
    });

    it.each([
      ['from only', { from: '2024-01-01' }, ['summit-2024#1']],
      ['to only', { to: '2023-12-31' }, ['match-2023#0', 'match-2023#1']],
      [
        'from and to',
        { from: '2023-11-20', to: '2024-03-10' },
        ['match-2023#0', 'match-2023#1', 'summit-2024#1'],
      ],
      [
        'an ISO date-time bound',
        { from: '2023-11-20T12:00:00Z' },
        ['match-2023#0', 'match-2023#1', 'summit-2024#1'],
      ],
      ['no dated article in range', { from: '2025-01-01' }, []],
    ])('filters by date, %s, leaving the undated article out', async (_name, range, expected) => {
      const response = await search({ q: 'أسعار', ...range });
      expect(response.hits.map(ref).sort()).toEqual(expected);
      expect(response.total).toBe(expected.length);
    });

    it('includes an article dated by a date-time on its day, both bounds inclusive', async () => {
      const response = await search({ q: 'عاجل', from: '2024-05-01', to: '2024-05-01' });
      expect(response.hits.map(ref)).toEqual(['site-redesign#0']);
    });

    it('finds the undated article when no date bound is given', async () => {
      expect((await search({ q: 'أسعار' })).hits.map((hit) => hit.id)).toContain('خبر-الطاقة');
    });

    it.each([
      ['source as written', { source: 'وكالة الأنباء العربية' }, ['summit-2024#1', 'خبر-الطاقة#0']],
      [
        'source typed without hamza, ه for ة',
        { source: 'وكاله الانباء العربيه' },
        ['summit-2024#1', 'خبر-الطاقة#0'],
      ],
      ['section', { section: 'رياضة' }, ['match-2023#0', 'match-2023#1']],
      ['source and section', { source: 'وكالة الأنباء العربية', section: 'اقتصاد' }, ['خبر-الطاقة#0']],
      ['unknown source', { source: 'صحيفة أخرى' }, []],
    ])('filters by %s', async (_name, filter, expected) => {
      const response = await search({ q: 'أسعار', ...filter });
      expect(response.hits.map(ref).sort()).toEqual(expected);
      expect(response.total).toBe(expected.length);
    });

    it.each([
      [
        'plain words: any may match',
        'أسعار النفط',
        ['match-2023#0', 'match-2023#1', 'summit-2024#1', 'خبر-الطاقة#0'],
      ],
      ['"a phrase": the words adjacent, in order', '"أسعار النفط"', ['خبر-الطاقة#0']],
      ['typographic quotes', '“أسعار النفط”', ['خبر-الطاقة#0']],
      ['-word excludes', 'أسعار -النفط', ['match-2023#0', 'summit-2024#1']],
      ['+word requires', '+النفط أسعار', ['match-2023#1', 'خبر-الطاقة#0']],
      ['+word and -word together', '+أسعار -الذهب -التذاكر', ['summit-2024#1', 'خبر-الطاقة#0']],
    ])('query syntax, %s', async (_name, q, expected) => {
      const response = await search({ q, limit: '100' });
      expect(response.hits.map(ref).sort()).toEqual(expected);
      expect(response.total).toBe(expected.length);
    });

    it('ranks the paragraph holding more of the words first', async () => {
      const [best] = (await search({ q: 'أسعار النفط الأسواق' })).hits;
      expect(['خبر-الطاقة#0', 'match-2023#1']).toContain(ref(best!));
      expect(best!.highlights.length).toBe(3);
    });

    it('highlights every word of a phrase hit', async () => {
      const [hit] = (await search({ q: '"أسعار النفط"' })).hits;
      const text = FIXTURE[2]!.paragraphs[0]!;
      expect(hit!.highlights).toEqual([spanOf(text, 'أسعار'), spanOf(text, 'النفط')]);
      expect(hit!.snippet).toBe(markedUp(text, hit!.highlights));
    });

    it.each([
      ['an unbalanced quote', '"أسعار النفط'],
      ['a lone quote', '"'],
      ['a lone -', '-'],
      ['a lone +', '+'],
      ['signs only', '+ - + -'],
      ['punctuation only', '؟!... ، ؛'],
      ['stop words only', 'في من إلى'],
      ['only an excluded word', '-النفط'],
      ['a NUL character', '\u0000'],
      ['an emoji', '😀'],
      ['HTML', '<script>alert(1)</script>'],
      ['1000 characters', 'ن'.repeat(1000)],
      ['166 words', 'أسعار '.repeat(166).trim()],
    ])('never errors on %s (200)', async (_name, q) => {
      const response = await search({ q });
      expect(response.query).toBe(q);
      expect(response.hits.length).toBeLessThanOrEqual(10);
      expect(response.total).toBeGreaterThanOrEqual(response.hits.length);
    });

    it('finds the phrase of an unbalanced quote, running to the end of the query', async () => {
      expect((await search({ q: '"أسعار النفط' })).hits.map(ref)).toEqual(['خبر-الطاقة#0']);
    });

    it('accepts limit 1 and 100, the bounds', async () => {
      expect((await search({ q: 'أسعار', limit: '1' })).hits).toHaveLength(1);
      expect((await search({ q: 'أسعار', limit: '100' })).hits).toHaveLength(4);
    });
  });

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

  describe('GET /synonyms', () => {
    it('lists the groups in effect with their source, shipped ones first', async () => {
      const response = await get('/synonyms');
      expect(response.statusCode).toBe(200);
      const { groups } = response.json<{ groups: { forms: string[]; source: string }[] }>();
      expect(groups.length).toBe(DEFAULT_SYNONYM_GROUPS.length);
      expect(groups[0]).toEqual({
        ...DEFAULT_SYNONYM_GROUPS[0],
        forms: [...DEFAULT_SYNONYM_GROUPS[0]!.forms],
      });
      expect(new Set(groups.map((group) => group.source))).toEqual(new Set(['default']));
    });
  });

  describe('GET /analyze', () => {
    it('answers {normalized, tokens: [{text, term, start, end}]} with offsets into the text', async () => {
      const text = 'وقالت الخارجيةُ إنّ الأسعار ارتفعت';
      const response = await get('/analyze', { text });
      expect(response.statusCode).toBe(200);
      const body = response.json<{ normalized: string; tokens: Record<string, unknown>[] }>();
      expect(Object.keys(body).sort()).toEqual(['normalized', 'tokens']);
      expect(body).toEqual({ normalized: normalize(text), tokens: analyze(text) });
      expect(body.normalized).toBe('وقالت الخارجيه ان الاسعار ارتفعت');
      for (const token of body.tokens)
        expect(Object.keys(token).sort()).toEqual(['end', 'start', 'term', 'text']);
      const surfaces = body.tokens.map((token) => token.text);
      expect(surfaces).toContain('الخارجيةُ');
      for (const token of body.tokens) {
        const surface = token.text as string;
        expect([token.start, token.end]).toEqual(spanOf(text, surface));
      }
    });
  });

  describe('GET /health', () => {
    it('answers status ok with the numbers of articles and paragraphs', async () => {
      const response = await get('/health');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toStrictEqual({
        status: 'ok',
        articles: FIXTURE.length,
        paragraphs: PARAGRAPHS,
      });
    });
  });

  describe('GET /docs', () => {
    it('serves the OpenAPI UI under a Content-Security-Policy its page satisfies: no inline script', async () => {
      const response = await get('/docs');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/u);
      const policy = String(response.headers['content-security-policy']);
      expect(policy).toMatch(/default-src 'self'/u);
      expect(policy).toMatch(/script-src 'self'/u);
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/u);
      // Every script of the page is a file of the same origin, which 'self' allows.
      expect(response.body).toMatch(/<script src="\/docs\/static\/[^"]+"/u);
      expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/u);
    });

    it('every answer says nosniff and forbids framing', async () => {
      for (const url of ['/health', `/search?q=${encodeURIComponent('الأمن')}`, '/search', '/docs/json']) {
        const response = await get(url);
        expect(response.headers['x-content-type-options'], url).toBe('nosniff');
        expect(response.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      }
    });

    it('lists every route in /docs/json', async () => {
      const response = await get('/docs/json');
      expect(response.statusCode).toBe(200);
      const { paths } = response.json<{ paths: Record<string, Record<string, unknown>> }>();
      expect(Object.keys(paths['/search'] ?? {})).toContain('get');
      expect(Object.keys(paths['/articles/{id}'] ?? {}).sort()).toEqual(['delete', 'get']);
      expect(Object.keys(paths['/articles'] ?? {})).toEqual(['post']);
      expect(paths).toHaveProperty('/analyze');
      expect(paths).toHaveProperty('/health');
    });
  });

  describe('a message names what is wrong and what is allowed', () => {
    it.each([
      ['/search?q=a&sort=newest', /^parameter sort must be one of relevance, date, got "newest"$/u],
      [
        '/search?q=a&colour=red',
        /^unknown parameter "colour"; the parameters are q, limit, offset, from, to/u,
      ],
      ['/search?q=a&limit=abc', /^parameter limit must be integer, got "abc"$/u],
      ['/search?q=a&from=x', /^from must be a date YYYY-MM-DD, got "x"$/u],
      ['/analyze?text=a&x=1', /^unknown parameter "x"; the parameters are text$/u],
    ])('%s', async (url, message) => {
      const response = await get(url);
      expectError(response, 400, 'BAD_PARAMETER');
      expect(response.json<{ error: { message: string } }>().error.message).toMatch(message);
    });
  });

  describe('client mistakes are 4xx with the SPEC error body', () => {
    it.each([
      ['q missing', 400, '/search'],
      ['q empty', 400, '/search?q='],
      ['q over 1000 characters', 400, `/search?${new URLSearchParams({ q: 'ن'.repeat(1001) })}`],
      ['q given twice', 400, '/search?q=a&q=b'],
      ['limit 0', 400, '/search?q=a&limit=0'],
      ['limit 101', 400, '/search?q=a&limit=101'],
      ['limit abc', 400, '/search?q=a&limit=abc'],
      ['limit 1.5', 400, '/search?q=a&limit=1.5'],
      ['limit empty', 400, '/search?q=a&limit='],
      ['offset -1', 400, '/search?q=a&offset=-1'],
      ['offset abc', 400, '/search?q=a&offset=abc'],
      ['from not a date', 400, '/search?q=a&from=yesterday'],
      ['from month 13', 400, '/search?q=a&from=2024-13-01'],
      ['from 30 February', 400, '/search?q=a&from=2023-02-30'],
      ['from at 25 o’clock', 400, '/search?q=a&from=2024-02-29T25:00:00Z'],
      ['to at minute 61', 400, '/search?q=a&to=2024-02-29T23:61'],
      ['to not a date', 400, '/search?q=a&to=2024/01/01'],
      ['to a bare T', 400, '/search?q=a&to=2024-01-01T'],
      ['from after to', 400, '/search?q=a&from=2024-03-01&to=2024-01-01'],
      ['unknown sort', 400, '/search?q=a&sort=popular'],
      ['sort in capitals', 400, '/search?q=a&sort=DATE'],
      ['empty source', 400, '/search?q=a&source='],
      ['unknown parameter', 400, '/search?q=a&page=2'],
      ['analyze without text', 400, '/analyze'],
      ['analyze with empty text', 400, '/analyze?text='],
      ['analyze over its limit', 400, `/analyze?text=${'x'.repeat(MAX_ANALYZE_LENGTH + 1)}`],
      ['article id over 200 characters', 400, `/articles/${'a'.repeat(201)}`],
      ['unknown route', 404, '/nowhere'],
      ['unknown route under a known one', 404, '/search/more'],
    ])('%s → %i', async (_name, status, url) => {
      expectError(await get(url), status, status === 404 ? 'NOT_FOUND' : undefined);
    });

    it('names the bad parameter in the message', async () => {
      const response = await get('/search?q=a&limit=101');
      expectError(response, 400, 'BAD_PARAMETER');
      expect(response.json<{ error: { message: string } }>().error.message).toMatch(/limit/u);
    });

    it.each([
      ['a method no route has', 404, { method: 'PUT', url: '/articles/x' }],
      ['POST to an unknown route', 404, { method: 'POST', url: '/nowhere' }],
    ] as const)('%s → %i', async (_name, status, request) => {
      expectError(await app.inject(request), status);
    });

    // Bug: buildApp sets no `frameworkErrors`, so Fastify answers these itself with
    // {"error": "Bad Request", "code": "FST_ERR_…", "message", "statusCode"}.
    it('an id longer than the router accepts (1001 characters) gets the SPEC error body', async () => {
      const response = await get(`/articles/${'a'.repeat(1001)}`);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expectError(response, response.statusCode);
    });

    it('a malformed percent-encoding in the path gets the SPEC error body (400)', async () => {
      expectError(await get('/articles/%E0%A4'), 400);
    });
  });

  describe('write routes without a token configured', () => {
    it.each([
      ['POST /articles', { method: 'POST', url: '/articles', payload: { id: 'x', paragraphs: ['نص'] } }],
      ['DELETE /articles/:id', { method: 'DELETE', url: '/articles/summit-2024' }],
    ] as const)('%s → 403 WRITES_DISABLED, even with a token sent', async (_name, request) => {
      expectError(await app.inject(request), 403, 'WRITES_DISABLED');
      expectError(
        await app.inject({ ...request, headers: { authorization: `Bearer ${TOKEN}` } }),
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

describe('HTTP rate limit', () => {
  it('answers 429 TOO_MANY_REQUESTS with Retry-After once a client exceeds it; /health is exempt', async () => {
    const app = await buildApp({ archive: archiveOf(FIXTURE), rateLimit: { max: 3, timeWindowMs: 60_000 } });
    const search = () => app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('الأمن')}` });
    for (let request = 0; request < 3; request += 1) expect((await search()).statusCode).toBe(200);
    const limited = await search();
    expectError(limited, 429, 'TOO_MANY_REQUESTS');
    expect(limited.json<{ error: { message: string } }>().error.message).toMatch(/rate limit of 3 requests/u);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectError(await app.inject({ method: 'GET', url: '/articles/summit-2024' }), 429, 'TOO_MANY_REQUESTS');
    for (let request = 0; request < 5; request += 1) {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      // Exempt by route, whatever the query says.
      expect((await app.inject({ method: 'GET', url: '/health?probe=1' })).statusCode).toBe(200);
    }
    await app.close();
  });

  it('does not limit a client holding the write token (a newsroom tool), only one guessing it', async () => {
    const token = 'rate-token';
    const app = await buildApp({
      archive: archiveOf(FIXTURE),
      token,
      rateLimit: { max: 2, timeWindowMs: 60_000 },
    });
    const search = (authorization?: string) =>
      app.inject({
        method: 'GET',
        url: `/search?q=${encodeURIComponent('الأمن')}`,
        headers: authorization === undefined ? {} : { authorization },
      });
    for (let request = 0; request < 5; request += 1) {
      expect((await search(`Bearer ${token}`)).statusCode).toBe(200);
    }
    expect((await search('Bearer wrong')).statusCode).toBe(200);
    expect((await search('Bearer wrong')).statusCode).toBe(200);
    expectError(await search('Bearer wrong'), 429, 'TOO_MANY_REQUESTS');
    await app.close();
  });

  it('behind a trusted proxy, counts each client of X-Forwarded-For apart', async () => {
    const app = await buildApp({
      archive: archiveOf(FIXTURE),
      rateLimit: { max: 1, timeWindowMs: 60_000 },
      trustProxy: ['127.0.0.1'],
    });
    const from = (client: string) =>
      app.inject({ method: 'GET', url: '/articles/summit-2024', headers: { 'x-forwarded-for': client } });
    expect((await from('203.0.113.1')).statusCode).toBe(200);
    expect((await from('203.0.113.2')).statusCode).toBe(200);
    expectError(await from('203.0.113.1'), 429, 'TOO_MANY_REQUESTS');
    await app.close();
  });
});

describe('ARSHIF_TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['true', true],
    ['127.0.0.1, 10.0.0.0/8', ['127.0.0.1', '10.0.0.0/8']],
  ] as const)('%s → %j', (value, expected) => {
    expect(trustProxyFromEnvironment(value)).toEqual(expected);
  });

  it('a number is a count of proxy hops', () => {
    const trust = trustProxyFromEnvironment('2') as (address: string, hop: number) => boolean;
    expect([trust('10.0.0.1', 0), trust('10.0.0.2', 1), trust('203.0.113.9', 2)]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => trustProxyFromEnvironment('everyone')).toThrow(/ARSHIF_TRUST_PROXY/u);
  });
});

describe('HTTP search when the search threads are full', () => {
  it('answers 503 OVERLOADED with Retry-After, and /health meanwhile', async () => {
    const archive = archiveOf(FIXTURE);
    const app = await buildApp({
      archive: {
        search: () => {
          throw new ArshifError(
            'OVERLOADED',
            '64 searches are waiting on every search thread; retry shortly',
          );
        },
        related: (id, para, options) => archive.related(id, para, options),
        get: (id) => archive.get(id),
        stats: () => archive.stats(),
        synonymGroups: () => archive.synonymGroups(),
      },
    });
    const response = await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('الأمن')}` });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      error: { code: 'OVERLOADED', message: expect.stringMatching(/retry/u) },
    });
    expect(response.headers['retry-after']).toBe('1');
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await app.close();
  });
});

describe('HTTP search time limit', () => {
  /** The options each search was asked with, answering as the archive would. */
  async function appRecording(options: Partial<Parameters<typeof buildApp>[0]>) {
    const archive = archiveOf(FIXTURE);
    const asked: SearchOptions[] = [];
    const app = await buildApp({
      ...options,
      archive: {
        search: (query, searchOptions = {}) => {
          asked.push(searchOptions);
          return {
            ...archive.search(query, searchOptions),
            partial: true,
            timedOut: true,
            totalExact: false,
          };
        },
        related: (id, para, relatedOptions) => archive.related(id, para, relatedOptions),
        get: (id) => archive.get(id),
        synonymGroups: () => archive.synonymGroups(),
        stats: () => archive.stats(),
      },
    });
    return { app, asked };
  }

  it('bounds every search by 250 ms by default, and says when the limit cut one short', async () => {
    const { app, asked } = await appRecording({});
    const response = await app.inject({
      method: 'GET',
      url: `/search?q=${encodeURIComponent('الأمن')}&limit=3`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ partial: true, timedOut: true, totalExact: false });
    expect(asked.map((options) => [options.limit, options.timeLimitMs])).toEqual([[3, 250]]);
    await app.close();
  });

  it('takes another limit, or none, from the service and never from the client', async () => {
    for (const [searchTimeLimitMs, expected] of [
      [40, 40],
      [false, undefined],
    ] as const) {
      const { app, asked } = await appRecording({ searchTimeLimitMs });
      expect((await app.inject({ method: 'GET', url: '/search?q=x' })).statusCode).toBe(200);
      const refused = await app.inject({ method: 'GET', url: '/search?q=x&timeLimitMs=60000' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toMatch(/timeLimitMs/u);
      expect(asked.map((options) => options.timeLimitMs)).toEqual([expected]);
      await app.close();
    }
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

describe('HTTP search facets', () => {
  it('facets=source,year counts every match by value; an unknown facet is a 400 naming the allowed ones', async () => {
    const archive = archiveOf(FIXTURE);
    const app = await buildApp({ archive });
    const q = encodeURIComponent('أسعار الأخبار');
    const whole = archive.search('أسعار الأخبار', { limit: 100 });
    expect(whole.total).toBeGreaterThan(1);
    const response = await app.inject({ method: 'GET', url: `/search?q=${q}&limit=1&facets=source,year` });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<SearchResponse>();
    expect(body.hits).toHaveLength(1);
    const counted = (facet: 'source' | 'year') =>
      body.facets![facet]!.reduce((sum, { count }) => sum + count, 0);
    expect(counted('source')).toBe(whole.hits.filter((hit) => hit.source !== null).length);
    expect(counted('year')).toBe(whole.hits.filter((hit) => hit.published !== null).length);
    expect(Object.keys(body.facets!)).toEqual(['source', 'year']);
    const bad = await app.inject({ method: 'GET', url: `/search?q=${q}&facets=source,colour` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/facets must be among source, section, year, got "colour"/u);
    await app.close();
  });
});

describe('HTTP search collapse', () => {
  it('folds copies into the best hit by default; collapse=false lists them', async () => {
    const wire =
      'ارتفعت أسعار الذهب إلى مستوى قياسي جديد اليوم مع تزايد الطلب على الملاذات الآمنة في الأسواق العالمية';
    const archive = archiveOf([
      { id: 'one', title: '', source: 'أ', paragraphs: [wire] },
      { id: 'two', title: '', source: 'ب', published: '2024-02-02', paragraphs: [wire] },
    ]);
    const app = await buildApp({ archive });
    const q = encodeURIComponent('أسعار الذهب');
    const folded = (await app.inject({ method: 'GET', url: `/search?q=${q}` })).json<SearchResponse>();
    expect(folded.hits).toHaveLength(1);
    const copies = {
      one: { id: 'one', para: 0, source: 'أ', published: null },
      two: { id: 'two', para: 0, source: 'ب', published: '2024-02-02' },
    };
    expect(folded.hits[0]!.copies).toEqual([folded.hits[0]!.id === 'one' ? copies.two : copies.one]);
    const listed = (
      await app.inject({ method: 'GET', url: `/search?q=${q}&collapse=false` })
    ).json<SearchResponse>();
    expect(listed.hits.map((hit) => hit.id).sort()).toEqual(['one', 'two']);
    expect((await app.inject({ method: 'GET', url: `/search?q=${q}&collapse=maybe` })).statusCode).toBe(400);
    await app.close();
  });
});
