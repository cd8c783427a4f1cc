import { describe, expect, it } from 'vitest';
import {
  GrowableArray,
  growableFloat32,
  growableInt32,
  growableUint32,
  growableUint8,
} from '../../../src/search/segment/growable.js';

/** 0, 1, 2… `count - 1`, as a Uint32 array would hold them. */
const counting = (count: number) => Array.from({ length: count }, (_, i) => i);

/** Where two arrays first differ (-1 if nowhere): a deep equality of thousands of values is slow. */
function firstDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  for (let i = 0; i < Math.max(actual.length, expected.length); i += 1) {
    if (actual[i] !== expected[i]) return i;
  }
  return -1;
}

describe('GrowableArray', () => {
  it.each([
    { rule: 'nothing pushed', pushes: [] as number[][] },
    { rule: 'one value', pushes: [[7]] },
    { rule: 'an empty pushAll changes nothing', pushes: [[1, 2], [], [3]] },
    { rule: 'up to the initial size', pushes: [counting(1024)] },
    { rule: 'one past the initial size', pushes: [counting(1025)] },
    { rule: 'several doublings, one by one', pushes: [counting(5000)] },
    { rule: 'several doublings at once', pushes: [[1], counting(5000), [2]] },
    { rule: 'a pushAll filling exactly', pushes: [[1, 2], counting(1022), [3]] },
  ])('$rule: keeps every value, in order', ({ pushes }) => {
    const byOne = growableUint32();
    const byArray = growableUint32();
    for (const values of pushes) {
      for (const value of values) byOne.push(value);
      byArray.pushAll(values);
    }
    const expected = Uint32Array.from(pushes.flat());
    for (const array of [byOne, byArray]) {
      expect(array.length).toBe(expected.length);
      expect(array.finish()).toBeInstanceOf(Uint32Array);
      expect(firstDifference(array.finish(), expected)).toBe(-1);
      expect(firstDifference(array.view(), expected)).toBe(-1);
      if (expected.length > 0) expect(array.at(expected.length - 1)).toBe(expected.at(-1));
    }
  });

  it.each([
    { type: 'Uint32', make: growableUint32, values: [0, 4_294_967_295], kind: Uint32Array },
    { type: 'Int32', make: growableInt32, values: [-2_147_483_648, -1, 5], kind: Int32Array },
    { type: 'Float32', make: growableFloat32, values: [-0.5, 0.25, 3], kind: Float32Array },
    { type: 'Uint8', make: growableUint8, values: [0, 255], kind: Uint8Array },
  ])('$type: holds its values in an array of its type', ({ make, values, kind }) => {
    const array = make();
    array.pushAll(values);
    const finished = array.finish();
    expect(finished).toBeInstanceOf(kind);
    expect(Array.from(finished)).toStrictEqual(values);
  });

  it('finishes into an array of the exact size, apart from later pushes', () => {
    const array = new GrowableArray((size) => new Int32Array(size));
    array.pushAll([1, 2, 3]);
    const finished = array.finish();
    finished[0] = 9;
    array.push(4);
    expect(finished).toStrictEqual(Int32Array.from([9, 2, 3]));
    expect(finished.buffer.byteLength).toBe(3 * Int32Array.BYTES_PER_ELEMENT);
    expect(array.finish()).toStrictEqual(Int32Array.from([1, 2, 3, 4]));
  });

  it('gives a view of the values pushed so far, which keeps its length', () => {
    const array = growableUint32();
    array.pushAll([1, 2]);
    const view = array.view();
    array.push(3);
    expect(view).toStrictEqual(Uint32Array.from([1, 2]));
    expect(array.view()).toStrictEqual(Uint32Array.from([1, 2, 3]));
  });

  it('values holds what at reads, and is another array once a push has grown it', () => {
    const array = growableUint32();
    array.pushAll(counting(1024));
    const before = array.values;
    expect(firstDifference(before.subarray(0, array.length), counting(1024))).toBe(-1);
    array.push(1024);
    expect(array.values).not.toBe(before);
    expect([array.values[1024], array.at(1024), before.length]).toEqual([1024, 1024, 1024]);
  });
});
