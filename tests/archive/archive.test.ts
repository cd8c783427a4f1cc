import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { MAX_HIGHLIGHTS } from '../../src/archive/highlight.js';
import { MAX_SCORED_WORDS } from '../../src/search/engine.js';

describe('Archive search across spellings', () => {
  const archive = new Archive();
  archive.put({ id: 'speech', paragraphs: ['جرى إلقاء الكلمة في الافتتاح.'] });
  archive.put({ id: 'art', paragraphs: ['فن الإلقاء يحتاج إلى تدريب.'] });
  archive.put({ id: 'plain', paragraphs: ['تم القاء القبض على المتهم.'] });
  archive.put({ id: 'commitment', paragraphs: ['أكد التزامه بالاتفاق.'] });
  archive.put({ id: 'the-commitment', paragraphs: ['شدد على الالتزام بالهدنة.'] });

  it.each([
    ['إلقاء', ['art', 'plain', 'speech']],
    ['الإلقاء', ['art', 'plain', 'speech']],
    ['القاء', ['art', 'plain', 'speech']],
    ['التزام', ['commitment', 'the-commitment']],
    ['الالتزام', ['commitment', 'the-commitment']],
  ])('%s finds the word with and without the article, with and without hamza', (query, ids) => {
    const { hits } = archive.search(query);
    expect(hits.map((hit) => hit.id).sort()).toEqual(ids);
    for (const hit of hits) expect(hit.highlights).toHaveLength(1);
  });
});

describe('a query of more words than are scored', () => {
  // Forty made-up words, three letters apart, each in many paragraphs; one rare word in one paragraph.
  const common = Array.from(
    { length: 40 },
    (_, n) => `كلم${String.fromCharCode(0x628 + (n % 20))}${'ت'.repeat(1 + Math.floor(n / 20))}ز`,
  );
  const archive = new Archive();
  for (let n = 0; n < 30; n += 1) {
    archive.put({ id: `common-${n}`, paragraphs: [common.join(' ')] });
  }
  archive.put({ id: 'rare', paragraphs: ['زمرداتية نادرة في خبر واحد'] });

  it(`scores the ${MAX_SCORED_WORDS} rarest words and says the answer is partial`, () => {
    const response = archive.search(['زمرداتية', ...common].join(' '), { limit: 50 });
    expect(response.partial).toBe(true);
    // The rare word is among those scored: its paragraph is found.
    expect(response.total).toBe(31);
    expect(response.hits.map((hit) => hit.id)).toContain('rare');
  });

  it(`keeps a required word whatever its frequency, and is not partial up to ${MAX_SCORED_WORDS} words`, () => {
    const required = archive.search([...common.slice(0, 39), `+${common[39]}`].join(' '), { limit: 50 });
    expect(required.partial).toBe(true);
    expect(required.total).toBe(30);
    const within = archive.search(common.slice(0, MAX_SCORED_WORDS).join(' '));
    expect(within.partial).toBeUndefined();
  });
});

describe('a search with a time limit', () => {
  const archive = new Archive();
  for (let n = 0; n < 200; n += 1) {
    archive.put({ id: `wire-${n}`, paragraphs: [`خبر عاجل رقم ${n} عن الأسواق`, `تفاصيل الخبر ${n}`] });
  }

  it('answers whole within it, or with the best found, marked partial and timed out', () => {
    const whole = archive.search('خبر عاجل', { limit: 20 });
    expect(whole.timedOut).toBeUndefined();
    for (const timeLimitMs of [1, 5, 60_000]) {
      const answer = archive.search('خبر عاجل', { limit: 20, timeLimitMs });
      if (answer.timedOut) {
        expect(answer).toMatchObject({ partial: true, totalExact: false });
        expect(answer.total).toBeLessThanOrEqual(whole.total);
      } else {
        expect(answer.hits).toEqual(whole.hits);
      }
    }
  });

  it.each([0, -1, 0.5, 60_001, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses %s ms, naming the option',
    (ms) => {
      expect(() => archive.search('خبر', { timeLimitMs: ms })).toThrow(
        /timeLimitMs must be a number from 1 to 60000/u,
      );
    },
  );
});

describe('highlights of a long paragraph', () => {
  it(`are the first ${MAX_HIGHLIGHTS} matched words, in text order`, () => {
    const archive = new Archive();
    const text = Array.from({ length: 3 * MAX_HIGHLIGHTS }, (_, n) => `النفط ${n}`).join(' ');
    archive.put({ id: 'long', paragraphs: [text] });
    const [hit] = archive.search('النفط').hits;
    expect(hit!.highlights).toHaveLength(MAX_HIGHLIGHTS);
    expect(hit!.highlights.slice(0, 2)).toEqual([
      [0, 5],
      [8, 13],
    ]);
    expect(hit!.highlights.every(([start, end]) => text.slice(start, end) === 'النفط')).toBe(true);
    expect(hit!.snippet.startsWith('<mark>النفط</mark> 0')).toBe(true);
  });
});

describe('copies collapsed', () => {
  const WIRE =
    'أعلنت وزارة الصحة اليوم عن تسجيل انخفاض ملحوظ في عدد الإصابات الجديدة خلال الأسبوع الماضي، وقالت إن حملة التطعيم الوطنية شملت أكثر من مليوني مواطن في مختلف المحافظات';
  const archive = new Archive();
  archive.put({ id: 'agency', source: 'الوكالة', published: '2024-05-01', paragraphs: [WIRE] });
  archive.put({ id: 'paper', source: 'الصحيفة', published: '2024-05-02', paragraphs: [`القاهرة - ${WIRE}`] });
  archive.put({ id: 'site', source: 'الموقع', paragraphs: ['تمهيد', WIRE.replace('مليوني', 'مليونين')] });
  archive.put({
    id: 'other',
    paragraphs: ['قالت وزارة الصحة إن المستشفيات الحكومية عادت إلى العمل بطاقتها الكاملة'],
  });

  it('one hit for a wire story and its copies, listed with their outlet and date; total still counts paragraphs', () => {
    const response = archive.search('حملة التطعيم وزارة الصحة');
    expect(response.total).toBe(4);
    expect(response.hits).toHaveLength(2);
    const [wire] = response.hits;
    expect(wire!.copies).toHaveLength(2);
    const all = [wire!, ...wire!.copies!].map((hit) => `${hit.id}#${hit.para}`).sort();
    expect(all).toEqual(['agency#0', 'paper#0', 'site#1']);
    expect(wire!.copies).toContainEqual({ id: 'site', para: 1, source: 'الموقع', published: null });
    expect(response.hits[1]).toMatchObject({ id: 'other' });
    expect(response.hits[1]!.copies).toBeUndefined();
  });

  it('collapse: false lists every copy as its own hit, in the same order', () => {
    const collapsed = archive.search('حملة التطعيم وزارة الصحة');
    const every = archive.search('حملة التطعيم وزارة الصحة', { collapse: false });
    expect(every.hits).toHaveLength(4);
    expect(every.hits.every((hit) => hit.copies === undefined)).toBe(true);
    expect(every.hits[0]!.id).toBe(collapsed.hits[0]!.id);
  });

  it('pages over groups: the second page starts after the first group', () => {
    const second = archive.search('حملة التطعيم وزارة الصحة', { limit: 1, offset: 1 });
    expect(second.hits.map((hit) => hit.id)).toEqual(['other']);
  });
});

describe('facets given as something other than a list', () => {
  it('is a BAD_PARAMETER naming it, not a TypeError', () => {
    const archive = new Archive();
    archive.put({ id: 'a', paragraphs: ['نص'] });
    expect(() => archive.search('نص', { facets: 5 as never })).toThrow(
      /facets must be among source, section, year, got "5"/u,
    );
  });
});
