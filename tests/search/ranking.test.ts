import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING_OPTIONS, proximityScore, type RankingOptions } from '../../src/search/ranking.js';

/** Matches of word 0 at the first token and word 1 `distance` tokens later, nothing between. */
function pairAt(distance: number): number[][] {
  return Array.from({ length: distance + 1 }, (_, position) =>
    position === 0 ? [0] : position === distance ? [1] : [],
  );
}

describe('proximityScore', () => {
  it.each([
    { rule: 'no tokens', matches: [], weights: [1, 1] },
    { rule: 'no token matches', matches: [[], [], []], weights: [1, 1] },
    { rule: 'a lone word', matches: [[0]], weights: [1, 1] },
    { rule: 'one distinct word, repeated', matches: [[0], [0], [], [0]], weights: [1, 1] },
    { rule: 'two words matched by one token', matches: [[0, 1]], weights: [1, 1] },
    { rule: 'a partner of weight 0', matches: [[0], [1]], weights: [1, 0] },
  ])('is 0 for $rule', ({ matches, weights }) => {
    expect(proximityScore(matches, weights)).toBe(0);
  });

  it('scores two neighbouring words of weight 1 at 1 each, whatever k', () => {
    for (const k of [0.5, 1.2, 2]) expect(proximityScore([[0], [1]], [1, 1], k)).toBeCloseTo(2, 12);
  });

  it('scores closer words more', () => {
    const scores = [1, 2, 3, 5, 8].map((distance) => proximityScore(pairAt(distance), [1, 1]));
    for (let index = 1; index < scores.length; index += 1) {
      expect(scores[index]).toBeGreaterThan(0);
      expect(scores[index]).toBeLessThan(scores[index - 1]!);
    }
  });

  it('does not care which word comes first', () => {
    expect(proximityScore([[1], [], [0]], [1, 0.5])).toBe(proximityScore([[0], [], [1]], [1, 0.5]));
  });

  it('pairs only neighbouring matches: a word between two others takes their place', () => {
    const weights = [1, 1, 0];
    expect(proximityScore([[0], [], [1]], weights)).toBeGreaterThan(0);
    expect(proximityScore([[0], [2], [1]], weights)).toBe(0);
  });

  it.each([
    { rule: 'a rarer partner raises the score', lower: [1, 1], higher: [1, 2] },
    { rule: 'a rarer pair scores more than a common one', lower: [0.2, 0.2], higher: [0.8, 0.8] },
  ])('$rule', ({ lower, higher }) => {
    expect(proximityScore([[0], [1]], higher)).toBeGreaterThan(proximityScore([[0], [1]], lower));
  });

  it('uses k = 1.2 unless told', () => {
    const matches = [[0], [], [1], [0]];
    expect(proximityScore(matches, [0.7, 1.3])).toBe(proximityScore(matches, [0.7, 1.3], 1.2));
    expect(proximityScore(matches, [0.7, 1.3])).not.toBe(proximityScore(matches, [0.7, 1.3], 2));
  });

  it('is never negative and never more than k + 1 per word, at its weight capped at 1', () => {
    const wordCount = 3;
    const matches = fc.array(fc.subarray([0, 1, 2]), { maxLength: 20 });
    const weights = fc.array(fc.double({ min: 0, max: 5, noNaN: true }), {
      minLength: wordCount,
      maxLength: wordCount,
    });
    fc.assert(
      fc.property(matches, weights, (m, w) => {
        const score = proximityScore(m, w);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(
          2.2 * w.reduce((sum, weight) => sum + Math.min(1, weight), 0) + 1e-9,
        );
      }),
    );
  });
  it("gives, to the bit, the score of the paper's sums written out plainly", () => {
    // The definition as first written here (arrays, iterators, a reduce): the loops that replaced it add
    // the same numbers in the same order.
    const plainly = (matches: number[][], weights: number[], k = 1.2) => {
      const accumulators = weights.map(() => 0);
      let previous: { position: number; words: number[] } | undefined;
      matches.forEach((words, position) => {
        if (words.length === 0) return;
        if (previous !== undefined) {
          const distance = position - previous.position;
          for (const word of words) {
            for (const before of previous.words) {
              if (before === word) continue;
              accumulators[word]! += weights[before]! / (distance * distance);
              accumulators[before]! += weights[word]! / (distance * distance);
            }
          }
        }
        previous = { position, words };
      });
      return accumulators.reduce(
        (sum, accumulated, word) =>
          sum + (Math.min(1, weights[word]!) * (accumulated * (k + 1))) / (accumulated + k),
        0,
      );
    };
    const wordCount = 4;
    const matches = fc.array(fc.subarray([0, 1, 2, 3]), { maxLength: 40 });
    const weights = fc.array(fc.double({ min: 0, max: 5, noNaN: true }), {
      minLength: wordCount,
      maxLength: wordCount,
    });
    fc.assert(
      fc.property(matches, weights, fc.constantFrom(0.5, 1.2, 2), (m, w, k) => {
        expect(proximityScore(m, w, k)).toBe(plainly(m, w, k));
      }),
      { numRuns: 500 },
    );
  });
});

describe('DEFAULT_RANKING_OPTIONS', () => {
  it.each([
    { part: 'the options', value: DEFAULT_RANKING_OPTIONS },
    { part: 'bm25', value: DEFAULT_RANKING_OPTIONS.bm25 },
    { part: 'typoLengths', value: DEFAULT_RANKING_OPTIONS.typoLengths },
  ])('$part: frozen', ({ value }) => {
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('refuses a change', () => {
    expect(() => {
      (DEFAULT_RANKING_OPTIONS as RankingOptions).exactBoost = 2;
    }).toThrow(TypeError);
    expect(DEFAULT_RANKING_OPTIONS.exactBoost).toBe(1);
  });

  // The default each option's TSDoc states ("Default …") is the value the code has: read from the source.
  const source = readFileSync(fileURLToPath(new URL('../../src/search/ranking.ts', import.meta.url)), 'utf8');
  const stated = [...source.matchAll(/Default (\[[^\]]*\]|[\d.]+?)\.? \*\/\s*\n\s*(\w+):/gu)].map(
    ([, value, option]) => ({
      option: option as keyof RankingOptions,
      stated: JSON.parse(value!) as unknown,
    }),
  );
  it('states a default in the TSDoc of most options', () => {
    expect(stated.map(({ option }) => option)).toEqual(
      expect.arrayContaining([
        'exactBoost',
        'alternativeBoost',
        'titleBoost',
        'coverageExponent',
        'proximityWeight',
      ]),
    );
  });
  it.each(stated)('$option: the stated default $stated', ({ option, stated: value }) => {
    expect(DEFAULT_RANKING_OPTIONS[option]).toStrictEqual(value);
  });
});
