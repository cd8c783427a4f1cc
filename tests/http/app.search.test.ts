import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { SearchResponse } from '../../src/archive/archive-search.js';
import { archiveOf, FIXTURE, fixtureApp, LONG_PARAGRAPH, ref, spanOf } from './app-fixture.js';

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
  'titleHighlights',
];

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

describe('HTTP app (inject)', () => {
  const { get, search } = fixtureApp();

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
        titleHighlights: [],
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
