import {
  foldAlef,
  foldHamzaSeats,
  foldPersianLetters,
  foldTehMarbuta,
  foldYeh,
} from '../../../src/analysis/normalizers/fold-letters.js';
import { describeNormalizers } from './normalizer-table.js';

describeNormalizers([
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
]);
