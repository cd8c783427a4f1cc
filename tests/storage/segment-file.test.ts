import { describe, expect, it } from 'vitest';
import { SnapshotError } from '../../src/storage/snapshot.js';
import { decodeSegment, encodeSegment } from '../../src/storage/segment-file.js';
import { COMPACT_ARRAYS } from '../../src/search/segment/compact-segment.js';
import { buildCompactSegment } from '../../src/search/segment/segment-writer.js';

const DATA = buildCompactSegment(
  [
    {
      id: 'a1',
      title: 'أسواق الطاقة',
      paragraphs: ['ارتفعت أسعارُ النفط اليوم.', '', 'وتوقع محللون الارتفاع.'],
      vectors: [Float32Array.of(0.5, -1, 2), null, Float32Array.of(1e-30, 3.4e38, -0)],
    },
    { id: 'a\n2 "quoted"', title: '', paragraphs: ['تراجعت أسعار الذهب.'] },
  ],
  {},
);

describe('segment files', () => {
  it('decode to the arrays that were encoded, as views over the bytes', () => {
    const bytes = encodeSegment(DATA);
    const decoded = decodeSegment(bytes, 'test.seg');
    expect(decoded.terms).toEqual(DATA.terms);
    expect(decoded.articleIds).toEqual(DATA.articleIds);
    for (const name of COMPACT_ARRAYS) {
      expect(decoded[name]).toEqual(DATA[name]);
      expect(decoded[name].buffer).toBe(bytes.buffer);
    }
    // Vectors bit for bit, of documents 0 and 1 (paragraphs 0 and 2: the blank one is no document).
    expect(Array.from(decoded.vectorDocs)).toEqual([0, 1]);
    expect(decoded.vectors).toEqual(Float32Array.of(0.5, -1, 2, 1e-30, 3.4e38, -0));
  });

  it('decode from bytes that do not start on an 8-byte boundary', () => {
    const bytes = encodeSegment(DATA);
    const shifted = new Uint8Array(bytes.length + 3).subarray(3);
    shifted.set(bytes);
    const decoded = decodeSegment(shifted, 'test.seg');
    for (const name of COMPACT_ARRAYS) expect(decoded[name]).toEqual(DATA[name]);
  });

  it.each<[string, (bytes: Buffer) => Buffer, RegExp]>([
    ['truncated', (bytes) => bytes.subarray(0, bytes.length - 1), /truncated/u],
    ['emptied', () => Buffer.alloc(0), /truncated/u],
    ['with a byte flipped', (bytes) => flip(bytes, Math.floor(bytes.length / 2)), /checksum/u],
    ['with its header damaged', (bytes) => flip(bytes, 3), /checksum/u],
  ])('are refused when %s', (_name, damage, reason) => {
    const decode = () => decodeSegment(damage(encodeSegment(DATA)), 'test.seg');
    expect(decode).toThrow(SnapshotError);
    expect(decode).toThrow(reason);
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}
