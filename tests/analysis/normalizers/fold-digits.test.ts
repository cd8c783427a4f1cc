import { foldDigits } from '../../../src/analysis/normalizers/fold-digits.js';
import { describeNormalizers } from './normalizer-table.js';

describeNormalizers([
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
]);
