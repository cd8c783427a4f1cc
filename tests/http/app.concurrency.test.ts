import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { SearchResponse } from '../../src/archive/archive-search.js';
import type { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { temporaryArchive } from '../helpers/temp-archive.js';

const TOKEN = 'concurrency-token';
const ARTICLES = 40;

/** Article n: two paragraphs, both holding the shared word, so half an article would show as one hit. */
function article(n: number, version: number) {
  return {
    id: `story-${n}`,
    title: `قصة ${n}`,
    paragraphs: [`مشترك في الفقرة الأولى، النسخة ${version}.`, `مشترك أيضا في الفقرة الثانية ${n}.`],
  };
}

describe('concurrent writes and searches', () => {
  let archive: PersistentArchive;
  let dispose: () => Promise<void>;
  let app: FastifyInstance;

  beforeAll(async () => {
    ({ archive, dispose } = await temporaryArchive([]));
    app = await buildApp({ archive: archive.archive, writer: archive, token: TOKEN });
  });
  afterAll(async () => {
    await app.close();
    await dispose();
  });

  it('every search sees whole articles, never fewer than acknowledged nor more than sent', async () => {
    let sent = 0;
    let acknowledged = 0;
    const write = async (n: number, version: number) => {
      sent += 1;
      const response = await app.inject({
        method: 'POST',
        url: '/articles',
        headers: { authorization: `Bearer ${TOKEN}` },
        payload: article(n, version),
      });
      expect(response.statusCode, response.body).toBe(200);
      if (version === 0) acknowledged += 1;
    };
    const observations: { before: number; after: number; response: SearchResponse }[] = [];
    const search = async () => {
      const before = acknowledged;
      const response = await app.inject({
        method: 'GET',
        url: `/search?q=${encodeURIComponent('مشترك')}&limit=100`,
      });
      observations.push({ before, after: sent, response: response.json<SearchResponse>() });
    };

    const work: Promise<void>[] = [];
    for (let n = 0; n < ARTICLES; n += 1) {
      work.push(write(n, 0), search());
      // Replacements of earlier articles must never show two versions at once nor lose one.
      if (n >= 5) work.push(write(n - 5, 1), search());
    }
    await Promise.all(work);

    expect(observations.length).toBe(ARTICLES * 2 - 5);
    for (const { before, after, response } of observations) {
      const byArticle = new Map<string, number[]>();
      for (const hit of response.hits) byArticle.set(hit.id, [...(byArticle.get(hit.id) ?? []), hit.para]);
      expect(response.total).toBe(response.hits.length);
      for (const paras of byArticle.values()) expect(paras.sort()).toEqual([0, 1]);
      expect(byArticle.size).toBeGreaterThanOrEqual(before);
      expect(byArticle.size).toBeLessThanOrEqual(after);
    }
    const final = await app.inject({
      method: 'GET',
      url: `/search?q=${encodeURIComponent('مشترك')}&limit=100`,
    });
    expect(final.json<SearchResponse>().total).toBe(ARTICLES * 2);
    const versions = await Promise.all(
      Array.from({ length: ARTICLES }, async (_, n) =>
        (await app.inject({ url: `/articles/story-${n}` })).json<{ paragraphs: string[] }>(),
      ),
    );
    versions.forEach((stored, n) =>
      expect(stored.paragraphs[0]).toContain(`النسخة ${n < ARTICLES - 5 ? 1 : 0}`),
    );
  });
});
