import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparable,
  dot,
  lacksDirection,
  norm,
  VECTOR_SIMILARITIES,
} from '../../../src/search/vectors/vector-math.js';

const vector = (...values: number[]) => Float32Array.from(values);

describe('dot', () => {
  it.each([
    { rule: 'no dimensions', a: vector(), b: vector(), aAt: 0, bAt: 0, dimensions: 0, expected: 0 },
    {
      rule: 'fewer than four',
      a: vector(1, 2, 3),
      b: vector(4, 5, 6),
      aAt: 0,
      bAt: 0,
      dimensions: 3,
      expected: 32,
    },
    {
      rule: 'four and a remainder',
      a: vector(1, 2, 3, 4, 5),
      b: vector(1, 1, 1, 1, 2),
      aAt: 0,
      bAt: 0,
      dimensions: 5,
      expected: 20,
    },
    { rule: 'orthogonal', a: vector(1, 0), b: vector(0, 1), aAt: 0, bAt: 0, dimensions: 2, expected: 0 },
    {
      rule: 'rows of flat arrays, from their offsets',
      a: vector(9, 9, 1, 2),
      b: vector(3, 4, 9),
      aAt: 2,
      bAt: 0,
      dimensions: 2,
      expected: 11,
    },
    {
      rule: 'only the dimensions asked',
      a: vector(1, 1, 1),
      b: vector(1, 1, 1),
      aAt: 0,
      bAt: 0,
      dimensions: 2,
      expected: 2,
    },
  ])('$rule: $expected', ({ a, aAt, b, bAt, dimensions, expected }) => {
    expect(dot(a, aAt, b, bAt, dimensions)).toBe(expected);
  });

  it('is the sum of the products, for any vectors', () => {
    const values = fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 40 });
    fc.assert(
      fc.property(values, values, (x, y) => {
        const dimensions = Math.min(x.length, y.length);
        const sum = x.slice(0, dimensions).reduce((total, value, i) => total + value * y[i]!, 0);
        expect(dot(Float32Array.from(x), 0, Float32Array.from(y), 0, dimensions)).toBe(sum);
      }),
    );
  });
});

describe('norm', () => {
  it.each([
    { rule: 'an empty vector', values: vector(), at: undefined, dimensions: undefined, expected: 0 },
    { rule: 'all zeros', values: vector(0, 0, 0), at: undefined, dimensions: undefined, expected: 0 },
    { rule: 'the whole vector', values: vector(3, 4), at: undefined, dimensions: undefined, expected: 5 },
    { rule: 'negative values', values: vector(-3, -4), at: undefined, dimensions: undefined, expected: 5 },
    { rule: 'from an offset to the end', values: vector(7, 3, 4), at: 1, dimensions: undefined, expected: 5 },
    { rule: 'a row of a flat array', values: vector(7, 6, 8, 7), at: 1, dimensions: 2, expected: 10 },
  ])('$rule: $expected', ({ values, at, dimensions, expected }) => {
    expect(norm(values, at, dimensions)).toBe(expected);
  });
});

describe('comparable', () => {
  it('gives the query as it is for the dot product', () => {
    const query = vector(3, 4);
    expect(comparable(query, 'dot')).toBe(query);
  });

  it.each([
    { rule: 'a long vector', values: vector(3, 4), expected: [0.6, 0.8] },
    { rule: 'negative values', values: vector(0, -2), expected: [0, -1] },
    { rule: 'must not change a unit vector', values: vector(1, 0, 0), expected: [1, 0, 0] },
    { rule: 'all zeros stay zeros', values: vector(0, 0), expected: [0, 0] },
    { rule: 'an empty vector', values: vector(), expected: [] },
  ])('cosine: $rule', ({ values, expected }) => {
    const before = Float32Array.from(values);
    const unit = comparable(values, 'cosine');
    expect(unit.length).toBe(expected.length);
    unit.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
    expect(values).toStrictEqual(before);
  });

  it('makes any vector with a direction unit length, pointing the same way', () => {
    const values = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(values, (x) => {
        fc.pre(x.some((value) => value !== 0));
        const query = Float32Array.from(x);
        const unit = comparable(query, 'cosine');
        expect(norm(unit)).toBeCloseTo(1, 5);
        expect(dot(unit, 0, query, 0, query.length)).toBeCloseTo(norm(query), 3);
      }),
    );
  });
});

describe('lacksDirection', () => {
  it('knows both similarities', () => {
    expect(VECTOR_SIMILARITIES).toStrictEqual(['cosine', 'dot']);
  });

  it.each([
    { values: vector(0, 0, 0), similarity: 'cosine' as const, lacks: true },
    { values: vector(-0, 0), similarity: 'cosine' as const, lacks: true },
    { values: vector(), similarity: 'cosine' as const, lacks: true },
    { values: vector(0, 0.001, 0), similarity: 'cosine' as const, lacks: false },
    { values: vector(0, 0, 0), similarity: 'dot' as const, lacks: false },
    { values: vector(1, 2), similarity: 'dot' as const, lacks: false },
  ])('$values by $similarity: $lacks', ({ values, similarity, lacks }) => {
    expect(lacksDirection(values, similarity)).toBe(lacks);
  });
});
