import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { loadArticleFiles } from '../../src/archive/load-articles.js';
import { readArticleLines } from '../../src/article/read-articles.js';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';

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
});
