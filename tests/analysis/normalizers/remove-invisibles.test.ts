import { removeInvisibles } from '../../../src/analysis/normalizers/remove-invisibles.js';
import { describeNormalizers } from './normalizer-table.js';

describeNormalizers([
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
]);
