import { removeDiacritics } from '../../../src/analysis/normalizers/remove-diacritics.js';
import { describeNormalizers } from './normalizer-table.js';

describeNormalizers([
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
]);
