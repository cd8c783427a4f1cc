import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeVectors, encodeVectors } from '../../src/storage/vector-bytes.js';

const vector = (...values: number[]) => Float32Array.from(values);

describe('encodeVectors', () => {
  it.each<[string, (Float32Array | null)[] | undefined]>([
    ['no vectors at all', undefined],
    ['no paragraphs', []],
    ['no paragraph with a vector', [null, null]],
  ])('%s: undefined', (_name, vectors) => {
    expect(encodeVectors(vectors)).toBeUndefined();
  });

  it('stores the dimension, one byte per paragraph, and the floats of those that have one', () => {
    const bytes = encodeVectors([vector(0.5, -1), null, vector(2, 0.25)])!;
    expect(bytes.dimensions).toBe(2);
    expect([...bytes.present]).toEqual([1, 0, 1]);
    expect(bytes.data.byteLength).toBe(2 * 2 * Float32Array.BYTES_PER_ELEMENT);
    const view = new DataView(bytes.data.buffer, bytes.data.byteOffset, bytes.data.byteLength);
    const floats = Array.from({ length: 4 }, (_, at) => view.getFloat32(at * 4, true));
    expect(floats).toEqual([0.5, -1, 2, 0.25]);
  });
});

describe('decodeVectors', () => {
  it.each<[string, (Float32Array | null)[]]>([
    ['one paragraph', [vector(0.1, 0.2, 0.3)]],
    ['null paragraphs first, between and last', [null, vector(1, 2), null, vector(-3, 4), null]],
    ['one dimension', [vector(-0)]],
  ])('gives back what was encoded: %s', (_name, vectors) => {
    expect(decodeVectors(encodeVectors(vectors)!)).toEqual(vectors);
  });

  it('reads bytes that are not aligned for 32-bit floats, as a database may hand them back', () => {
    const encoded = encodeVectors([vector(1.5, -2.5), null])!;
    const shifted = new Uint8Array(encoded.data.byteLength + 1).subarray(1);
    shifted.set(encoded.data);
    expect(shifted.byteOffset % 4).not.toBe(0);
    expect(decodeVectors({ ...encoded, data: shifted })).toEqual([vector(1.5, -2.5), null]);
  });

  it('round-trips any 32-bit floats and any paragraphs without a vector', () => {
    const vectors = fc.integer({ min: 1, max: 8 }).chain((dimensions) =>
      fc.array(
        fc.option(fc.float32Array({ minLength: dimensions, maxLength: dimensions, noNaN: true }), {
          nil: null,
        }),
        { maxLength: 12 },
      ),
    );
    fc.assert(
      fc.property(vectors, (paragraphs) => {
        const encoded = encodeVectors(paragraphs);
        if (paragraphs.every((entry) => entry === null)) {
          expect(encoded).toBeUndefined();
          return;
        }
        const decoded = decodeVectors(encoded!);
        expect(decoded).toHaveLength(paragraphs.length);
        decoded.forEach((entry, at) => {
          const original = paragraphs[at]!;
          if (original === null) {
            expect(entry).toBeNull();
            return;
          }
          // Bit for bit: -0 stays -0, the largest and smallest floats stay themselves.
          const bits = (values: Float32Array) =>
            new Uint32Array(values.buffer, values.byteOffset, values.length);
          expect(bits(entry!)).toEqual(bits(original));
        });
      }),
      { numRuns: 300 },
    );
  });
});
