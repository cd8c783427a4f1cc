import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { loadArticleFiles } from '../../src/archive/load-articles.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';
import { temporaryArchive, temporaryDirectory } from '../helpers/temp-archive.js';

const QUERIES = ['أسعار النفط', 'الانتخابات', '"وزارة الصحة"', 'الحكومه', 'كرة القدم -الدوري'];

describe('loadArticleFiles', () => {
  it('leaves an archive smaller than the live segment sealed, answering as the same writes left live', async () => {
    const loaded = new Archive();
    const report = await loadArticleFiles(loaded, [SAMPLE_CORPUS]);
    expect(report.paragraphs).toBeGreaterThan(0);
    expect(loaded.engine.segments.liveSize).toBe(0);
    expect(loaded.engine.segments.compactSegments.length).toBeGreaterThan(0);

    const live = new Archive();
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) live.put(line.article);
    expect(live.engine.segments.liveSize).toBeGreaterThan(0);
    for (const query of QUERIES) {
      const answer = (archive: Archive) => {
        const { total, hits } = archive.search(query, { limit: 20 });
        return {
          total,
          hits: hits.map(({ id, para, score, highlights, copies }) => ({
            id,
            para,
            score,
            highlights,
            copies,
          })),
        };
      };
      expect(answer(loaded), query).toEqual(answer(live));
    }
  });

  it('stores batch after batch in order while reading the next: a later line replaces an earlier one', async () => {
    const directory = await temporaryDirectory();
    const file = join(directory.path, 'articles.jsonl');
    const line = (id: string, text: string) => JSON.stringify({ id, title: 'عنوان', paragraphs: [text] });
    await writeFile(
      file,
      [line('a', 'ارتفعت أسعار النفط'), line('b', 'تراجع الذهب'), line('a', 'انخفضت أسعار القمح')].join('\n'),
    );
    const { archive, dispose } = await temporaryArchive();
    try {
      const report = await loadArticleFiles(archive, [file], undefined, 'article', { batchParagraphs: 1 });
      expect(report.articles).toBe(3);
      expect(archive.get('a')?.paragraphs).toEqual(['انخفضت أسعار القمح']);
      expect(archive.search('النفط').total).toBe(0);
      expect(archive.search('القمح').hits.map(({ id }) => id)).toEqual(['a']);
    } finally {
      await dispose();
      await directory.remove();
    }
  });

  it('stores the batches read before a file fails to read, then reports the failure', async () => {
    const directory = await temporaryDirectory();
    const file = join(directory.path, 'articles.jsonl');
    const ids = ['a', 'b', 'c'];
    await writeFile(
      file,
      ids.map((id) => JSON.stringify({ id, title: 'عنوان', paragraphs: [`خبر ${id}`] })).join('\n'),
    );
    const { archive, dispose } = await temporaryArchive();
    try {
      await expect(
        loadArticleFiles(archive, [file, join(directory.path, 'missing.jsonl')], undefined, 'article', {
          batchParagraphs: 1,
        }),
      ).rejects.toMatchObject({ code: 'IO_ERROR' });
      expect(ids.map((id) => archive.get(id)?.id)).toEqual(ids);
    } finally {
      await dispose();
      await directory.remove();
    }
  });
});
