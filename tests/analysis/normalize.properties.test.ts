import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/analysis/normalize.js';
import { anyText } from './arbitrary-text.js';

describe('analysis properties', () => {
  it('normalising twice changes nothing', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(normalize(normalize(text))).toBe(normalize(text));
      }),
      { numRuns: 3000 },
    );
  });
});
