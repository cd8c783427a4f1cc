import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { STORE_FILE } from '../../src/archive/archive-directory.js';
import { STORE_FORMAT_VERSION } from '../../src/storage/sqlite-store.js';
import { PersistentArchive } from '../../src/archive/persistent-archive.js';
import { ARTICLES, archivesClosedAfterEach } from './persistent-archive-fixture.js';

const { open, savedArchive, newDirectory } = archivesClosedAfterEach();

describe('PersistentArchive: the store format', () => {
  it('a store of format 1 (no article facts) opens read-only as it is, and is upgraded when opened to write', async () => {
    const directory = await savedArchive();
    const db = new Database(join(directory, STORE_FILE));
    db.exec(
      "DROP TRIGGER article_edited; DROP TABLE article_facts; UPDATE meta SET value = '1' WHERE key = 'formatVersion'",
    );
    db.close();
    const filtered = (archive: PersistentArchive) =>
      archive.search('أسعار', { source: 'وكالة الانباء' }).hits.map((hit) => hit.id);

    const reader = await open(directory, { readonly: true });
    expect(reader.archive.opened.from).toBe('snapshot');
    expect(filtered(reader.archive)).toEqual(['oil']);
    await reader.archive.close();

    const writer = await open(directory);
    expect(writer.archive.opened.from).toBe('snapshot');
    expect(filtered(writer.archive)).toEqual(['oil']);
    await writer.archive.close();
    const upgraded = new Database(join(directory, STORE_FILE), { readonly: true });
    expect(upgraded.prepare("SELECT value FROM meta WHERE key = 'formatVersion'").get()).toEqual({
      value: String(STORE_FORMAT_VERSION),
    });
    expect(upgraded.prepare('SELECT id, day, paragraphs FROM article_facts ORDER BY position').all()).toEqual(
      [
        { id: 'oil', day: '2024-01-15', paragraphs: 2 },
        { id: 'gold', day: null, paragraphs: 1 },
        { id: 'flood', day: null, paragraphs: 2 },
      ],
    );
    upgraded.close();
  });

  it('acronyms learned from the articles are kept with them, and a store of format 2 learns them when upgraded', async () => {
    const definitions = [1, 2, 3].map((n) => ({
      id: `defines-${n}`,
      paragraphs: [`أعلنت هيئة تحرير الشام (هتش) في بيانها رقم ${n} وقف القتال.`],
    }));
    const learned = (archive: PersistentArchive) =>
      archive.archive.synonymGroups().filter((group) => group.source === 'learned');
    const expected = [{ forms: ['هتش', 'هيئة تحرير الشام'], source: 'learned', evidence: 3 }];
    const directory = await newDirectory();
    const first = await open(directory);
    await first.archive.put(definitions);
    await first.archive.save();
    expect(learned(first.archive)).toEqual(expected);
    await first.archive.close();
    const reopened = await open(directory, { readonly: true });
    expect(learned(reopened.archive)).toEqual(expected);
    await reopened.archive.close();

    const db = new Database(join(directory, STORE_FILE));
    db.exec(
      "ALTER TABLE article_facts DROP COLUMN acronyms; UPDATE meta SET value = '2' WHERE key = 'formatVersion'",
    );
    db.close();
    const upgraded = await open(directory);
    expect(learned(upgraded.archive)).toEqual(expected);
    await upgraded.archive.close();
  });

  it('a read-only archive whose articles another process replaces meanwhile skips the paragraphs gone', async () => {
    const directory = await newDirectory();
    const writer = await open(directory);
    await writer.archive.put(ARTICLES);
    const reader = await open(directory, { readonly: true });
    await writer.archive.put({ id: 'oil', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط.'] });
    const hits = reader.archive.search('الارتفاع').hits;
    expect(hits).toEqual([]);
    expect(reader.archive.search('أسعار').hits.map((hit) => hit.text)).toContain('ارتفعت أسعار النفط.');
  });
});
