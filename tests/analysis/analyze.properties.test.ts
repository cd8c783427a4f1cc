import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeForIndex } from '../../src/analysis/analyze.js';
import { normalize } from '../../src/analysis/normalize.js';
import { anyText, arabicText } from './arbitrary-text.js';
import { expectOffsetInvariants } from './expect-analysis.js';

describe('analysis properties', () => {
  it('never throws, on any string', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        normalize(text);
        analyzeForIndex(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('tokens slice the text, in order, without overlapping', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expectOffsetInvariants(text, analyzeForIndex(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('every term is already normalised and not empty', () => {
    fc.assert(
      fc.property(arabicText, (text) => {
        for (const token of analyzeForIndex(text)) {
          expect(token.term.length).toBeGreaterThan(0);
          expect(normalize(token.exact)).toBe(token.exact);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
