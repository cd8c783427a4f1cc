import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';

/** Hand-made vectors on four axes: oil, gold, politics, sport. */
const OIL = [1, 0, 0, 0];
const GOLD = [0, 1, 0, 0];
const POLITICS = [0, 0, 1, 0];
const SPORT = [0, 0, 0, 1];
const mix = (...parts: [number[], number][]) =>
  [0, 1, 2, 3].map((axis) => parts.reduce((sum, [vector, weight]) => sum + vector[axis]! * weight, 0));

function newsroom(): Archive {
  const archive = new Archive();
  archive.put({
    id: 'oil',
    title: 'النفط',
    published: '2024-03-01',
    source: 'وكالة',
    paragraphs: ['ارتفعت أسعار الخام في الأسواق', 'وقال الوزير إن الإنتاج سيزيد'],
    vectors: [OIL, mix([OIL, 0.8], [POLITICS, 0.6])],
  });
  archive.put({
    id: 'oil-copy',
    title: 'نسخة',
    published: '2024-03-02',
    source: 'صحيفة',
    paragraphs: ['ارتفعت أسعار الخام في الأسواق'],
    vectors: [mix([OIL, 0.99], [GOLD, 0.1])],
  });
  archive.put({
    id: 'gold',
    title: 'الذهب',
    published: '2024-01-05',
    source: 'صحيفة',
    paragraphs: ['تراجع الذهب مع صعود الدولار'],
    vectors: [mix([GOLD, 0.9], [OIL, 0.3])],
  });
  archive.put({
    id: 'match',
    title: 'المباراة',
    published: '2023-06-01',
    source: 'وكالة',
    paragraphs: ['فاز الفريق في المباراة النهائية'],
    vectors: [SPORT],
  });
  archive.put({ id: 'plain', title: 'بلا متجه', paragraphs: ['أسعار النفط والذهب في الأسواق العالمية'] });
  return archive;
}

const keys = (hits: { id: string; para: number }[]) => hits.map((hit) => `${hit.id}#${hit.para}`);

describe('Archive search by vector', () => {
  const archive = newsroom();

  it('ranks paragraphs by cosine similarity, folds copies, and highlights nothing', () => {
    const response = archive.search('', { vector: OIL });
    expect(keys(response.hits)).toEqual(['oil#0', 'oil#1', 'gold#0', 'match#0']);
    expect(response.hits[0]!.score).toBeCloseTo(1, 6);
    expect(response.hits[0]!.copies).toEqual([
      { id: 'oil-copy', para: 0, source: 'صحيفة', published: '2024-03-02' },
    ]);
    expect(response.hits.every((hit) => hit.highlights.length === 0)).toBe(true);
    expect(response.hits[0]!.snippet).toBe('ارتفعت أسعار الخام في الأسواق');
    expect(response.query).toBe('');
    expect(response.total).toBe(5);
  });

  it('finds k neighbours, paged by offset and limit, and the same filters as words', () => {
    expect(keys(archive.search('', { vector: OIL, k: 2, collapse: false }).hits)).toEqual([
      'oil#0',
      'oil-copy#0',
    ]);
    expect(keys(archive.search('', { vector: OIL, limit: 1, offset: 1, collapse: false }).hits)).toEqual([
      'oil-copy#0',
    ]);
    expect(keys(archive.search('', { vector: OIL, source: 'وكالة' }).hits)).toEqual([
      'oil#0',
      'oil#1',
      'match#0',
    ]);
    expect(keys(archive.search('', { vector: OIL, from: '2024-01-01', collapse: false }).hits)).toEqual([
      'oil#0',
      'oil-copy#0',
      'oil#1',
      'gold#0',
    ]);
  });

  it('sorts the neighbours by date when asked, newest first', () => {
    const hits = archive.search('', { vector: OIL, k: 4, sort: 'date', collapse: false }).hits;
    expect(hits.map((hit) => hit.published)).toEqual([
      '2024-03-02',
      '2024-03-01',
      '2024-03-01',
      '2024-01-05',
    ]);
  });

  it('counts facets over the neighbours', () => {
    const { facets } = archive.search('', { vector: OIL, k: 3, facets: ['source'], collapse: false });
    expect(facets?.source).toEqual([
      { value: 'وكالة', count: 2 },
      { value: 'صحيفة', count: 1 },
    ]);
  });

  it('scores the same exactly and through quantized vectors (a small archive is scored exactly anyway)', () => {
    const exact = archive.search('', { vector: GOLD, exact: true, collapse: false });
    const approximate = archive.search('', { vector: GOLD, collapse: false });
    expect(keys(approximate.hits)).toEqual(keys(exact.hits));
  });

  it.each([
    ['another dimension', { vector: [1, 0, 0] }, /^vector has 3 dimensions; this archive's have 4$/u],
    [
      'all zeros',
      { vector: [0, 0, 0, 0] },
      /^vector is all zeros, which has no direction for cosine similarity$/u,
    ],
    [
      'a value that is no number',
      { vector: [1, 'x', 0, 0] },
      /^vector has a value that is not a number at index 1$/u,
    ],
    ['k out of range', { vector: OIL, k: 0 }, /^k must be an integer from 1 to 1000, got 0$/u],
    ['k without a vector', { k: 5, q: 'الذهب' }, /^k applies to a search by vector: give "vector" too$/u],
    [
      'a blend without words',
      { vector: OIL, semanticRatio: 0.3 },
      /^semanticRatio blends a query text with a vector: give "q" too$/u,
    ],
    ['no query at all', {}, /^q must be 1–1000 characters$/u],
  ])('refuses %s with BAD_PARAMETER', (_name, given, message) => {
    const { q = '', ...options } = given as { q?: string };
    expect(() => archive.search(q, options)).toThrow(message);
  });

  it('refuses a vector search of an archive that holds none', () => {
    const plain = new Archive();
    plain.put({ id: 'x', paragraphs: ['نص'] });
    expect(() => plain.search('', { vector: OIL })).toThrow(/this archive holds no vectors/u);
  });
});

describe('Archive hybrid search', () => {
  const archive = newsroom();

  it('ranks and counts by the words alone at semanticRatio 0, by the vector alone at 1', () => {
    // Near sport, then politics, gold and oil: no two paragraphs tie.
    const query = mix([SPORT, 0.9], [POLITICS, 0.3], [GOLD, 0.2], [OIL, 0.1]);
    const answer = ({ hits, total, facets }: ReturnType<Archive['search']>) => ({
      hits: hits.map(({ id, para, score }) => ({ id, para, score })),
      total,
      facets,
    });
    for (const options of [{ collapse: false }, { facets: ['source' as const] }, { limit: 2 }]) {
      const words = archive.search('أسعار', options);
      expect(answer(archive.search('أسعار', { ...options, vector: query, semanticRatio: 0 }))).toEqual(
        answer(words),
      );
      expect(words.total).toBe(3);
      const vector = answer(archive.search('', { ...options, vector: query }));
      expect(answer(archive.search('أسعار', { ...options, vector: query, semanticRatio: 1 }))).toEqual(
        vector,
      );
    }
  });

  it("counts a neighbour that holds the words once, in the total and in facets, even below the words' best", () => {
    const many = new Archive();
    // 150 paragraphs hold the word, the rarer it is in them the lower they rank; the vector's
    // neighbours are among the lowest, and two paragraphs without the word.
    for (let n = 0; n < 150; n += 1) {
      many.put({
        id: `w${String(n).padStart(3, '0')}`,
        title: '',
        source: n % 2 === 0 ? 'وكالة' : 'صحيفة',
        paragraphs: [`النفط ${'كلمة '.repeat(n)}`],
        vectors: [n >= 145 ? mix([OIL, 1], [GOLD, 0.01 * n]) : SPORT],
      });
    }
    many.put({ id: 'v1', title: '', source: 'وكالة', paragraphs: ['الأسواق'], vectors: [OIL] });
    many.put({
      id: 'v2',
      title: '',
      source: 'صحيفة',
      paragraphs: ['التجارة'],
      vectors: [mix([OIL, 1], [GOLD, 0.2])],
    });
    const words = many.search('النفط', { facets: ['source'] });
    expect(words.total).toBe(150);
    const blended = many.search('النفط', { vector: OIL, k: 7, semanticRatio: 0.5, facets: ['source'] });
    // Seven neighbours: five hold the word (counted already), two do not.
    expect(blended.total).toBe(152);
    const count = (response: typeof words, value: string) =>
      response.facets!.source!.find((bucket) => bucket.value === value)?.count ?? 0;
    expect(count(blended, 'وكالة') + count(blended, 'صحيفة')).toBe(152);
    expect(count(blended, 'وكالة')).toBe(count(words, 'وكالة') + 1);
  });

  it('blends both: a paragraph near the vector and holding the words ranks first, highlighted', () => {
    const response = archive.search('أسعار', { vector: GOLD, collapse: false });
    // `gold` holds no "أسعار" but is nearest; `oil-copy` holds it and is near gold too.
    expect(response.hits[0]!.id).toBe('oil-copy');
    expect(response.hits.find((hit) => hit.id === 'plain')!.highlights).toHaveLength(1);
    expect(keys(response.hits)).toContain('gold#0');
    // oil#1, gold#0 and match#0 are found by the vector only.
    expect(response.total).toBe(archive.search('أسعار').total + 3);
  });

  it('keeps a paragraph without a vector when the words find it', () => {
    const hits = archive.search('النفط والذهب', { vector: SPORT, collapse: false }).hits;
    expect(keys(hits)).toContain('plain#0');
  });

  it('refuses a semanticRatio outside 0–1', () => {
    expect(() => archive.search('الذهب', { vector: GOLD, semanticRatio: 1.5 })).toThrow(
      /^semanticRatio must be a number from 0 to 1, got 1.5$/u,
    );
  });
});

describe('Archive vectors as articles change', () => {
  it('fixes the dimension on the first vector and refuses another, naming the paragraph', () => {
    const archive = new Archive();
    archive.put({ id: 'a', paragraphs: ['نص'], vectors: [[1, 2, 3]] });
    expect(() => archive.put({ id: 'b', paragraphs: ['نص', 'آخر'], vectors: [null, [1, 2]] })).toThrow(
      /^the vector of paragraph 2 \(para 1\) has 2 dimensions; this archive's have 3$/u,
    );
    expect(archive.has('b')).toBe(false);
    expect(() => archive.put({ id: 'z', paragraphs: ['نص'], vectors: [[0, 0, 0]] })).toThrow(/all zeros/u);
  });

  it('refuses a whole batch with a bad vector, storing none of it', () => {
    const archive = new Archive();
    expect(() =>
      archive.putMany([
        { id: 'a', paragraphs: ['نص'], vectors: [[1, 2]] },
        { id: 'b', paragraphs: ['نص'], vectors: [[1, 2, 3]] },
      ]),
    ).toThrow(/the first vector of this batch has 2/u);
    expect(archive.stats().articles).toBe(0);
    expect(archive.vectorSettings.dimensions).toBeUndefined();
  });

  it('replaces and removes vectors with their article, sealed or not', () => {
    const archive = new Archive({ liveLimit: 2 });
    archive.put({ id: 'a', paragraphs: ['نص أول'], vectors: [OIL] });
    archive.put({ id: 'b', paragraphs: ['نص ثان'], vectors: [GOLD] }); // sealed here
    archive.put({ id: 'c', paragraphs: ['نص ثالث'], vectors: [SPORT] });
    expect(archive.search('', { vector: OIL, k: 1 }).hits[0]!.id).toBe('a');
    archive.put({ id: 'a', paragraphs: ['نص أول'], vectors: [POLITICS] });
    expect(archive.search('', { vector: OIL, k: 1 }).hits[0]!.score).toBeLessThan(0.5);
    expect(archive.search('', { vector: POLITICS, k: 1 }).hits[0]!.id).toBe('a');
    archive.remove('a');
    archive.put({ id: 'b', paragraphs: ['نص ثان'] });
    expect(keys(archive.search('', { vector: POLITICS }).hits)).toEqual(['c#0']);
  });

  it('gives an article its vectors only when asked', () => {
    const archive = newsroom();
    expect(archive.get('oil')!.vectors).toBeUndefined();
    expect(archive.get('oil', { vectors: true })!.vectors).toEqual([
      Float32Array.from(OIL),
      Float32Array.from(mix([OIL, 0.8], [POLITICS, 0.6])),
    ]);
    expect(archive.get('plain', { vectors: true })!.vectors).toBeUndefined();
  });
});

describe('Archive related paragraphs', () => {
  const archive = newsroom();

  it('finds the nearest paragraphs of other articles by vector, leaving out copies of the text', () => {
    const related = archive.related('oil', 0);
    expect(related.by).toBe('vector');
    // oil#1 is the same article; oil-copy#0 is the same text.
    expect(keys(related.hits)).toEqual(['gold#0', 'match#0']);
  });

  it('finds paragraphs by the most telling words of a paragraph without a vector', () => {
    const related = archive.related('plain', 0);
    expect(related.by).toBe('words');
    // Normalised, in the paragraph's order; النفط and العالمية are in no other paragraph, so tell nothing.
    expect(related.words).toEqual(['اسعار', 'والذهب', 'الاسواق']);
    expect(related.hits.map((hit) => hit.id)).toContain('gold');
    expect(related.hits.every((hit) => hit.id !== 'plain')).toBe(true);
    expect(related.hits.some((hit) => hit.highlights.length > 0)).toBe(true);
  });

  it('applies filters and paging', () => {
    expect(keys(archive.related('oil', 0, { source: 'وكالة' }).hits)).toEqual(['match#0']);
    expect(keys(archive.related('oil', 0, { limit: 1 }).hits)).toEqual(['gold#0']);
  });

  it.each([
    ['an unknown article', 'nope', 0, /^no article with id "nope"$/u],
    [
      'a paragraph it lacks',
      'oil',
      2,
      /^para must be an integer from 0 to 1 \(article "oil" has 2 paragraphs\), got 2$/u,
    ],
    ['a negative paragraph', 'oil', -1, /got -1$/u],
  ])('refuses %s', (_name, id, para, message) => {
    expect(() => archive.related(id, para)).toThrow(message);
  });

  it('refuses a blank paragraph', () => {
    const withBlank = new Archive();
    withBlank.put({ id: 'b', paragraphs: ['نص', '  '] });
    expect(() => withBlank.related('b', 1)).toThrow(
      /^paragraph 1 of article "b" is blank: it relates to nothing$/u,
    );
  });
});
