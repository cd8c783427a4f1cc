import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { temporaryArchive } from '../helpers/temp-archive.js';

const TOKEN = 'metrics-token';

describe('GET /metrics', () => {
  it('counts requests by route pattern and status, times them, and reports the archive and its writes', async () => {
    const { archive, dispose } = await temporaryArchive([{ id: 'oil', paragraphs: ['ارتفعت أسعار النفط'] }]);
    const app = await buildApp({ archive: archive.archive, writer: archive, token: TOKEN });
    try {
      const auth = { authorization: `Bearer ${TOKEN}` };
      await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('النفط')}` });
      await app.inject({ method: 'GET', url: `/search?q=${encodeURIComponent('الذهب')}` });
      await app.inject({ method: 'GET', url: '/search?q=x&limit=0' });
      await app.inject({ method: 'GET', url: '/articles/no-such-id' });
      await app.inject({
        method: 'POST',
        url: '/articles',
        headers: auth,
        payload: [
          { id: 'a', paragraphs: ['نص'] },
          { id: 'b', paragraphs: ['نص'] },
        ],
      });
      await app.inject({ method: 'DELETE', url: '/articles/a', headers: auth });
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/u);
      const text = response.body;
      const value = (series: string) => {
        const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
        return line === undefined ? undefined : Number(line.slice(series.length + 1));
      };
      expect(value('arshif_http_requests_total{method="GET",route="/search",status="200"}')).toBe(2);
      expect(value('arshif_http_requests_total{method="GET",route="/search",status="400"}')).toBe(1);
      expect(value('arshif_http_requests_total{method="GET",route="/articles/:id",status="404"}')).toBe(1);
      expect(value('arshif_http_request_duration_seconds_count{method="GET",route="/search"}')).toBe(3);
      expect(
        value('arshif_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/search"}'),
      ).toBe(3);
      expect(value('arshif_writes_total{kind="put"}')).toBe(2);
      expect(value('arshif_writes_total{kind="remove"}')).toBe(1);
      expect(value('arshif_articles')).toBe(2);
      expect(value('arshif_paragraphs')).toBe(2);
      expect(value('arshif_unsaved_writes')).toBeGreaterThan(0);
      expect(value('arshif_snapshot_age_seconds')).toBeGreaterThanOrEqual(0);
      expect(value('arshif_segments')).toBeGreaterThanOrEqual(0);
      expect(value('arshif_process_resident_memory_bytes')).toBeGreaterThan(0);
      // Series are by route pattern: no id or query ever becomes a label.
      expect(text).not.toMatch(/no-such-id|q=/u);
    } finally {
      await app.close();
      await dispose();
    }
  });
});
