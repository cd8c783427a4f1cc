import { describe, expect, it } from 'vitest';
import { ArshifError } from '../../src/errors.js';
import { buildApp } from '../../src/http/app.js';
import type { SearchOptions } from '../../src/archive/search-options.js';
import { archiveOf, expectError, FIXTURE } from './app-fixture.js';

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
