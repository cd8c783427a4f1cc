import { expect } from 'vitest';
import { analyzeForIndex, type IndexToken } from '../../src/analysis/analyze.js';

/**
 * Checks the offset invariants every analysis must keep: each token slices the original text,
 * tokens are ordered and never overlap — but tokens of one word share its span, and the second word of
 * a name written apart (`عبد الله`) follows the token over both words, inside it.
 */
export function expectOffsetInvariants(text: string, tokens: readonly IndexToken[]): void {
  let previous: IndexToken | undefined;
  for (const token of tokens) {
    expect(token.start).toBeGreaterThanOrEqual(0);
    expect(token.end).toBeLessThanOrEqual(text.length);
    expect(token.start).toBeLessThan(token.end);
    expect(text.slice(token.start, token.end)).toBe(token.text);
    if (previous !== undefined) {
      const sameSpan = previous.start === token.start && previous.end === token.end;
      const secondOfName = token.start > previous.start && token.end === previous.end;
      if (!sameSpan && !secondOfName) expect(token.start).toBeGreaterThanOrEqual(previous.end);
    }
    previous = token;
  }
}

/** Analyses `input`, checks the offset invariants, and expects exactly these terms. */
export function expectAnalysis(input: string, terms: readonly string[]): IndexToken[] {
  const tokens = analyzeForIndex(input);
  expectOffsetInvariants(input, tokens);
  expect(tokens.map((token) => token.term)).toEqual(terms);
  return tokens;
}
