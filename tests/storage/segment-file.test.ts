import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CompactSegment } from '../../src/search/segment/compact-segment.js';
import { mergeSegments } from '../../src/search/segment/segment-merger.js';
import { HASHES, SIGNATURE_UNITS } from '../../src/search/segment/signatures.js';
import { SnapshotError } from '../../src/storage/snapshot.js';
import {
  decodeSegment,
  encodeSegment,
  readSegmentFile,
  writeSegmentFile,
} from '../../src/storage/segment-file.js';
import { type CompactSegmentData, TermList } from '../../src/search/segments.js';
import { readTokenTypes } from '../../src/search/segment/token-types.js';
import { COMPACT_ARRAYS } from '../../src/search/segment/compact-segment.js';
import { buildCompactSegment } from '../../src/search/segment/segment-writer.js';
import { FIELD } from '../../src/search/fields.js';

/** The arrays format 5 added: the postings' block bounds. */
const BLOCK_ARRAYS: readonly string[] = ['blockMaxFrequency', 'blockMinLength'];
/** The arrays format 6 made bytes, 16 bits before. */
const NARROWED_ARRAYS: readonly string[] = ['postingFreqs', 'postingLengths'];
/** The arrays format 6 made of the terms, which a section of their own held before. */
const TERM_ARRAYS: readonly string[] = ['termText', 'termEnds'];

/**
 * Signatures as files before format 7 kept them: 32-bit min-hashes (here with high bits that 16-bit
 * rows drop), then the words' hash in two halves.
 */
function wideSignatures(data: CompactSegmentData): Uint32Array {
  const rows = data.docSignatures.length / SIGNATURE_UNITS;
  const wide = new Uint32Array(rows * (HASHES + 2));
  for (let row = 0; row < rows; row += 1) {
    const units = data.docSignatures.subarray(row * SIGNATURE_UNITS, (row + 1) * SIGNATURE_UNITS);
    const to = row * (HASHES + 2);
    for (let h = 0; h < HASHES; h += 1) wide[to + h] = (0xbeef_0000 | units[h]!) >>> 0;
    wide[to + HASHES] = ((units[HASHES]! << 16) | units[HASHES + 1]!) >>> 0;
    wide[to + HASHES + 1] = ((units[HASHES + 2]! << 16) | units[HASHES + 3]!) >>> 0;
  }
  return wide;
}

/** Documents' token types as files before format 7 kept them: 32 bits each, starts counted in types. */
function wideTokenTypes(data: CompactSegmentData): { docTokenStart: Uint32Array; docTokens: Uint32Array } {
  const starts = [0];
  const types: number[] = [];
  const read: number[] = [];
  for (let doc = 0; doc + 1 < data.docTokenStart.length; doc += 1) {
    const count = readTokenTypes(
      data.docTokens,
      data.docTokenStart[doc]!,
      data.docTokenStart[doc + 1]!,
      read,
    );
    types.push(...read.slice(0, count));
    starts.push(types.length);
  }
  return { docTokenStart: Uint32Array.from(starts), docTokens: Uint32Array.from(types) };
}

const termsOf = (data: CompactSegmentData) => new TermList(data.termText, data.termEnds).terms();

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
    expect(termsOf(decoded)).toEqual(termsOf(DATA));
    expect(termsOf(decoded)).toContain('النفط');
    expect(decoded.articleIds).toEqual(DATA.articleIds);
    for (const name of COMPACT_ARRAYS) {
      expect(decoded[name]).toEqual(DATA[name]);
      expect(decoded[name].buffer).toBe(bytes.buffer);
    }
    // Vectors bit for bit, of documents 0 and 1 (paragraphs 0 and 2: the blank one is no document).
    expect(Array.from(decoded.vectorDocs)).toEqual([0, 1]);
    expect(decoded.vectors).toEqual(Float32Array.of(0.5, -1, 2, 1e-30, 3.4e38, -0));
  });

  it('of a segment with empty arrays (no vectors) check out whole, written part by part', async () => {
    const plain = buildCompactSegment([{ id: 'b', title: 'الذهب', paragraphs: ['تراجعت أسعار الذهب.'] }], {});
    expect(plain.vectors).toHaveLength(0);
    expect(termsOf(decodeSegment(encodeSegment(plain), 'plain.seg'))).toEqual(termsOf(plain));
    const directory = await mkdtemp(join(tmpdir(), 'arshif-segment-'));
    try {
      const file = join(directory, 'plain.seg');
      const bytes = await writeSegmentFile(file, plain);
      expect((await readFile(file)).equals(encodeSegment(plain))).toBe(true);
      expect(bytes).toBe(encodeSegment(plain).length);
      expect(termsOf(await readSegmentFile(file))).toEqual(termsOf(plain));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('decode from bytes that do not start on an 8-byte boundary', () => {
    const bytes = encodeSegment(DATA);
    const shifted = new Uint8Array(bytes.length + 3).subarray(3);
    shifted.set(bytes);
    const decoded = decodeSegment(shifted, 'test.seg');
    for (const name of COMPACT_ARRAYS) expect(decoded[name]).toEqual(DATA[name]);
  });

  it('of format 6 (token types and signatures in 32 bits) still open: both in 16-bit units, in shared memory', () => {
    const bytes = asOldFormat(DATA, 6);
    const decoded = decodeSegment(bytes, 'old.seg');
    for (const name of COMPACT_ARRAYS) expect(decoded[name]).toEqual(DATA[name]);
    expect(decoded.docTokens.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(decoded.postingDocs.buffer).toBe(decoded.docTokens.buffer);
    const segment = new CompactSegment(decoded);
    expect(segment.exactWords(0)).toEqual(new CompactSegment(DATA).exactWords(0));
    expect(segment.exactWords(0)).toContain('النفط');
  });

  it.each([3, 4, 5] as const)(
    'of format %i (terms in a section of their own) still open, with the same terms and arrays',
    (format) => {
      const bytes = asOldFormat(DATA, format);
      const decoded = decodeSegment(bytes, 'old.seg');
      expect(termsOf(decoded)).toEqual(termsOf(DATA));
      expect(decoded.articleIds).toEqual(DATA.articleIds);
      for (const name of COMPACT_ARRAYS) {
        if (format === 5 || !BLOCK_ARRAYS.includes(name)) expect(decoded[name]).toEqual(DATA[name]);
      }
      // Their postings' 16-bit arrays narrowed, every array is copied out of the file's bytes into one
      // buffer that search threads share, so that the file's bytes can go.
      expect(decoded.termText.buffer).not.toBe(bytes.buffer);
      expect(decoded.termText.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(decoded.postingDocs.buffer).toBe(decoded.termText.buffer);
    },
  );

  it("of format 5 have their postings' 16-bit frequencies and lengths narrowed to bytes, in shared memory", () => {
    const wide = {
      ...DATA,
      postingFreqs: Uint16Array.from(DATA.postingFreqs, (value, at) => (at === 0 ? 300 : value)),
      postingLengths: Uint16Array.from(DATA.postingLengths, (value, at) =>
        at === 1 ? 254 : at === 0 ? 1_000 : value,
      ),
    } as unknown as CompactSegmentData;
    const decoded = decodeSegment(asOldFormat(wide, 5), 'old.seg');
    expect(decoded.postingFreqs).toBeInstanceOf(Uint8Array);
    expect([decoded.postingFreqs[0], decoded.postingLengths[0], decoded.postingLengths[1]]).toEqual([
      255, 255, 254,
    ]);
    expect(Array.from(decoded.postingFreqs.subarray(1))).toEqual(Array.from(DATA.postingFreqs.subarray(1)));
    expect(decoded.postingLengths.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('of format 4 (before block bounds were kept) still open: their segments compute the same bounds', () => {
    const decoded = decodeSegment(asOldFormat(DATA, 4), 'old.seg');
    expect(termsOf(decoded)).toEqual(termsOf(DATA));
    expect(decoded.blockMaxFrequency).toHaveLength(0);
    expect(DATA.blockMaxFrequency.length).toBeGreaterThan(0);
    const blocksOf = (segment: CompactSegment) => segment.postings('النفط', FIELD.text)?.blocks;
    const old = blocksOf(new CompactSegment(decoded));
    const current = blocksOf(new CompactSegment(DATA));
    expect(current).toBeDefined();
    expect(old).toEqual(current);
    expect(mergeSegments([new CompactSegment(decoded)]).blockMaxFrequency).toEqual(DATA.blockMaxFrequency);
  });

  it('of format 2 (before signatures were kept) still open: their segments compute signatures, merges keep them', () => {
    const decoded = decodeSegment(asOldFormat(DATA, 2), 'old.seg');
    expect(decoded.docSignatures).toHaveLength(0);
    const old = new CompactSegment(decoded);
    const current = new CompactSegment(DATA);
    expect(DATA.docSignatures).toHaveLength(current.size * SIGNATURE_UNITS);
    for (let doc = 0; doc < current.size; doc += 1)
      expect(old.signature(doc)).toEqual(current.signature(doc));
    expect(mergeSegments([old]).docSignatures).toEqual(DATA.docSignatures);
  });

  it.each<[string, (bytes: Buffer) => Buffer, RegExp]>([
    ['truncated', (bytes) => bytes.subarray(0, bytes.length - 1), /truncated/u],
    ['emptied', () => Buffer.alloc(0), /truncated/u],
    ['with a byte flipped', (bytes) => flip(bytes, Math.floor(bytes.length / 2)), /checksum/u],
    ['with its header damaged', (bytes) => flip(bytes, 3), /checksum/u],
    [
      'of format 5 with a term count its terms do not have',
      () => withHeader(asOldFormat(DATA, 5), (header) => (header.termCount! += 1)),
      /terms do not match/u,
    ],
    [
      'of format 5 with a text length its terms do not have',
      () => withHeader(asOldFormat(DATA, 5), (header) => (header.termTextBytes! -= 2)),
      /terms do not match/u,
    ],
    [
      'with terms that end before the one before them',
      () => encodeSegment({ ...DATA, termEnds: DATA.termEnds.slice().reverse() }),
      /terms do not match their text/u,
    ],
    [
      'with a token type cut in two',
      () => {
        const docTokens = Uint16Array.of(...DATA.docTokens, 0x8001);
        const docTokenStart = DATA.docTokenStart.slice();
        docTokenStart[docTokenStart.length - 1] = docTokens.length;
        return encodeSegment({ ...DATA, docTokens, docTokenStart });
      },
      /documents do not match their tokens/u,
    ],
    [
      'with documents whose tokens start before the one before',
      () => encodeSegment({ ...DATA, docTokenStart: DATA.docTokenStart.slice().reverse() }),
      /documents do not match their tokens/u,
    ],
    [
      'with terms that end short of their text',
      () => encodeSegment({ ...DATA, termText: Uint16Array.of(...DATA.termText, 0x627) }),
      /terms do not match their text/u,
    ],
  ])('are refused when %s', (_name, damage, reason) => {
    const decode = () => decodeSegment(damage(encodeSegment(DATA)), 'test.seg');
    expect(decode).toThrow(SnapshotError);
    expect(decode).toThrow(reason);
  });
});

/**
 * A segment file as format 2 to 6 wrote it: up to format 5 the terms in a section of their own (as JSON
 * up to format 3; from format 4 their UTF-16 text, then where each ends), the article ids as JSON, then
 * the arrays (before format 5 without the block bounds, in format 2 without `docSignatures`), each on an
 * 8-byte boundary (token types in 32 bits), then the checksum and the end mark.
 */
function asOldFormat(current: CompactSegmentData, formatVersion: 2 | 3 | 4 | 5 | 6): Buffer {
  const data = {
    ...current,
    ...wideTokenTypes(current),
    docSignatures: wideSignatures(current),
  } as unknown as CompactSegmentData;
  const pad = (bytes: Buffer) => Buffer.concat([bytes, Buffer.alloc((8 - (bytes.length % 8)) % 8)]);
  const bytesOf = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  const terms =
    formatVersion === 6
      ? Buffer.alloc(0)
      : formatVersion <= 3
        ? Buffer.from(JSON.stringify(termsOf(data)), 'utf8')
        : Buffer.concat([pad(bytesOf(data.termText)), bytesOf(data.termEnds)]);
  const articleIds = Buffer.from(JSON.stringify(data.articleIds), 'utf8');
  const names = COMPACT_ARRAYS.filter(
    (name) =>
      (formatVersion === 6 || !TERM_ARRAYS.includes(name)) &&
      (formatVersion >= 5 || !BLOCK_ARRAYS.includes(name)) &&
      (formatVersion !== 2 || name !== 'docSignatures'),
  );
  const sections = [pad(terms), pad(articleIds)];
  let offset = sections[0]!.length + sections[1]!.length;
  const arrays = names.map((name) => {
    // Postings' frequencies and lengths were 16 bits before format 6.
    const array =
      NARROWED_ARRAYS.includes(name) && formatVersion <= 5 ? Uint16Array.from(data[name]) : data[name];
    const entry = { name, type: array.constructor.name, offset, length: array.length };
    const bytes = pad(Buffer.from(array.buffer, array.byteOffset, array.byteLength));
    sections.push(bytes);
    offset += bytes.length;
    return entry;
  });
  const header = {
    magic: 'ARSHIF-SEGMENT',
    formatVersion,
    documents: data.docArticle.length,
    termsBytes: terms.length,
    articleIdsBytes: articleIds.length,
    ...(formatVersion === 4 || formatVersion === 5
      ? { termCount: data.termEnds.length, termTextBytes: data.termText.byteLength }
      : {}),
    arrays,
  };
  const content = Buffer.concat([pad(Buffer.from(`${JSON.stringify(header)}\n`, 'utf8')), ...sections]);
  return withTrailer(content);
}

/** The checksum of `content` and the end mark after it. */
function withTrailer(content: Buffer): Buffer {
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32LE(crc32(content));
  return Buffer.concat([content, checksum, Buffer.from('ARSHIF-SEGMENT-END', 'ascii')]);
}

/** The file with its header changed by `change` (and its checksum redone, so that only the header is wrong). */
function withHeader(bytes: Buffer, change: (header: Record<string, number>) => void): Buffer {
  const newline = bytes.indexOf(0x0a);
  const header = JSON.parse(bytes.subarray(0, newline).toString('utf8')) as Record<string, number>;
  const bodyStart = newline + 1 + ((8 - ((newline + 1) % 8)) % 8);
  change(header);
  let line = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
  // The body keeps its place: the header line is padded with spaces to the same 8-byte boundary.
  if (line.length > bodyStart) throw new Error('the changed header is longer than its room');
  line = Buffer.concat([
    line.subarray(0, line.length - 1),
    Buffer.alloc(bodyStart - line.length, 0x20),
    Buffer.from('\n'),
  ]);
  const body = bytes.subarray(bodyStart, bytes.length - 4 - 'ARSHIF-SEGMENT-END'.length);
  return withTrailer(Buffer.concat([line, body]));
}

function flip(bytes: Buffer, at: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}
