import { describe, expect, it } from 'vitest';
import { QuantizedVectors, quantizeRows } from '../../../src/search/vectors/quantized-vectors.js';
import { norm } from '../../../src/search/vectors/vector-math.js';
import { cosine, randomVectors } from './vector-fixtures.js';

/** What a segment keeps (its codes) as a search thread uses them. */
function quantized(values: Float32Array, dimensions: number, rows: number, norms: Float32Array | undefined) {
  const { codes, scales } = quantizeRows(values, dimensions, rows);
  return QuantizedVectors.of(codes, scales, dimensions, norms);
}

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
      const approximate = quantized(rowsOf(vectors), dimensions, vectors.length, norms).similarities(unit);
      const errors = vectors.map((vector, row) => Math.abs(approximate[row]! - cosine(vector, query!)));
      expect(Math.max(...errors)).toBeLessThan(0.1);
      expect(errors.reduce((sum, error) => sum + error, 0) / errors.length).toBeLessThan(0.03);
    },
  );

  it('approximates dot products of rows as given, without norms, within half a step a value', () => {
    const vectors = randomVectors(100, 64, 7).map((vector, row) => vector.map((value) => value * (row + 1)));
    const [query] = randomVectors(1, 64, 8);
    const approximate = quantized(rowsOf(vectors), 64, vectors.length, undefined).similarities(query!);
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
    const zeros = quantized(rowsOf(vectors), 40, 2, undefined);
    expect(Array.from(zeros.similarities(new Float32Array(40)))).toEqual([0, 0]);
    const similarities = zeros.similarities(Float32Array.from({ length: 40 }, () => 1));
    expect(similarities[0]).toBe(0);
    expect(Number.isNaN(similarities[1])).toBe(false);
  });

  it('keeps its rows in an eighth of their float size, and scales each row on its own', () => {
    expect(quantizeRows(new Float32Array(1000 * 384), 384, 1000).codes.length).toBe((1000 * 384) / 2);
    const vectors = randomVectors(1000, 384, 3);
    const thread = quantized(rowsOf(vectors), 384, 1000, undefined);
    expect(thread.bytes).toBeLessThan((1000 * 384 * 4) / 8 + 3 * 65_536 + 1000 * 8);
    // A row far larger than the others is not crushed to zero, nor are the others by it.
    const mixed = [vectors[0]!.map((value) => value * 1000), vectors[1]!];
    const both = quantized(rowsOf(mixed), 384, 2, undefined).similarities(vectors[1]!);
    const own = vectors[1]!.reduce((sum, value) => sum + value * value, 0);
    expect(Math.abs(both[1]! - own) / own).toBeLessThan(0.05);
  });
});

describe('quantizeRows', () => {
  it('codes a row as its values over its largest, in 15 levels, four to a 16-bit lane in the kernel’s order', () => {
    // 33 dimensions: one whole block of 32 and one padded.
    const row = Float32Array.from({ length: 33 }, (_, i) => (i === 32 ? -7 : (i % 15) - 7));
    const { codes, scales } = quantizeRows(row, 33, 1);
    expect(Array.from(scales)).toEqual([1]);
    expect(codes).toHaveLength(32);
    // Lane l of the block: dimensions l and 8 + l in its low byte, 16 + l and 24 + l in its high byte.
    for (let lane = 0; lane < 8; lane += 1) {
      expect(codes[2 * lane]).toBe((row[lane]! + 8) | ((row[8 + lane]! + 8) << 4));
      expect(codes[2 * lane + 1]).toBe((row[16 + lane]! + 8) | ((row[24 + lane]! + 8) << 4));
    }
    // Dimension 32 in the low half of the second block's first byte; the padding codes 0 (as 8).
    expect(codes[16]).toBe(1 | (8 << 4));
    expect(Array.from(codes.subarray(17))).toEqual(new Array(15).fill(8 | (8 << 4)));
  });

  it('rounds half up, as Math.round, and gives a row of zeros codes of 0 and scale 0', () => {
    const { codes } = quantizeRows(Float32Array.of(7, 2.5, -2.5, ...new Array(29).fill(0)), 32, 1);
    // Dimensions 0, 1, 2: the low halves of lanes 0, 1, 2's low bytes.
    expect([codes[0]! & 0x0f, codes[2]! & 0x0f, codes[4]! & 0x0f]).toEqual([15, 8 + 3, 8 - 2]);
    const zero = quantizeRows(new Float32Array(32), 32, 1);
    expect(Array.from(zero.scales)).toEqual([0]);
    expect(zero.codes.every((byte) => byte === (8 | (8 << 4)))).toBe(true);
  });
});
