import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { temporaryArchive } from '../helpers/temp-archive.js';

const TOKEN = 'versions-token';
const item = (version: string, text: string) => ({
  uri: 'urn:wire:quake',
  type: 'text',
  version,
  versionCreated: `2024-05-0${version}T10:00:00Z`,
  headlines: [{ role: 'main', value: `زلزال — النسخة ${version}` }],
  bodies: [{ role: 'main', contentType: 'text/html', value: `<p>${text}</p>` }],
});

describe('versions', () => {
  it('a newer version replaces the older; an older one arriving late is ignored, also after a restart', async () => {
    const { archive, directory, dispose } = await temporaryArchive();
    try {
      const { articles: converted } = await import('../../src/http/incoming-articles.js').then((incoming) =>
        incoming.incomingArticles(
          [item('1', 'هزة أولى'), item('3', 'حصيلة نهائية'), item('2', 'حصيلة أولية')],
          true,
        ),
      );
      // One batch: the third (version 2) comes after version 3, and is ignored.
      const first = await archive.write(converted);
      expect(first.stored.map((article) => article.version)).toEqual(['1', '3']);
      expect(first.ignored).toEqual([{ id: 'urn:wire:quake', version: '2', storedVersion: '3' }]);
      expect(archive.get('urn:wire:quake')?.paragraphs).toEqual(['حصيلة نهائية']);
      await archive.close();
      const reopened = await PersistentArchive.open(directory, { autoSave: false });
      try {
        const late = await reopened.write({ ...(converted[0] as object) });
        expect(late.stored).toEqual([]);
        expect(late.ignored).toEqual([{ id: 'urn:wire:quake', version: '1', storedVersion: '3' }]);
        expect(reopened.search('حصيلة').hits.map((hit) => hit.text)).toEqual(['حصيلة نهائية']);
        // An unversioned write always applies.
        await reopened.put({ id: 'urn:wire:quake', paragraphs: ['تصحيح يدوي'] });
        expect(reopened.get('urn:wire:quake')?.paragraphs).toEqual(['تصحيح يدوي']);
      } finally {
        await reopened.close();
      }
    } finally {
      await dispose().catch(() => undefined);
    }
  });

  it('concurrent writes compare with the version still on its way to disk', async () => {
    const { archive, dispose } = await temporaryArchive();
    try {
      const article = (version: string) => ({ id: 'race', version, paragraphs: [`نسخة ${version}`] });
      const [newer, older] = await Promise.all([archive.write(article('5')), archive.write(article('4'))]);
      expect(newer.stored).toHaveLength(1);
      expect(older.ignored).toEqual([{ id: 'race', version: '4', storedVersion: '5' }]);
      expect(archive.get('race')?.version).toBe('5');
    } finally {
      await dispose();
    }
  });

  it('over HTTP: ninjs by content type or by shape, what was ignored and skipped said', async () => {
    const { archive, dispose } = await temporaryArchive();
    const app = await buildApp({ archive: archive.archive, writer: archive, token: TOKEN });
    try {
      const post = (payload: unknown, contentType = 'application/json') =>
        app.inject({
          method: 'POST',
          url: '/articles',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': contentType },
          payload: JSON.stringify(payload),
        });
      const first = await post(
        [item('2', 'الثانية'), { uri: 'urn:pic', type: 'picture' }],
        'application/ninjs+json',
      );
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toEqual({
        ids: ['urn:wire:quake'],
        articles: 1,
        paragraphs: 1,
        skipped: [{ item: 2, uri: 'urn:pic', reason: 'picture item without a text body' }],
      });
      const late = await post(item('1', 'الأولى'));
      expect(late.json()).toEqual({
        ids: [],
        articles: 0,
        paragraphs: 0,
        ignored: [{ id: 'urn:wire:quake', version: '1', storedVersion: '2' }],
      });
      const stored = await app.inject({
        method: 'GET',
        url: `/articles/${encodeURIComponent('urn:wire:quake')}`,
      });
      expect(stored.json()).toMatchObject({ version: '2', html: '<p>الثانية</p>', paragraphs: ['الثانية'] });
      const bad = await post({ headlines: [{ value: 'بلا معرف' }] }, 'application/ninjs+json');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/^the ninjs item: .*"uri"/u);
    } finally {
      await app.close();
      await dispose();
    }
  });
});
