import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CompactSegment } from '../../src/search/segment/compact-segment.js';
import { mergeSegments } from '../../src/search/segment/segment-merger.js';
import { SIGNATURE_WORDS } from '../../src/search/segment/signatures.js';
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

  it('of format 2 (before signatures were kept) still open: their segments compute signatures, merges keep them', () => {
    const decoded = decodeSegment(asFormat2(encodeSegment(DATA)), 'old.seg');
    expect(decoded.docSignatures).toHaveLength(0);
    const old = new CompactSegment(decoded);
    const current = new CompactSegment(DATA);
    expect(DATA.docSignatures).toHaveLength(current.size * SIGNATURE_WORDS);
    for (let doc = 0; doc < current.size; doc += 1)
      expect(old.signature(doc)).toEqual(current.signature(doc));
    expect(mergeSegments([old]).docSignatures).toEqual(DATA.docSignatures);
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

/** A segment file as format 2 wrote it: the same arrays but `docSignatures`, its header and checksum redone. */
function asFormat2(bytes: Buffer): Buffer {
  const newline = bytes.indexOf(0x0a);
  const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as {
    formatVersion: number;
    arrays: { name: string }[];
  };
  const bodyStart = newline + 1 + ((8 - ((newline + 1) % 8)) % 8);
  const body = bytes.subarray(bodyStart, bytes.length - 4 - 'ARSHIF-SEGMENT-END'.length);
  header.formatVersion = 2;
  header.arrays = header.arrays.filter((array) => array.name !== 'docSignatures');
  const line = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
  const head = Buffer.concat([line, Buffer.alloc((8 - (line.length % 8)) % 8)]);
  const content = Buffer.concat([head, body]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32LE(crc32(content));
  return Buffer.concat([content, checksum, Buffer.from('ARSHIF-SEGMENT-END', 'ascii')]);
}

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}
