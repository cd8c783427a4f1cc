import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article/article.js';
import { Catalogue, type CatalogueOptions, dayKey, facetKey } from '../../src/archive/catalogue.js';

const article = (id: string, extra: Record<string, unknown> = {}) =>
  parseArticle({ id, title: 'عنوان', paragraphs: ['ارتفعت أسعار النفط اليوم'], ...extra });

/** A catalogue whose publish mode is a switch the test turns. */
function catalogue(options: Pick<CatalogueOptions, 'readArticle' | 'readParagraph'> = {}) {
  const mode = { publishes: false };
  const made = new Catalogue({ ...options, publishes: () => mode.publishes, analysis: {} });
  return { made, mode };
}

describe('Catalogue', () => {
  it('searches an entry at once when writes are not published by seals', () => {
    const { made } = catalogue();
    made.set('a1', made.entryOf(article('a1', { source: 'Al-Ahram', published: '2024-03-05' })));
    expect(made.size).toBe(1);
    expect(made.searchedEntry('a1')).toMatchObject({ day: '2024-03-05', sourceName: 'Al-Ahram' });
    made.set('a1', null);
    expect(made.searchedEntry('a1')).toBeUndefined();
    expect(made.latestEntry('a1')).toBeUndefined();
  });

  it('in publish mode, keeps a write for the seal that indexes it: latest at once, searched at the seal', () => {
    const { made, mode } = catalogue();
    made.set('old', made.entryOf(article('old')));
    mode.publishes = true;
    made.set('new', made.entryOf(article('new')));
    made.set('old', null);
    // Written, not yet searched: a search sees the index as it is.
    expect(made.latestEntry('new')).toBeDefined();
    expect(made.latestEntry('old')).toBeUndefined();
    expect(made.searchedEntry('new')).toBeUndefined();
    expect(made.searchedEntry('old')).toBeDefined();
    made.beginSeal(true, false);
    // A write during the seal waits for the next one.
    made.set('later', made.entryOf(article('later')));
    made.finishSeal();
    expect(made.searchedEntry('new')).toBeDefined();
    expect(made.searchedEntry('old')).toBeUndefined();
    expect(made.searchedEntry('later')).toBeUndefined();
    expect(made.latestEntry('later')).toBeDefined();
  });

  it('publishes at once what has nothing to seal, unless a seal is under way', () => {
    const { made, mode } = catalogue();
    mode.publishes = true;
    made.set('a', made.entryOf(article('a')));
    made.beginSeal(false, true);
    expect(made.searchedEntry('a')).toBeUndefined();
    made.beginSeal(false, false);
    expect(made.searchedEntry('a')).toBeDefined();
  });

  it('publishes every waiting entry when publish mode ends', () => {
    const { made, mode } = catalogue();
    mode.publishes = true;
    made.set('a', made.entryOf(article('a')));
    mode.publishes = false;
    made.publishAll();
    expect(made.searchedEntry('a')).toBeDefined();
  });

  it('reads an article back from the store when entries keep no text; a hit reads its paragraph once', () => {
    const stored = new Map([['a', article('a', { paragraphs: ['الأولى', 'الثانية'] })]]);
    const reads: string[] = [];
    const { made } = catalogue({
      readArticle: (id) => {
        reads.push(id);
        return stored.get(id);
      },
      readParagraph: (id, para) => {
        reads.push(`${id}:${para}`);
        const found = stored.get(id);
        const text = found?.paragraphs[para];
        return found === undefined || text === undefined ? undefined : { title: found.title, text };
      },
    });
    made.set('a', made.entryOf(stored.get('a')!));
    expect(made.readsBack).toBe(true);
    expect(made.searchedEntry('a')?.article).toBeUndefined();
    expect(made.articleOf('a', made.searchedEntry('a'))?.id).toBe('a');
    expect(made.paragraphOf('a', made.searchedEntry('a'), 1)?.text).toBe('الثانية');
    expect(made.paragraphOf('a', made.searchedEntry('a'), 1)?.text).toBe('الثانية');
    expect(made.paragraphOf('a', made.searchedEntry('a'), 2)).toBeUndefined();
    expect(made.paragraphOf('b', made.searchedEntry('b'), 0)).toBeUndefined();
    expect(reads).toEqual(['a', 'a:1', 'a:2']);
  });

  it('reads a paragraph again once its article is replaced, and the entry searched decides when', () => {
    const stored = new Map([['a', article('a', { title: 'قديم' })]]);
    let reads = 0;
    const { made, mode } = catalogue({
      readArticle: (id) => {
        reads += 1;
        return stored.get(id);
      },
    });
    made.set('a', made.entryOf(stored.get('a')!));
    expect(made.paragraphOf('a', made.searchedEntry('a'), 0)?.title).toBe('قديم');
    expect(made.paragraphOf('a', made.searchedEntry('a'), 0)?.title).toBe('قديم');
    expect(reads).toBe(1);
    mode.publishes = true;
    stored.set('a', article('a', { title: 'جديد' }));
    made.set('a', made.entryOf(stored.get('a')!));
    // Not searched until its seal: the paragraph kept for the entry searched still answers.
    expect(made.paragraphOf('a', made.searchedEntry('a'), 0)?.title).toBe('قديم');
    expect(reads).toBe(1);
    made.beginSeal(true, false);
    made.finishSeal();
    expect(made.paragraphOf('a', made.searchedEntry('a'), 0)?.title).toBe('جديد');
    expect(reads).toBe(2);
  });

  it('counts the acronyms searched articles define, and uncounts them when they go', () => {
    const { made } = catalogue();
    const defining = (id: string) =>
      article(id, { paragraphs: ['قالت قوات سوريا الديمقراطية (قسد) إن الهجوم انتهى'] });
    const before = made.learned.version;
    for (const id of ['a', 'b', 'c']) made.set(id, made.entryOf(defining(id)));
    expect(made.learned.groups().some((group) => group.forms.includes('قسد'))).toBe(true);
    for (const id of ['a', 'b', 'c']) made.set(id, null);
    expect(made.learned.groups().some((group) => group.forms.includes('قسد'))).toBe(false);
    expect(made.learned.version).toBeGreaterThan(before);
  });
});

describe('facetKey and dayKey', () => {
  it.each([
    ['', ''],
    ['Al-Ahram', 'al-ahram'],
    ['الأهرام ', 'الاهرام'],
    ['Reuters', 'reuters'],
  ])('facetKey(%j) is %j', (value, key) => {
    expect(facetKey(value)).toBe(key);
  });

  it('dayKey sorts as the days do, undated below all', () => {
    // Array.sort puts undefined last whatever the comparator: the days are sorted by place instead.
    const days = ['2024-03-05', '1999-12-31', '2024-12-01', undefined, '2024-03-04'];
    const order = days.map((_, at) => at).sort((a, b) => dayKey(days[a]) - dayKey(days[b]));
    expect(order.map((at) => days[at])).toEqual([
      undefined,
      '1999-12-31',
      '2024-03-04',
      '2024-03-05',
      '2024-12-01',
    ]);
    expect(dayKey('2024-03-05')).toBe(20240305);
  });
});
