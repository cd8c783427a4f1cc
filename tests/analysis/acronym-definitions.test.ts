import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AcronymDefinition, acronymDefinitions } from '../../src/analysis/acronym-definitions.js';
import { removeDiacritics } from '../../src/analysis/normalizers/remove-diacritics.js';
import { removeInvisibles } from '../../src/analysis/normalizers/remove-invisibles.js';
import { removeTatweel } from '../../src/analysis/normalizers/remove-tatweel.js';

const define = (short: string, long: string): AcronymDefinition => ({ short, long });

describe('acronymDefinitions', () => {
  it.each<[string, string, AcronymDefinition[]]>([
    ['empty string', '', []],
    ['non-Arabic pass-through: an English definition', 'The World Trade Organization (WTO) met today.', []],
    ['must not change: no parenthesis', 'أعلنت قوات سوريا الديمقراطية سيطرتها على البلدة', []],
    [
      'Arabic acronym after its long form, the verb before it left out',
      'أعلنت قوات سوريا الديمقراطية (قسد) سيطرتها على البلدة',
      [define('قسد', 'قوات سوريا الديمقراطية')],
    ],
    [
      'a function word gives no letter, a proclitic before the article is stripped',
      'قاتل الجيش عناصر تنظيم الدولة الإسلامية في العراق والشام (داعش) شمال المدينة',
      [define('داعش', 'الدولة الإسلامية في العراق والشام')],
    ],
    [
      'a word gives two letters: الإسلامية gives اس',
      'قالت حركة المقاومة الإسلامية (حماس) إنها ترفض العرض',
      [define('حماس', 'حركة المقاومة الإسلامية')],
    ],
    [
      'a first letter that looks like a proclitic is a letter of the acronym',
      'ونشرت وكالة الأنباء السعودية (واس) نص القرار',
      [define('واس', 'وكالة الأنباء السعودية')],
    ],
    [
      'a lone proclitic on the first word stays in the long form as written',
      'التقى الوفد ممثلين عن الفصائل وحركة المقاومة الإسلامية (حماس) أمس',
      [define('حماس', 'وحركة المقاومة الإسلامية')],
    ],
    [
      'proclitic and article as written: للمؤسسة gives م, للإغاثة gives ا',
      'تبرع المصرف للمؤسسة الوطنية للإغاثة (موا) بمليون دولار',
      [define('موا', 'للمؤسسة الوطنية للإغاثة')],
    ],
    [
      'short form first, the long form in parentheses',
      'وسيطرت قسد (قوات سوريا الديمقراطية) على حقول النفط',
      [define('قسد', 'قوات سوريا الديمقراطية')],
    ],
    [
      'short form first, but the parenthesis does not spell it',
      'وسيطرت قسد (القوات التركية) على حقول النفط',
      [],
    ],
    [
      'no space before the parenthesis',
      'أعلنت قوات سوريا الديمقراطية(قسد) سيطرتها',
      [define('قسد', 'قوات سوريا الديمقراطية')],
    ],
    [
      'a closing quote before the parenthesis',
      'أصدرت "حركة المقاومة الإسلامية" (حماس) بيانا',
      [define('حماس', 'حركة المقاومة الإسلامية')],
    ],
    [
      'diacritics and tatweel removed from both forms',
      'أعلنت قُـوّات سُوريا الدّيمقـراطية (قَسَـد) سيطرتها',
      [define('قسد', 'قوات سوريا الديمقراطية')],
    ],
    ['a comma inside the long form breaks it', 'قالت قوات، سوريا الديمقراطية (قسد) إنها انسحبت', []],
    ['a long form never crosses a stop word', 'أعلنت لجنة ما بعد الحرب (لمبح) نتائجها', []],
    ['an acronym after its own name is not defined', 'قالت قيادة حركة حماس (حماس) إنها توافق', []],
    ['two letters spelled by chance are not an acronym', 'يتألف الاسم من الفاء واللام (فل) فقط', []],
    [
      'an acronym transliterated from English spells nothing in Arabic',
      'قالت منظمة الأمم المتحدة للطفولة (يونيسف) إن المدارس أغلقت',
      [],
    ],
    ['a name in parentheses', 'فاز النادي على منافسه التقليدي (الزمالك) بهدفين', []],
    [
      'a news agency, a year and initials in parentheses',
      'قال المتحدث للصحفيين (رويترز) إن الاتفاق وقع (2018) في العاصمة (أ ف ب)',
      [],
    ],
    [
      'Latin acronym after a head noun, as many words as capitals',
      'انضمت الصين إلى منظمة التجارة العالمية (WTO) عام 2001',
      [define('WTO', 'منظمة التجارة العالمية')],
    ],
    [
      'Latin acronym after a head noun, one word more than capitals',
      'قال مسؤول إن وكالة المخابرات المركزية الأمريكية (CIA) تراقب الوضع',
      [define('CIA', 'وكالة المخابرات المركزية الأمريكية')],
    ],
    [
      'Latin acronym without head noun, a whole phrase after punctuation',
      'يعالج المرض بطرق عدة: العلاج السلوكي المعرفي (CBT) والأدوية',
      [define('CBT', 'العلاج السلوكي المعرفي')],
    ],
    ['Latin acronym without head noun after a stop word', 'ثم أطلق الحرس الثوري الإيراني (IRGC) صواريخ', []],
    [
      'Latin acronym without head noun, word count not the letter count',
      'لوحظ تحسن: العلاج السلوكي (CBT) مفيد',
      [],
    ],
    [
      'Latin acronym first, the long form in parentheses',
      'ورحبت WTO (منظمة التجارة العالمية) بالقرار',
      [define('WTO', 'منظمة التجارة العالمية')],
    ],
    [
      'Latin source credit in a dateline, with a dash',
      'دبي، الإمارات العربية المتحدة (CNN) -- أعلنت الشركة أرباحها',
      [],
    ],
    ['Latin source credit followed by a dash', 'بيروت: المملكة العربية السعودية (CNN)— أعلنت الوزارة', []],
    [
      'Latin source credit in a dateline after an invisible',
      '\u200Bالرياض، المملكة العربية السعودية (CNN) قال الوزير',
      [],
    ],
    [
      'Latin source credit in a dateline, without a dash',
      'أتلانتا، الولايات المتحدة الأمريكية (CNN) قال الرئيس',
      [],
    ],
    ['lower-case Latin is a name, not an acronym', 'شركة الطيران المدني الوطنية (Air) أعلنت', []],
    [
      'each definition once, in text order',
      'قالت قوات سوريا الديمقراطية (قسد) إن منظمة التجارة العالمية (WTO) ثم قوات سوريا الديمقراطية (قسد) اتفقتا',
      [define('قسد', 'قوات سوريا الديمقراطية'), define('WTO', 'منظمة التجارة العالمية')],
    ],
  ])('%s', (_name, input, expected) => {
    expect(acronymDefinitions(input)).toEqual(expected);
  });

  it('finds a definition repeated through a long text once, past a run of unclosed parentheses', () => {
    const text = '('.repeat(20_000) + 'أعلنت قوات سوريا الديمقراطية (قسد) سيطرتها. '.repeat(2_000);
    expect(acronymDefinitions(text)).toEqual([define('قسد', 'قوات سوريا الديمقراطية')]);
  });

  it('never throws, and every definition is text of the input without its marks', () => {
    // Whole phrases, so that definitions do occur, mixed with parentheses, marks and punctuation.
    const unit = fc.constantFrom(
      'قوات سوريا الديمقراطية',
      'حركة المقاومة الإسلامية',
      'منظمة التجارة العالمية',
      '(قسد)',
      '(حماس)',
      '(WTO)',
      'قسد',
      'في',
      '(',
      ')',
      ' ',
      ' ',
      '،',
      '"',
      '\u064E',
      '\u0640',
      '\u200F',
    );
    const clean = (text: string) => removeInvisibles(removeTatweel(removeDiacritics(text)));
    let definitions = 0;
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (units) => {
        const text = units.join('');
        for (const { short, long } of acronymDefinitions(text)) {
          definitions += 1;
          expect(clean(text)).toContain(long);
          expect(clean(text)).toContain(short);
        }
      }),
      { numRuns: 3000 },
    );
    expect(definitions).toBeGreaterThan(0);
  });
});
