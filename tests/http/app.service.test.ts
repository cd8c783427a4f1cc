import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { DEFAULT_SYNONYM_GROUPS } from '../../src/search/synonyms.js';
import { normalize } from '../../src/analysis/normalize.js';
import { FIXTURE, fixtureApp, PARAGRAPHS, spanOf } from './app-fixture.js';

describe('HTTP app (inject)', () => {
  const { get } = fixtureApp();

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
});
