import { describe, expect, it } from 'vitest';
import { MAX_ANALYZE_LENGTH } from '../../src/http/schemas.js';
import { expectError, fixtureApp } from './app-fixture.js';

describe('HTTP app (inject)', () => {
  const { get, inject } = fixtureApp();

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
      expectError(await inject(request), status);
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
});
