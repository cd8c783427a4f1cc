import { beforeAll, describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { loadArticleFiles } from '../../src/archive/load-articles.js';
import { sharedFile } from '../helpers/shared-data.js';

const seed = sharedFile('seed/articles.jsonl');
if (seed.missing) console.warn(seed.missing);

describe.skipIf(seed.missing !== undefined)('search on the seed article (../shared/data/seed)', () => {
  const archive = new Archive();
  beforeAll(async () => {
    const report = await loadArticleFiles(archive, [seed.path]);
    expect(report.rejected).toEqual([]);
  });

  /** Queries typed as people type: no hamza, no diacritics, ه for ة. */
  it.each([
    ['الامريكيه', 'الأمريكية'],
    ['زعزعة', 'زعزعةَ'],
    ['التزامها', 'التزامَها'],
    ['الي التهدئه', 'التهدئة'],
    ['داعش', 'داعش'],
    ['العمليات', 'للعمليات'],
    ['الفر', 'والفر'],
  ])('%s finds the paragraph holding %s, highlighted as written', (query, written) => {
    const { hits } = archive.search(query, { limit: 20 });
    expect(hits.length).toBeGreaterThan(0);
    const hit = hits.find((candidate) => candidate.text.includes(written));
    expect(hit, `no hit holds ${written}`).toBeDefined();
    const start = hit!.text.indexOf(written);
    expect(hit!.highlights).toContainEqual([start, start + written.length]);
    expect(hit!.snippet).toContain(`<mark>${written}</mark>`);
  });

  it('highlights a word with its clitic, as written: قسد in وقسد', () => {
    const hit = archive
      .search('قسد', { limit: 20 })
      .hits.find((candidate) => candidate.text.includes('وقسد'));
    const start = hit!.text.indexOf('وقسد');
    expect(hit!.highlights).toContainEqual([start, start + 'وقسد'.length]);
  });

  it('ranks the paragraph with both words together first', () => {
    const [first] = archive.search('زعزعة استقرار المنطقة').hits;
    expect(first?.text).toContain('زعزعةَ استقرار المنطقة');
  });
});
