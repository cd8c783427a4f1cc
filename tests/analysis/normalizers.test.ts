import { describe, expect, it } from 'vitest';
import { foldCompatibility } from '../../src/analysis/normalizers/fold-compatibility.js';
import { foldDigits } from '../../src/analysis/normalizers/fold-digits.js';
import {
  foldAlef,
  foldHamzaSeats,
  foldPersianLetters,
  foldTehMarbuta,
  foldYeh,
} from '../../src/analysis/normalizers/fold-letters.js';
import { lowerCase } from '../../src/analysis/normalizers/lower-case.js';
import { removeDiacritics } from '../../src/analysis/normalizers/remove-diacritics.js';
import { removeInvisibles } from '../../src/analysis/normalizers/remove-invisibles.js';
import { removeTatweel } from '../../src/analysis/normalizers/remove-tatweel.js';

type Row = [name: string, input: string, expected: string];

/** Rows every rule's table has: the empty string, a non-Arabic pass-through, plain Arabic unchanged. */
const COMMON_ROWS: Row[] = [
  ['empty string', '', ''],
  ['latin passes through', 'reuters 2024', 'reuters 2024'],
  ['plain arabic must not change', 'كتب مراسل', 'كتب مراسل'],
];

const TABLES: [string, (text: string) => string, Row[]][] = [
  [
    'foldAlef',
    foldAlef,
    [
      ['hamza above', 'أحمد', 'احمد'],
      ['hamza below', 'إلى', 'الى'],
      ['madda', 'آلاف', 'الاف'],
      ['wasla', 'ٱلله', 'الله'],
      ['wavy hamza', '\u0672', 'ا'],
      ['bare alef unchanged', 'ابن', 'ابن'],
      ['several in one word', 'أإآ', 'ااا'],
    ],
  ],
  [
    'foldYeh',
    foldYeh,
    [
      ['alef maqsura', 'على', 'علي'],
      ['maqsura at end of phrase', 'مستوى عالٍ', 'مستوي عالٍ'],
      ['yeh unchanged', 'يوم', 'يوم'],
    ],
  ],
  [
    'foldTehMarbuta',
    foldTehMarbuta,
    [
      ['taa marbuta', 'الحكومة', 'الحكومه'],
      ['goal form', 'حکومۃ', 'حکومه'],
      ['teh unchanged', 'بيت', 'بيت'],
    ],
  ],
  [
    'foldHamzaSeats',
    foldHamzaSeats,
    [
      ['hamza on waw', 'مسؤول', 'مسءول'],
      ['hamza on yeh', 'مسئول', 'مسءول'],
      ['bare hamza unchanged', 'سماء', 'سماء'],
    ],
  ],
  [
    'foldPersianLetters',
    foldPersianLetters,
    [
      ['keheh', 'کتاب', 'كتاب'],
      ['farsi yeh', 'زندگی', 'زندكي'],
      ['heh doachashmee', 'ھذا', 'هذا'],
      ['ae', 'ە', 'ه'],
      ['arabic kaf unchanged', 'كتاب', 'كتاب'],
    ],
  ],
  [
    'foldDigits',
    foldDigits,
    [
      ['arabic-indic', '٢٠٢٣', '2023'],
      ['eastern arabic-indic', '۱۴۰۲', '1402'],
      ['mixed with letters', 'عام ١٩٩٠م', 'عام 1990م'],
      ['ascii unchanged', '15%', '15%'],
    ],
  ],
  [
    'removeDiacritics',
    removeDiacritics,
    [
      ['fatha', 'زعزعةَ', 'زعزعة'],
      ['shadda and fatha', 'قرّرَ', 'قرر'],
      ['tanween', 'كتاباً', 'كتابا'],
      ['sukun and kasra', 'مِنْ', 'من'],
      ['superscript alef', 'هٰذا', 'هذا'],
      ['quranic small high meem', 'عليم\u06E2', 'عليم'],
      ['latin accent kept', 'café', 'café'],
    ],
  ],
  [
    'removeTatweel',
    removeTatweel,
    [
      ['tatweel inside', 'الـعـالـم', 'العالم'],
      ['tatweel only', 'ـــ', ''],
    ],
  ],
  [
    'removeInvisibles',
    removeInvisibles,
    [
      ['zero-width non-joiner', 'المعلو\u200Cمات', 'المعلومات'],
      ['right-to-left mark', '\u200Fما', 'ما'],
      ['bidi embedding', '\u202Bنص\u202C', 'نص'],
      ['byte order mark', '\uFEFFخبر', 'خبر'],
      ['soft hyphen', 'معلو\u00ADمات', 'معلومات'],
      ['arabic letter mark', 'نص\u061C', 'نص'],
    ],
  ],
  [
    'foldCompatibility',
    foldCompatibility,
    [
      ['presentation forms', 'ﻣﺮﺣﺒﺎ', 'مرحبا'],
      ['lam-alef ligature', 'ﻻ', 'لا'],
      ['allah ligature', 'ﷲ', 'الله'],
      ['decomposed hamza composes', 'ا\u0654', 'أ'],
      ['full-width latin', 'ＮＡＳＡ', 'NASA'],
    ],
  ],
  [
    'lowerCase',
    lowerCase,
    [
      ['latin', 'OpenAI', 'openai'],
      ['arabic has no case', 'أوبك', 'أوبك'],
    ],
  ],
];

describe.each(TABLES)('%s', (_name, normalizer, rows) => {
  it.each([...COMMON_ROWS, ...rows])('%s', (_row, input, expected) => {
    expect(normalizer(input)).toBe(expected);
  });

  it('is idempotent on its own rows', () => {
    for (const [, input] of rows) expect(normalizer(normalizer(input))).toBe(normalizer(input));
  });
});
