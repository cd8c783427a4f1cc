import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { int4Scan } from '../../../src/search/vectors/int4-kernel.js';

/** The sums the kernel must give, by a plain loop over the layout it documents, as 32-bit floats. */
function expectedSums(query: Int16Array, codes: Uint8Array, rows: number, rowBytes: number): number[] {
  return Array.from({ length: rows }, (_, row) => {
    let sum = 0;
    for (let byte = 0; byte < rowBytes; byte += 2) {
      const block = Math.floor(byte / 16) * 32;
      const lane = (byte % 16) / 2;
      const value = codes[row * rowBytes + byte]! | (codes[row * rowBytes + byte + 1]! << 8);
      for (let quarter = 0; quarter < 4; quarter += 1) {
        sum += query[block + 8 * quarter + lane]! * ((value >> (4 * quarter)) & 0x0f);
      }
    }
    return Math.fround(sum);
  });
}

function scanned(query: Int16Array, codes: Uint8Array, rows: number, rowBytes: number): number[] {
  const memory = new WebAssembly.Memory({
    initial: Math.ceil((query.byteLength + codes.length + rows * 8 + 64) / 65_536),
  });
  const queryAt = 0;
  const codesAt = query.byteLength;
  const scalesAt = codesAt + codes.length;
  const outAt = scalesAt + rows * 4;
  new Int16Array(memory.buffer, queryAt, query.length).set(query);
  new Uint8Array(memory.buffer, codesAt, codes.length).set(codes);
  // Scaled by 1 and offset by 0: the sums as 32-bit floats.
  new Float32Array(memory.buffer, scalesAt, rows).fill(1);
  int4Scan(memory)(queryAt, codesAt, rows, rowBytes, scalesAt, 0, 1, outAt);
  return Array.from(new Float32Array(memory.buffer, outAt, rows));
}

describe('int4Scan', () => {
  it.each([
    ['no rows', 0, 1],
    ['one block', 4, 1],
    ['384 dimensions', 6, 12],
  ])('gives the plain loop’s sums: %s', (_name, rows, blocks) => {
    const rowBytes = blocks * 16;
    const query = Int16Array.from({ length: rowBytes * 2 }, (_, at) => ((at * 7919) % 65_535) - 32_767);
    const codes = Uint8Array.from({ length: rows * rowBytes }, (_, at) => (at * 101) % 256);
    expect(scanned(query, codes, rows, rowBytes)).toEqual(expectedSums(query, codes, rows, rowBytes));
  });

  it('gives the plain loop’s sums for any codes and query, extremes included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).map((pairs) => 2 * pairs),
        fc.integer({ min: 1, max: 6 }),
        fc.infiniteStream(
          fc.oneof(fc.integer({ min: -32_768, max: 32_767 }), fc.constantFrom(-32_768, 32_767)),
        ),
        fc.infiniteStream(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constant(255))),
        (rows, blocks, queryValues, codeValues) => {
          const rowBytes = blocks * 16;
          const query = Int16Array.from(queryValues.take(rowBytes * 2));
          const codes = Uint8Array.from(codeValues.take(rows * rowBytes));
          expect(scanned(query, codes, rows, rowBytes)).toEqual(expectedSums(query, codes, rows, rowBytes));
        },
      ),
      { numRuns: 200 },
    );
  });
});
