/** What the tests of `buildApp` share: four articles, the SPEC error body, and an app over them. */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { Archive } from '../../src/archive/archive.js';
import { type Hit, type SearchResponse } from '../../src/archive/archive-search.js';
import type { Article } from '../../src/article/article.js';

/** A long paragraph whose only match sits past the first snippet window. */
export const LONG_PARAGRAPH = `${'تناول الاجتماع قضايا متعددة تخص المنطقة. '.repeat(12)}وناقش الوزراء خطر الفيضانات.`;

/**
 * Four articles, each exercising something: a diacritised word (زعزعةَ), HTML-like characters, an
 * undated article, two paragraphs holding the same two words once adjacent and once apart.
 */
export const FIXTURE: readonly Article[] = [
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

export const PARAGRAPHS = FIXTURE.reduce((sum, article) => sum + article.paragraphs.length, 0);
export const TOKEN = 'test-token-ثابت';

export function archiveOf(articles: readonly Article[]): Archive {
  const archive = new Archive();
  for (const article of articles) archive.put(structuredClone(article));
  return archive;
}

/** Asserts SPEC.md's error body, `{"error": {"code", "message"}}` and nothing else, with the status. */
export function expectError(response: LightMyRequestResponse, status: number, code?: string): void {
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

/** `[start, end]` of `word` in `text`, from the text itself. */
export function spanOf(text: string, word: string, from = 0): [number, number] {
  const start = text.indexOf(word, from);
  expect(start, `${word} not in ${text}`).toBeGreaterThanOrEqual(0);
  return [start, start + word.length];
}

export const ref = (hit: Pick<Hit, 'id' | 'para'>) => `${hit.id}#${hit.para}`;

/**
 * For the tests of a describe block: one read-only app over FIXTURE, built before them and closed
 * after, and ways to ask it.
 */
export function fixtureApp() {
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

  return { get, search, inject: (options: InjectOptions) => app.inject(options) };
}
