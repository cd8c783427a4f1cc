import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonVectors } from '../../src/http/vectors-json.js';

/** Significant digits of a number's shortest form (`-1e9` has 1, `0.33333334` has 8). */
const significantDigits = (value: number) => value.toExponential().replace(/e.*$|[-.]/gu, '').length;

describe('jsonVectors', () => {
  it.each([
    ['no vectors', [], []],
    ['a paragraph without a vector: null kept', [null], [null]],
    ['floats in the fewest digits that read back', [Float32Array.of(0.1, -2, 0.3)], [[0.1, -2, 0.3]]],
    ['exact values, unchanged', [Float32Array.of(0, 1, -0.5, 0.25, 1024)], [[0, 1, -0.5, 0.25, 1024]]],
    ['a third, to float precision', [Float32Array.of(1 / 3)], [[0.33333334]]],
    [
      'one row per paragraph, null where none, in order',
      [Float32Array.of(0.7, 0.2), null, Float32Array.of(-0.05, 1e-7)],
      [[0.7, 0.2], null, [-0.05, 1e-7]],
    ],
    ['the largest 32-bit float', [Float32Array.of(3.4028234663852886e38)], [[3.4028235e38]]],
  ])('%s', (_rule, vectors, expected) => {
    expect(jsonVectors(vectors)).toEqual(expected);
  });

  it('gives plain arrays, and leaves the stored vectors as they were', () => {
    const stored = Float32Array.of(0.1, 0.2);
    const [row] = jsonVectors([stored]);
    expect(Array.isArray(row)).toBe(true);
    expect(stored).toEqual(Float32Array.of(0.1, 0.2));
  });

  it('reads back as the same float, in the fewest digits (at most 9), for every normal float', () => {
    const float = fc.float({ noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(float, { minLength: 1, maxLength: 8 }), (values) => {
        const vector = Float32Array.from(values);
        const [row] = jsonVectors([vector]);
        expect(row).toHaveLength(vector.length);
        row!.forEach((value, at) => {
          expect(Math.fround(value) === vector[at]).toBe(true);
          const digits = significantDigits(value);
          expect(digits).toBeLessThanOrEqual(9);
          // The fewest: one digit fewer reads back as another float (normal floats; a subnormal one,
          // below 2^-126, may be written with more digits than it needs, though it reads back the same).
          if (digits > 1 && Math.abs(value) >= 2 ** -126)
            expect(Math.fround(Number(value.toPrecision(digits - 1)))).not.toBe(vector[at]);
        });
        // Through JSON and back as a client reads it: the same 32-bit floats.
        expect(Float32Array.from(JSON.parse(JSON.stringify(row)) as number[])).toEqual(
          vector.map((value) => (value === 0 ? 0 : value)),
        );
      }),
    );
  });
});
