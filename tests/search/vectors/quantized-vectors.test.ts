import { describe, expect, it } from 'vitest';
import { QuantizedVectors } from '../../../src/search/vectors/quantized-vectors.js';
import { norm } from '../../../src/search/vectors/vector-math.js';
import { cosine, randomVectors } from './vector-fixtures.js';

function rowsOf(vectors: readonly Float32Array[]): Float32Array {
  const values = new Float32Array(vectors.length * vectors[0]!.length);
  vectors.forEach((vector, row) => values.set(vector, row * vector.length));
  return values;
}

describe('QuantizedVectors', () => {
  it.each([1, 3, 31, 32, 33, 384])(
    'approximates the cosine of every row within 0.1, 0.03 on average (%i dimensions)',
    (dimensions) => {
      const vectors = randomVectors(300, dimensions, dimensions);
      const norms = Float32Array.from(vectors, (vector) => norm(vector));
      const [query] = randomVectors(1, dimensions, 1000 + dimensions);
      const unit = query!.map((value) => value / norm(query!));
      const approximate = QuantizedVectors.of(
        rowsOf(vectors),
        dimensions,
        vectors.length,
        norms,
      ).similarities(unit);
      const errors = vectors.map((vector, row) => Math.abs(approximate[row]! - cosine(vector, query!)));
      expect(Math.max(...errors)).toBeLessThan(0.1);
      expect(errors.reduce((sum, error) => sum + error, 0) / errors.length).toBeLessThan(0.03);
    },
  );

  it('approximates dot products of rows as given, without norms, within half a step a value', () => {
    const vectors = randomVectors(100, 64, 7).map((vector, row) => vector.map((value) => value * (row + 1)));
    const [query] = randomVectors(1, 64, 8);
    const approximate = QuantizedVectors.of(rowsOf(vectors), 64, vectors.length, undefined).similarities(
      query!,
    );
    vectors.forEach((vector, row) => {
      const exact = vector.reduce((sum, value, i) => sum + value * query![i]!, 0);
      // Each value is off by at most half a step of the row's own scale (its largest value / 7), and the
      // query's by far less (16 bits): so the error grows with the row's size.
      const step = Math.max(...vector.map(Math.abs)) / 7;
      const bound = query!.reduce((sum, value) => sum + Math.abs(value), 0) * (step / 2) * 1.01;
      expect(Math.abs(approximate[row]! - exact)).toBeLessThanOrEqual(bound);
    });
  });

  it('gives 0 for rows of zeros and for a query of zeros, never NaN', () => {
    const vectors = [new Float32Array(40), Float32Array.from({ length: 40 }, (_, i) => i - 20)];
    const quantized = QuantizedVectors.of(rowsOf(vectors), 40, 2, undefined);
    expect(Array.from(quantized.similarities(new Float32Array(40)))).toEqual([0, 0]);
    const similarities = quantized.similarities(Float32Array.from({ length: 40 }, () => 1));
    expect(similarities[0]).toBe(0);
    expect(Number.isNaN(similarities[1])).toBe(false);
  });

  it('keeps its rows in an eighth of their float size, and scales each row on its own', () => {
    const vectors = randomVectors(1000, 384, 3);
    const quantized = QuantizedVectors.of(rowsOf(vectors), 384, 1000, undefined);
    expect(quantized.bytes).toBeLessThan((1000 * 384 * 4) / 8 + 3 * 65_536 + 1000 * 8);
    // A row far larger than the others is not crushed to zero, nor are the others by it.
    const mixed = [vectors[0]!.map((value) => value * 1000), vectors[1]!];
    const both = QuantizedVectors.of(rowsOf(mixed), 384, 2, undefined).similarities(vectors[1]!);
    const own = vectors[1]!.reduce((sum, value) => sum + value * value, 0);
    expect(Math.abs(both[1]! - own) / own).toBeLessThan(0.05);
  });
});
