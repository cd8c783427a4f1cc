import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEGMENTS_DIRECTORY } from '../../src/archive/archive-directory.js';
import type { Article } from '../../src/article/article.js';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { MERGE_FACTOR } from '../../src/search/engine.js';
import { ARTICLES, archivesClosedAfterEach, readSnapshotOf, view } from './persistent-archive-fixture.js';

const { open, newDirectory } = archivesClosedAfterEach();

describe('PersistentArchive: background snapshots', () => {
  it('refreshes the snapshot in a worker thread after enough writes', async () => {
    const directory = await newDirectory();
    const saved = new Promise<string>((resolve) => {
      void open(directory, {
        autoSave: { changes: 3, delayMs: 60_000 },
        log: (line) => {
          if (line.startsWith('snapshot saved')) resolve(line);
        },
      }).then(async ({ archive }) => {
        await archive.put(ARTICLES[0]);
        await archive.put(ARTICLES[1]);
        await archive.put(ARTICLES[2]);
        expect(archive.search('أسعار').total).toBe(2);
      });
    });
    expect(await saved).toMatch(/^snapshot saved: 5 paragraphs up to store position 3 /u);
    const { header } = await readSnapshotOf(directory);
    expect(header).toMatchObject({ position: 3, paragraphs: 5 });
  });

  it('refresh() writes the snapshot in a worker: searches answer while it runs, calls join one refresh', async () => {
    const directory = await newDirectory();
    const { archive } = await open(directory);
    await archive.put(ARTICLES);
    let settled = false;
    const first = archive.refresh();
    void first.then(() => (settled = true));
    expect(archive.refresh()).toBe(first);
    expect(archive.search('السيول').hits.map((hit) => hit.id)).toEqual(['flood']);
    expect(settled).toBe(false);
    expect(await first).toMatchObject({ position: 3, paragraphs: 5 });
    expect((await readSnapshotOf(directory)).header.position).toBe(3);
  });

  it('a burst of writes that seals in this thread while a worker seals loses nothing and fails nothing', async () => {
    const directory = await newDirectory();
    const { archive, logged } = await open(directory, { liveLimit: 3 });
    await archive.put(ARTICLES[0]);
    const refreshing = archive.refresh();
    // Three more paragraphs reach the live limit: sealed in this thread, the worker's segment comes too late.
    await archive.put([ARTICLES[1], ARTICLES[2]]);
    expect(await refreshing).toMatchObject({ position: 1 });
    expect(logged.filter((line) => line.includes('failed'))).toEqual([]);
    const before = view(archive);
    await archive.save();
    await archive.close();
    const reopened = await open(directory);
    expect(reopened.archive.opened).toMatchObject({ from: 'snapshot', reindexed: 0 });
    expect(view(reopened.archive)).toEqual(before);
  });

  it('merges small segments in a worker as refreshes come, keeping every paragraph and the files in step', async () => {
    const directory = await newDirectory();
    const articles: Article[] = [];
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    const { archive, logged } = await open(directory, { liveLimit: 2 });
    // Sealed in this thread every two paragraphs: dozens of small segments.
    for (const article of articles) await archive.put(article);
    await archive.remove(articles[4]!.id);
    const segmentsBefore = archive.archive.engine.segments.compactSegments.length;
    expect(segmentsBefore).toBeGreaterThanOrEqual(3 * MERGE_FACTOR);
    const before = view(archive);
    // Each refresh merges one group of segments of a size tier.
    for (let refresh = 0; refresh < 4; refresh += 1) await archive.refresh();
    expect(archive.archive.engine.segments.compactSegments.length).toBeLessThanOrEqual(
      segmentsBefore - 3 * (MERGE_FACTOR - 1),
    );
    expect(view(archive)).toEqual(before);
    expect(logged.filter((line) => line.includes('failed'))).toEqual([]);
    const { header } = await readSnapshotOf(directory);
    expect((await readdir(join(directory, SEGMENTS_DIRECTORY))).length).toBe(header.segments.length);
    await archive.close();
    const reopened = await open(directory);
    expect(reopened.archive.opened.from).toBe('snapshot');
    expect(view(reopened.archive)).toEqual(before);
  });

  it('refreshes after the delay when fewer writes came', async () => {
    const directory = await newDirectory();
    const logged: string[] = [];
    const { archive } = await open(directory, {
      autoSave: { changes: 1000, delayMs: 20 },
      log: (line) => logged.push(line),
    });
    await archive.put(ARTICLES[1]);
    for (let waited = 0; logged.length === 0 && waited < 20_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(logged).toEqual([expect.stringMatching(/^snapshot saved: 1 paragraphs up to store position 1/u)]);
  });
});
