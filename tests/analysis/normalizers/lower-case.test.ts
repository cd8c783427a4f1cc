import { lowerCase } from '../../../src/analysis/normalizers/lower-case.js';
import { describeNormalizers } from './normalizer-table.js';

describeNormalizers([
  [
    'lowerCase',
    lowerCase,
    [
      ['latin', 'OpenAI', 'openai'],
      ['arabic has no case', 'أوبك', 'أوبك'],
    ],
  ],
]);
