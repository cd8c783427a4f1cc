import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/article/article.js';
import { RecentReads } from '../../src/archive/recent-reads.js';

const ARTICLES: Readonly<Record<string, Article>> = {
  oil: { id: 'oil', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط في الأسواق العالمية'] },
  gold: { id: 'gold', title: 'الذهب', paragraphs: ['تراجع سعر الذهب مع صعود الدولار'] },
  wheat: { id: 'wheat', title: 'القمح', paragraphs: ['استوردت مصر شحنة جديدة من القمح'] },
};

/** A store of {@link ARTICLES} that counts its reads, by id. */
function countingStore() {
  const reads: string[] = [];
  const read = (id: string): Article | undefined => {
    reads.push(id);
    return ARTICLES[id];
  };
  return { read, reads };
}

describe('RecentReads', () => {
  it('reads an article once, then answers it from memory', () => {
    const { read, reads } = countingStore();
    const recent = new RecentReads<Article>(2);
    expect(recent.get('oil', read)).toBe(ARTICLES.oil);
    expect(recent.get('oil', read)).toBe(ARTICLES.oil);
    expect(reads).toEqual(['oil']);
  });

  it('keeps no article that is not stored, and asks again next time', () => {
    const { read, reads } = countingStore();
    const recent = new RecentReads<Article>(2);
    expect(recent.get('missing', read)).toBeUndefined();
    expect(recent.get('missing', read)).toBeUndefined();
    expect(reads).toEqual(['missing', 'missing']);
  });

  it.each([
    {
      rule: 'drops the least recently read article past its limit',
      gets: ['oil', 'gold', 'wheat'],
      kept: ['gold', 'wheat'],
      dropped: 'oil',
    },
    {
      rule: 'counts an article answered from memory as used: the other one is dropped',
      gets: ['oil', 'gold', 'oil', 'wheat'],
      kept: ['oil'],
      dropped: 'gold',
    },
  ])('$rule', ({ gets, kept, dropped }) => {
    const { read, reads } = countingStore();
    const recent = new RecentReads<Article>(2);
    for (const id of gets) recent.get(id, read);
    reads.length = 0;
    for (const id of kept) recent.get(id, read);
    expect(reads).toEqual([]);
    recent.get(dropped, read);
    expect(reads).toEqual([dropped]);
  });

  it('reads a forgotten article again, and the new version of it', () => {
    const { read, reads } = countingStore();
    const recent = new RecentReads<Article>(2);
    recent.get('oil', read);
    recent.forget('oil');
    recent.forget('never-read');
    const replaced: Article = { ...ARTICLES.oil!, paragraphs: ['انخفضت أسعار النفط'] };
    expect(recent.get('oil', () => replaced)).toBe(replaced);
    expect(recent.get('oil', read)).toBe(replaced);
    expect(reads).toEqual(['oil']);
  });

  it('with a limit of 0 keeps nothing', () => {
    const { read, reads } = countingStore();
    const recent = new RecentReads<Article>(0);
    expect(recent.get('oil', read)).toBe(ARTICLES.oil);
    expect(recent.get('oil', read)).toBe(ARTICLES.oil);
    expect(reads).toEqual(['oil', 'oil']);
  });
});
