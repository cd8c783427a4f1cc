import { describe, expect, it } from 'vitest';
import type { SearchResponse } from '../../src/archive/archive-search.js';
import { startServe } from '../helpers/serve-process.js';
import { expectErrorLine, run } from './cli-fixture.js';

describe('arshif serve', () => {
  it('serve with a PORT that is no port: exit 1 naming it', async () => {
    process.env.PORT = 'http';
    try {
      const { status, stderr } = await run('serve', '--index', '/nonexistent/arshif');
      expect(status).toBe(1);
      expectErrorLine(stderr, /PORT must be a port number 0–65535, got "http"/u);
    } finally {
      delete process.env.PORT;
    }
  });

  it.each(['two', '-1', '65'])(
    'serve with ARSHIF_SEARCH_THREADS=%s: exit 1 naming it, before opening anything',
    async (value) => {
      process.env.ARSHIF_SEARCH_THREADS = value;
      try {
        const { status, stderr } = await run('serve', '--index', '/nonexistent/arshif');
        expect(status).toBe(1);
        expectErrorLine(
          stderr,
          new RegExp(`ARSHIF_SEARCH_THREADS must be a whole number 0–64, got "${value}"`, 'u'),
        );
      } finally {
        delete process.env.ARSHIF_SEARCH_THREADS;
      }
    },
  );
});

describe('arshif serve (a real process)', () => {
  it('serves the sample corpus until SIGTERM, then exits 0, listening where PORT and HOST say', async () => {
    const serve = await startServe([], {}, 20_000, 'environment');
    try {
      const health = await (await fetch(`${serve.base}/health`)).json();
      expect(health).toEqual({ status: 'ok', articles: 36, paragraphs: expect.any(Number) });

      const response = await fetch(`${serve.base}/search?${new URLSearchParams({ q: 'زعزعة', limit: '3' })}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as SearchResponse;
      expect(body.hits.map((hit) => hit.id)).toContain(
        'arshif-sample-002-politics-arab-summit-water-security',
      );

      expect(serve.child.kill('SIGTERM')).toBe(true);
      expect(await serve.exited).toEqual({ code: 0, signal: null });
    } finally {
      await serve.kill();
    }
  }, 30_000);
});
