import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signatureFromWire, wireSignature } from '../../src/archive/shard-protocol.js';

describe('signatures on the wire', () => {
  it('come back as they were sent, every min-hash to the bit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 0xffff }), { minLength: 20, maxLength: 20 }),
        fc.string(),
        (values, words) => {
          const signature = { words, minHashes: Uint16Array.from(values) };
          const sent = JSON.parse(JSON.stringify(wireSignature(signature)));
          expect(signatureFromWire(sent)).toEqual(signature);
        },
      ),
    );
  });

  it("from a node that sent 32-bit min-hashes, keep their low 16 bits: this node's own", () => {
    const sent = { words: 'abcd', minHashes: '78563412cdab0100' };
    expect(signatureFromWire(sent)).toEqual({ words: 'abcd', minHashes: Uint16Array.of(0x5678, 0xabcd) });
  });

  it('refuse what is not a signature', () => {
    expect(() => signatureFromWire({ words: 'a', minHashes: 'abc' })).toThrow(TypeError);
    expect(() => signatureFromWire({ words: 'a', minHashes: [1, 2] as never })).toThrow(TypeError);
  });
});
