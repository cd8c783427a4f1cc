import { foldCompatibility } from '../../../src/analysis/normalizers/fold-compatibility.js';
import { describeNormalizers } from './normalizer-table.js';

describeNormalizers([
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
]);
