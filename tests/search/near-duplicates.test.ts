import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../src/analysis/analyze.js';
import {
  COPY_SIMILARITY,
  groupCopies,
  type Signature,
  signatureOf,
  similarity,
} from '../../src/search/near-duplicates.js';

/** A paragraph's signature, from its words as the index keeps them. */
const signature = (text: string): Signature =>
  signatureOf(analyzeForIndex(text).map((token) => ({ exact: token.exact, term: token.term })));

const WIRE =
  'أعلنت وزارة الصحة اليوم الخميس عن تسجيل انخفاض ملحوظ في عدد الإصابات الجديدة بالفيروس خلال الأسبوع الماضي، وقالت إن حملة التطعيم الوطنية شملت أكثر من مليوني مواطن في مختلف المحافظات، وإن المستشفيات الحكومية عادت إلى العمل بطاقتها الكاملة بعد أشهر من الضغط';

/** The wire story, its copies (a word changed, a dateline added, two words changed), another story, a short text. */
const STORIES = [
  WIRE,
  WIRE.replace('الخميس', 'الجمعة'),
  `القاهرة (وكالات) - ${WIRE}`,
  WIRE.replace('مليوني', 'ثلاثة ملايين').replace('الخميس', 'الجمعة'),
  'أعلنت وزارة الصحة اليوم عن خطة جديدة لبناء عشرين مستشفى في المناطق الريفية خلال السنوات الخمس',
  'خبر قصير',
];

describe('copies of a paragraph', () => {
  it('groups the same words, whatever the diacritics and spelling folded by analysis', () => {
    const groups = groupCopies([
      signature(WIRE),
      signature('تقرير آخر عن الطقس والأمطار الغزيرة في الشمال'),
      signature(WIRE.replace('الصحة', 'الصحّة')),
    ]);
    expect(groups).toEqual([[0, 2], [1]]);
  });

  it('groups a copy with a word changed or a dateline added; not another story on the same subject', () => {
    const edited = WIRE.replace('الخميس', 'الجمعة');
    const dateline = `القاهرة (وكالات) - ${WIRE}`;
    const other =
      'أعلنت وزارة الصحة اليوم عن خطة جديدة لبناء عشرين مستشفى في المناطق الريفية خلال السنوات الخمس المقبلة بتمويل من البنك الدولي';
    expect(similarity(signature(WIRE), signature(edited))).toBeGreaterThanOrEqual(0.8);
    expect(groupCopies([signature(WIRE), signature(other), signature(edited), signature(dateline)])).toEqual([
      [0, 2, 3],
      [1],
    ]);
  });

  it('lists every paragraph once, each group in order and known by its first member', () => {
    const texts = [
      WIRE,
      WIRE.replace('مليوني', 'ثلاثة ملايين'),
      'خبر قصير',
      'خبر قصير',
      'نص مختلف تماما عن كل ما سبق',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...texts), { maxLength: 30 }), (chosen) => {
        const groups = groupCopies(chosen.map(signature));
        expect(groups.flat().sort((a, b) => a - b)).toEqual(chosen.map((_, at) => at));
        for (const group of groups) expect(group).toEqual([...group].sort((a, b) => a - b));
        expect(groups.map((group) => group[0])).toEqual(
          [...groups.map((group) => group[0])].sort((a, b) => a! - b!),
        );
        // Equal texts are always together.
        chosen.forEach((text, at) => {
          const home = groups.find((group) => group.includes(at))!;
          chosen.forEach((other, then) => {
            if (other === text) expect(home).toContain(then);
          });
        });
      }),
    );
  });

  it('groups repeated texts as their first occurrences are grouped, each repeat with its first', () => {
    const texts = STORIES;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: texts.length - 1 }), { maxLength: 200 }), (chosen) => {
        const groups = groupCopies(chosen.map((text) => signature(texts[text]!)));
        const firsts = chosen.flatMap((text, at) => (chosen.indexOf(text) === at ? [at] : []));
        const firstGroups = groupCopies(firsts.map((at) => signature(texts[chosen[at]!]!)));
        // The first occurrences' groups, each with the repeats of its members added.
        const expected = firstGroups.map((group) =>
          chosen.flatMap((text, at) =>
            group.some((member) => chosen[firsts[member]!] === text) ? [at] : [],
          ),
        );
        expect(groups).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('groups as the pairs of copies connect them, whatever was grouped before', () => {
    const texts = [...STORIES, ''];
    const signatures = texts.map(signature);
    /** Every pair compared, without bands: which paragraphs a chain of copies links. */
    const linked = (chosen: number[]) => {
      const group = chosen.map((_, at) => at);
      const root = (at: number): number => (group[at] === at ? at : root(group[at]!));
      chosen.forEach((a, i) =>
        chosen.forEach((b, j) => {
          const copies =
            signatures[a]!.words !== '' && similarity(signatures[a]!, signatures[b]!) >= COPY_SIMILARITY;
          if (j > i && copies) group[Math.max(root(i), root(j))] = Math.min(root(i), root(j));
        }),
      );
      return chosen.map((_, at) => root(at));
    };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: texts.length - 1 }), { maxLength: 300 }), (chosen) => {
        const groups = groupCopies(chosen.map((text) => signatures[text]));
        const found = chosen.map((_, at) => groups.find((group) => group.includes(at))![0]);
        expect(found).toEqual(linked(chosen));
      }),
      { numRuns: 100 },
    );
  });
});
