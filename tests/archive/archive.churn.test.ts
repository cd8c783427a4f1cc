import { describe, expect, it } from 'vitest';
import { SAMPLE_CORPUS } from '../../src/cli/open-archive.js';
import { Archive } from '../../src/archive/archive.js';
import type { Article } from '../../src/article/article.js';
import { readArticleLines } from '../../src/article/read-articles.js';

describe('an archive under churn', () => {
  it('after replacements and removals, with searches in between, counts and hits reflect only current articles', async () => {
    const articles: Article[] = [];
    for await (const line of readArticleLines(SAMPLE_CORPUS)) if (line.ok) articles.push(line.article);
    const archive = new Archive();
    for (const article of articles) archive.put(article);
    for (const article of articles.slice(0, 6))
      archive.put({ ...article, paragraphs: [...article.paragraphs].reverse() });
    for (const article of articles.slice(6, 9)) archive.remove(article.id);
    archive.put({ id: 'late', paragraphs: ['خبر متأخر عن الأسواق'] });
    // Searches meanwhile, as a server answers them, meet the removed postings.
    for (const article of articles.slice(0, 30)) {
      archive.search(article.title);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const paragraphs = (list: Article[]) =>
      list.reduce((sum, a) => sum + a.paragraphs.filter((p) => p.trim()).length, 0);
    expect(archive.stats()).toEqual({
      articles: articles.length - 3 + 1,
      paragraphs: paragraphs(articles) - paragraphs(articles.slice(6, 9)) + 1,
    });
    const removed = articles[6]!;
    expect(archive.search(removed.title).hits.map((hit) => hit.id)).not.toContain(removed.id);
    expect(archive.search('متأخر').hits.map((hit) => hit.id)).toEqual(['late']);
  });
});
