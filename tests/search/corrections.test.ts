import { describe, expect, it } from 'vitest';
import { Archive } from '../../src/archive/archive.js';
import { correctWords, MAX_CORRECTIONS } from '../../src/search/corrections.js';
import { parseQuery, positiveWords, queryWords } from '../../src/search/query.js';
import { CompactSegment } from '../../src/search/segment/compact-segment.js';
import { buildCompactSegment } from '../../src/search/segment/segment-writer.js';
import { SegmentStatistics } from '../../src/search/statistics.js';
import { SearchEngine } from '../../src/search/engine.js';

/** Our own sentences: a word in several paragraphs, and filler that does not contain it. */
function newsArchive(options: ConstructorParameters<typeof Archive>[0] = {}): Archive {
  const archive = new Archive(options);
  const lines = [
    'أعلنت الحكومة خطة جديدة لدعم المستشفيات الريفية.',
    'ناقشت الحكومة في اجتماعها ميزانية المستشفيات.',
    'قالت الحكومة إن الاستراتيجية الوطنية تبدأ العام المقبل.',
    'انتقدت المعارضة أداء الحكومة في ملف الكهرباء.',
    'افتتح الوزير ملعبا جديدا في المدينة الساحلية.',
    'سجل المهاجم هدفين في المباراة النهائية.',
  ];
  lines.forEach((text, n) => archive.put({ id: `p${n}`, title: 'أخبار', paragraphs: [text] }));
  return archive;
}

describe('typo tolerance', () => {
  it.each([
    ['الحكومت', 'a letter changed'],
    ['الحكمة', 'a letter dropped'],
    ['الحكوومة', 'a letter doubled'],
    ['الحكموة', 'two letters swapped'],
  ])('finds the paragraphs of a word typed with an error: %s (%s)', (typed) => {
    const { hits } = newsArchive().search(typed);
    expect(hits.map((hit) => hit.id).sort()).toEqual(['p0', 'p1', 'p2', 'p3']);
    // The corrected word is highlighted, as written in the paragraph.
    for (const hit of hits) {
      expect(hit.highlights.map(([start, end]) => hit.text.slice(start, end))).toEqual(['الحكومة']);
    }
  });

  it('corrects a sound-alike letter in a longer word, two errors from nine letters', () => {
    const archive = newsArchive();
    expect(archive.search('الاسطراتيجية').hits.map((hit) => hit.id)).toEqual(['p2']);
    expect(archive.search('الاسطراتيجيت').hits.map((hit) => hit.id)).toEqual(['p2']);
  });

  it('corrects a four-letter word the archive lacks, and leaves shorter ones as typed', () => {
    const archive = newsArchive();
    archive.put({ id: 'short', paragraphs: ['هدف واحد', 'هدف ثان', 'هدف ثالث'] });
    expect(archive.search('هدك').hits).toEqual([]);
    expect(archive.search('هدفك').hits.map((hit) => `${hit.id}#${hit.para}`)).toEqual(
      expect.arrayContaining(['short#0', 'short#1', 'short#2']),
    );
    // From five letters only (the default before), the four-letter word stays as typed.
    const fromFive = newsArchive({ ranking: { typoLengths: [5, 9] } });
    fromFive.put({ id: 'short', paragraphs: ['هدف واحد', 'هدف ثان', 'هدف ثالث'] });
    expect(fromFive.search('هدفك').hits).toEqual([]);
  });

  it('takes a four-letter word the archive holds, however rarely, as meant', () => {
    const archive = newsArchive();
    archive.put({ id: 'rare', paragraphs: ['هدفك واحد'] });
    for (let i = 0; i < 20; i += 1) archive.put({ id: `common${i}`, paragraphs: [`هدفه رقم ${i}`] });
    expect(archive.search('هدفك').hits.map((hit) => hit.id)).toEqual(['rare']);
    expect(archive.search('هدفك').suggestion).toBeUndefined();
  });

  it('corrects a long word the archive holds one edit away at most, one it lacks two', () => {
    // `المستشفيات` twelve times; `المستكشفات` (1.5 edits from it) and `المستشفياث` (0.5) once each.
    const paragraphs = [
      ...Array.from({ length: 12 }, (_, i) => `زار الوزير المستشفيات ${i}`),
      'عرض الفيلم المستكشفات في القطب',
      'قال المستشفياث ذلك',
    ];
    const statistics = new SegmentStatistics([
      new CompactSegment(
        buildCompactSegment(
          paragraphs.map((text, at) => ({ id: `a${at}`, title: 'عنوان', paragraphs: [text] })),
          {},
        ),
      ),
    ]);
    const corrections = (typed: string) =>
      correctWords(queryWords(typed, undefined), statistics, 1).words[0]!.variants?.map((variant) => [
        variant.exact,
        variant.distance,
      ]);
    // Held, and no word of ten times its frequency within one edit: a word of its own.
    expect(corrections('المستكشفات')).toBeUndefined();
    // Held, one edit from a word ten times as frequent: corrected, but not to the rare word two away.
    expect(corrections('المستشفياث')).toEqual([['المستشفيات', 0.5]]);
    // Held nowhere: a typing error, corrected within two edits.
    expect(corrections('المستكشفيات')).toEqual(expect.arrayContaining([['المستشفياث', 1.5]]));
  });

  it("counts a word of headlines alone as held: it is not corrected to a paragraph's word", () => {
    const archive = newsArchive();
    // `قرطمة` is a word of two paragraphs; `قرطبة`, one edit from it, of one headline alone.
    archive.put({ id: 'a', paragraphs: ['وصل الوفد إلى قرطمة'] });
    archive.put({ id: 'b', paragraphs: ['غادر الوفد قرطمة'] });
    expect(archive.search('قرطبة').suggestion).toBe('قرطمة');
    archive.put({ id: 'headline', title: 'زيارة إلى قرطبة', paragraphs: ['صدر اليوم'] });
    const { hits, suggestion } = archive.search('قرطبة');
    expect(hits.map((hit) => `${hit.id}#${hit.para}`)).toEqual(['headline#0']);
    expect(suggestion).toBeUndefined();
  });

  it('ranks a paragraph holding the word as typed above those holding a correction', () => {
    // A made-up word the archive holds once, one sound-alike letter from another it holds ten times.
    const archive = new Archive();
    archive.put({ id: 'typed', paragraphs: ['عثر الباحثون على زمردات نادرة في الجبل.'] });
    for (let n = 0; n < 10; n += 1) {
      archive.put({ id: `near-${n}`, paragraphs: [`عثر الباحثون على زمرذات نادرة في الوادي رقم ${n}.`] });
    }
    const response = archive.search('زمردات');
    expect(response.hits[0]!.id).toBe('typed');
    expect(response.hits.length).toBeGreaterThan(1);
    expect(response.suggestion).toBe('زمرذات');
    // Held as often as its neighbour, the word is taken as meant: no correction.
    for (let n = 0; n < 9; n += 1)
      archive.put({ id: `typed-${n}`, paragraphs: [`وجدت زمردات في المنجم ${n}.`] });
    expect(archive.search('زمردات').hits.every((hit) => hit.id.startsWith('typed'))).toBe(true);
  });

  it('suggests the corrected query, written as the archive writes it', () => {
    const archive = newsArchive();
    const response = archive.search('خطة الحكومت الجديدة');
    expect(response.suggestion).toBe('خطة الحكومة الجديدة');
    expect(archive.search('خطة الحكومة').suggestion).toBeUndefined();
  });

  it('suggests nothing when no word is close', () => {
    expect(newsArchive().search('زمردات').suggestion).toBeUndefined();
  });

  it('is off with a typo weight of 0', () => {
    const archive = newsArchive({ ranking: { typoWeight: 0 } });
    const response = archive.search('الحكومت');
    expect(response.hits).toEqual([]);
    expect(response.suggestion).toBeUndefined();
  });

  it(`keeps at most ${MAX_CORRECTIONS} corrections of a word, the closest first`, () => {
    const engine = new SearchEngine();
    // Ten words one letter from `كتابات`, each more frequent than it.
    const neighbours = [...'بتثجحخدذرز'].map((letter) => `كتا${letter}ات`);
    neighbours.forEach((word, n) =>
      engine.segments.addArticle({ id: `n${n}`, title: '', paragraphs: [`${word} ${word}`, word] }),
    );
    const result = engine.searcher.search(parseQuery('كتاكات'), { count: 10 });
    const [word] = result.words;
    expect(word!.variants).toHaveLength(MAX_CORRECTIONS);
    expect(positiveWords(parseQuery('كتاكات'))[0]!.variants).toBeUndefined();
  });
});
