import { removeTatweel } from '../../../src/analysis/normalizers/remove-tatweel.js';
import { describeNormalizers } from './normalizer-table.js';

describeNormalizers([
  [
    'removeTatweel',
    removeTatweel,
    [
      ['tatweel inside', 'الـعـالـم', 'العالم'],
      ['tatweel only', 'ـــ', ''],
    ],
  ],
]);
